import type { CashLimit } from "./cash";
import { day, clockTime, money } from "./format";

// Driver payouts (ADR 0025): what payments answers at /api/payments/payouts (the calls are in api.ts, as every call is).

/**
 * Where a driver is paid: being set up on the provider's page, or paying out to `destination` ("DE •••• 3000"). Weekly
 * payouts run at Monday 00:00 in `timeZone` (the driver's account's IANA zone, "UTC" when none is known).
 */
export type PayoutAccount = {
  status: "onboarding" | "enabled";
  destination: string | null;
  nextPayoutAt: string | null;
  timeZone: string;
  /** The bank refused the provider's last payout to it: the driver is to update the bank account (gone once a payout is paid again). */
  bankRefusal?: BankRefusal | null;
};

/**
 * The driver's bank refused a payout the provider sent from their account there (days after ours was paid): `message` says
 * why ("the account is closed"), `paidOn` the day it was to arrive. The money waits at the provider and is paid again.
 */
export type BankRefusal = { providerPayoutId: string; amountMinor: number; currency: string; code: string; message: string; paidOn: string; at: string };

/** What is owed to the driver in one currency, in minor units: negative when a fare adjustment came after a payout. */
export type Owed = { currency: string; amountMinor: number };

export type Payout = {
  id: string;
  amountMinor: number;
  currency: string;
  /** weekly: Monday's payout; instant: the driver cashed out. */
  trigger: "weekly" | "instant";
  /** claiming: just started (shown as pending). */
  status: "claiming" | "pending" | "paid" | "failed";
  destination: string | null;
  earningsBefore: string;
  createdAt: string;
  paidAt: string | null;
  /** The provider's code when it refused the payout ("no_account"). */
  failureReason: string | null;
};

/** Whether "Cash out now" can be used: `refusal` says why not (null: it can). */
export type CashOut = { minimumMinor: number; perDay: number; usedLastDay: number; refusal: string | null };

/** GET /api/payments/payouts (the driver) and /api/payments/drivers/{id}/payouts (support): payouts newest first, at most 20. */
export type DriverPayouts = { account: PayoutAccount | null; owed: Owed[]; cashOut: CashOut; payouts: Payout[]; cashLimits?: CashLimit[] };

/** POST /api/payments/payouts/account: the provider's page where the driver gives their bank account (a same-origin path in the sandbox). */
export type PayoutOnboarding = { url: string };

/** payout.paid's data: a payout reached the provider, on its way to the driver's bank account. */
export type PayoutPaid = { payoutId: string; amountMinor: number; currency: string; trigger: string; destination: string; at: string };

/** payout.failed's data: the provider refused a payout (reason: its code); what it held is owed to the driver again. */
export type PayoutFailed = { payoutId: string; amountMinor: number; currency: string; trigger: string; reason: string; at: string };

/** payout.bank_refused's data: the driver's bank refused a payout (the same as the account's `bankRefusal`). */
export type PayoutBankRefused = BankRefusal & { driverId: string };

/** payout.bank_refusal_cleared's data: the provider's payout `providerPayoutId` reached the driver's bank after it refused one. */
export type PayoutBankRefusalCleared = { driverId: string; providerPayoutId: string; amountMinor: number; currency: string; at: string };

/**
 * "Your bank did not accept $12.34 paid on 3 Dec: the account is closed." (the day Stripe names, wherever the phone is);
 * for support at the desk, "The bank refused $12.34 paid on 3 Dec: the account is closed (since 7 Dec 10:58)".
 */
export function bankRefusalText(refusal: BankRefusal, reader: "driver" | "support" = "driver"): string {
  const paidOn = new Date(refusal.paidOn).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
  if (reader === "driver") return `Your bank did not accept ${money(refusal)} paid on ${paidOn}: ${refusal.message}.`;
  const at = new Date(refusal.at);
  const since = `${at.toLocaleDateString("en-GB", { day: "numeric", month: "short" })} ${at.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" })}`;
  return `The bank refused ${money(refusal)} paid on ${paidOn}: ${refusal.message} (since ${since})`;
}

/** "Cash-out" or "Weekly". */
export function payoutKind(payout: Pick<Payout, "trigger">): string {
  return payout.trigger === "instant" ? "Cash-out" : "Weekly";
}

/** "Paid", "Pending", "Failed: no_account". */
export function payoutStatus(payout: Pick<Payout, "status" | "failureReason">): string {
  if (payout.status === "paid") return "Paid";
  if (payout.status === "failed") return `Failed: ${payout.failureReason ?? "refused"}`;
  return "Pending";
}

/** When a payout was made (paid, or started): "5 Dec 2026, 14:32". */
export function payoutWhen(payout: Pick<Payout, "createdAt" | "paidAt">): string {
  const at = payout.paidAt ?? payout.createdAt;
  return `${day(at)}, ${clockTime(at)}`;
}

/**
 * The day of the next weekly payout, "Mon 7 Dec": it runs at Monday 00:00 in the driver's zone, so the day is read
 * there (in another zone that instant may be a Sunday).
 */
export function payoutDay(account: Pick<PayoutAccount, "nextPayoutAt" | "timeZone">): string {
  if (!account.nextPayoutAt) return "";
  return new Date(account.nextPayoutAt).toLocaleDateString(undefined, { weekday: "short", day: "numeric", month: "short", timeZone: account.timeZone });
}

/** The amounts owed that are not zero (lines that cancel each other out owe nothing). */
export function owedAmounts(view: Pick<DriverPayouts, "owed">): Owed[] {
  return view.owed.filter((o) => o.amountMinor !== 0);
}

/** "$12.34" for an amount owed in minor units, whichever its sign. */
export function owedMoney(owed: Owed): string {
  return money({ amountMinor: Math.abs(owed.amountMinor), currency: owed.currency });
}
