import type { LatLng, Money, PromotionTerms } from "./types";

/**
 * Proto JSON leaves a zero amount out of a Money: a missing amountMinor is 0. Minor units per the currency: 1250 USD is
 * $12.50, 500 JPY is ¥500 (a currency without a minor unit).
 */
export function money(value: Partial<Money> | undefined): string {
  if (!value) return "—";
  const currency = value.currency || "USD";
  const digits = minorDigits(currency);
  return new Intl.NumberFormat("en", { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits })
    .format((value.amountMinor ?? 0) / 10 ** digits);
}

/** An amount less a discount, in the amount's currency (Proto JSON: a zero amount is left out of either). */
export function less(amount: Partial<Money>, discount: Partial<Money> | undefined): Money {
  return { amountMinor: (amount.amountMinor ?? 0) - (discount?.amountMinor ?? 0), currency: amount.currency || discount?.currency || "USD" };
}

/** What a promotion takes off a ride, in words: "50% off, up to $4.00", "$5.00 off". */
export function promotionTerms(terms: PromotionTerms): string {
  if (terms.amountOff?.amountMinor) return `${money(terms.amountOff)} off`;
  return `${terms.percentOff ?? 0}% off${terms.maxDiscount?.amountMinor ? `, up to ${money(terms.maxDiscount)}` : ""}`;
}

/** A day as this phone's language writes it short ("4 Jan 2027", "Jan 4, 2027"). */
export function day(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
}

/** A calendar day given as YYYY-MM-DD (a document's expiry) written short: the same day wherever the phone is. */
export function calendarDay(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

/**
 * The last calendar day (UTC) covered by something valid until the instant <paramref name="until"/>: a permit valid
 * until 1 Feb 00:00 UTC (the day after a document's expiry) covers up to 31 Jan.
 */
export function lastDayBefore(until: string): string {
  return new Date(Date.parse(until) - 1).toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

export function distance(meters: number): string {
  return meters < 1000 ? `${Math.round(meters)} m` : `${(meters / 1000).toFixed(1)} km`;
}

export function duration(seconds: number): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** A period in words, in its largest whole unit: "30 days", "1 day", "2 hours", "15 seconds". */
export function period(seconds: number): string {
  const units: [number, string][] = [[86_400, "day"], [3_600, "hour"], [60, "minute"], [1, "second"]];
  const [size, name] = units.find(([size]) => seconds >= size && seconds % size === 0) ?? units.find(([size]) => seconds >= size) ?? [1, "second"];
  const count = Math.round(seconds / size);
  return `${count} ${name}${count === 1 ? "" : "s"}`;
}

/** How long ago, roughly: "4 min", "2 h". */
export function age(iso: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h`;
}

/** How long before now a past moment was: "just now", "4 min ago", "2 h ago", "3 days ago". */
export function ago(iso: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
  if (minutes < 1) return "just now";
  if (minutes < 24 * 60) return `${age(iso, now)} ago`;
  const days = Math.floor(minutes / (24 * 60));
  return `${days} ${days === 1 ? "day" : "days"} ago`;
}

/** "92% of your last 50 offers (46 accepted, 3 declined, 1 missed)"; null before any offer. */
export function acceptance(offers: { accepted?: number; declined?: number; missed?: number; counted?: number; acceptanceRate?: number } | undefined, whose = "your"): string | null {
  if (!offers?.counted) return null;
  const parts = [`${offers.accepted ?? 0} accepted`, `${offers.declined ?? 0} declined`, `${offers.missed ?? 0} missed`];
  return `${Math.round((offers.acceptanceRate ?? 0) * 100)}% of ${whose} last ${offers.counted} ${offers.counted === 1 ? "offer" : "offers"} (${parts.join(", ")})`;
}

/** "2 h 05 min", "45 min", "12 h": a span of time online. */
export function hoursMinutes(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds / 60));
  const h = Math.floor(total / 60);
  const m = total % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, "0")} min`;
}

/**
 * The driving limit on the driver's status card (ADR 0026): how long they have been online in this working period of
 * the most allowed, with a warning in the last hour, or, while resting, from when they may drive again. Null when the
 * service does not say (an older service). <paramref name="sinceReadSeconds"/>: time since the state was read, added
 * while online.
 */
export function drivingTime(
  driver: { state: string; onlineSeconds?: string | number; maxOnlineSeconds?: string | number; restSeconds?: string | number; restsUntil?: string },
  sinceReadSeconds: number,
): string | null {
  const max = Number(driver.maxOnlineSeconds ?? 0);
  if (!max) return null;
  const rest = hoursMinutes(Number(driver.restSeconds ?? 0));
  if (driver.restsUntil) return `You reached ${hoursMinutes(max)} online: rest ${rest}, and go online again from ${clockTime(driver.restsUntil)}.`;
  const online = Number(driver.onlineSeconds ?? 0) + (driver.state === "offline" ? 0 : sinceReadSeconds);
  const left = max - online;
  const base = `Online ${hoursMinutes(online)} of ${hoursMinutes(max)} before a ${rest} rest`;
  return left <= 3600 && driver.state !== "offline" ? `${base}: ${hoursMinutes(left)} left.` : `${base}.`;
}

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th, 21st: a place in a queue. */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${suffix}`;
}

/** A point as the rider types one: "52.52000, 13.40500". */
export function point(p: LatLng): string {
  return `${p.lat.toFixed(5)}, ${p.lng.toFixed(5)}`;
}

/** A time of day on this phone, hours and minutes ("14:32"). */
export function clockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** While the driver waits at the pickup: until when it is free, and what a minute costs after (null: free all along). */
export function waitTerms(trip: { freeWaitUntil?: string; waitPerMinute?: Money }): string | null {
  if (!trip.freeWaitUntil || !trip.waitPerMinute?.amountMinor) return null;
  return `Waiting is free until ${clockTime(trip.freeWaitUntil)}; after that, ${money(trip.waitPerMinute)} a minute is added to the fare.`;
}

/** A receipt's payment status in words: "payment paid", "payment pending", "payment failed", "payment waived" (ADR 0053). */
export function paymentStatusText(status: string | undefined): string {
  return status === "payment_failed" ? "payment failed" : `payment ${(status || "none").replaceAll("_", " ")}`;
}

/** Who cancelled a trip, as riders and drivers are told it: the support desk's operators are "support". */
export function cancelledByLabel(cancelledBy: string | undefined): string {
  return cancelledBy === "operator" ? "support" : (cancelledBy ?? "—");
}

/** A cancellation by the support desk, with the reason they gave ("Cancelled by support: booked by mistake."). */
/** "Support ended your ride: … ." for a ride support completed for its driver. */
export function endedBySupport(whose: string, reason: string | undefined): string {
  const why = reason?.trim().replace(/[.\s]+$/, "");
  return `Support ended ${whose} ride${why ? `: ${why}` : ""}.`;
}

export function cancelledBySupport(reason: string | undefined): string {
  const why = reason?.trim().replace(/[.\s]+$/, "");
  return `Cancelled by support${why ? `: ${why}` : ""}.`;
}

/**
 * Stripe's zero-decimal currencies, as the services count them (UberClone.Contracts' Currencies): every other currency's
 * amounts are in hundredths. Not Intl's digits: Intl writes HUF or ISK without decimals and BHD or KWD with three, while
 * the services (and Stripe) count hundredths of those, so dividing by Intl's digits would show another amount.
 */
const ZERO_DECIMAL = new Set(["BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"]);

/** How many minor units a currency's major unit has as digits (2 for USD, EUR and HUF; 0 for JPY). */
export function minorDigits(currency: string): number {
  return ZERO_DECIMAL.has((currency || "USD").toUpperCase()) ? 0 : 2;
}

/** An amount typed in major units ("1", "1.5", "1.00") in integer minor units; null when it is not one (or not positive). */
export function toMinorUnits(typed: string, currency: string): number | null {
  const digits = minorDigits(currency);
  const match = /^(\d{1,9})(?:[.,](\d*))?$/.exec(typed.trim());
  if (!match) return null;
  const fraction = match[2] ?? "";
  if (fraction.length > digits) return null;
  const minor = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  return minor > 0 ? minor : null;
}
