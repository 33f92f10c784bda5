import { ApiError } from "./api";
import type { LatLng, PickupDetails, VehicleClass } from "./types";

/**
 * A ride being booked now, as the booking named it, and the route it was priced for: kept while the browser is on the
 * bank's page, so that back on /rider?booking=authenticated the app books the same quote again and, if that is refused
 * too, shows the route again to be priced afresh.
 */
export type PendingBooking = {
  /** The rider who booked: another account signed in on this tab meanwhile does not book it. */
  riderId: string;
  quoteId: string;
  vehicleClass: VehicleClass;
  /** The card chosen in "Pay with" (none: the default card); booking again names the same one, or the bank is asked anew. */
  cardId?: string;
  /** The note for the driver and who rides (ADR 0031), booked again as they were. */
  pickupDetails?: PickupDetails;
  pickup: LatLng;
  dropoff: LatLng;
  stops: LatLng[];
};

/**
 * Why a booking was refused, as the rider is told. bank: the bank wants the rider to confirm the hold on its page first
 * (3-D Secure), with the booking to make again when it sends them back.
 */
export type BookingRefusal = { detail: string; bank: { url: string; booking: PendingBooking } | null };

/** A refusal the app itself says (no bank to go to). */
export const refusal = (detail: string): BookingRefusal => ({ detail, bank: null });

const cardAuthenticationRequired = "/card-authentication-required";

/**
 * What a refused booking of <paramref name="booking"/> says: the gateway's detail (or the fallback when it was not
 * reached), and the bank's page when the bank asks to confirm the hold (problem card-authentication-required).
 */
export function bookingRefusal(e: unknown, fallback: string, booking: PendingBooking): BookingRefusal {
  if (!(e instanceof ApiError)) return refusal(fallback);
  const url = e.type.endsWith(cardAuthenticationRequired) ? navigable(e.extension("authenticationUrl")) : null;
  return { detail: e.message, bank: url ? { url, booking } : null };
}

/**
 * The bank's page, if it is one the browser may go to: a path of the web app's (the sandbox's page, served through its
 * /checkout proxy) or an http(s) address (the bank's own, with Stripe). Anything else (javascript:, another scheme) is
 * never navigated to: the rider is then only told the detail.
 */
function navigable(url: string | null): string | null {
  if (!url) return null;
  if (url.startsWith("/")) return url.startsWith("//") ? null : url;
  try {
    const protocol = new URL(url).protocol;
    return protocol === "https:" || protocol === "http:" ? url : null;
  } catch {
    return null;
  }
}

const pendingKey = "uberclone.pendingBooking";

/** The browser goes to the bank's page, the booking kept in this tab to be made again when the bank sends it back. */
export function confirmWithBank(booking: PendingBooking, bankUrl: string): void {
  try {
    sessionStorage.setItem(pendingKey, JSON.stringify(booking));
  } catch {
    // Private mode without storage: back from the bank, the rider books again from the prices.
  }
  window.location.assign(bankUrl);
}

/**
 * Back from the bank's page: the booking kept for this rider, forgotten as it is read (a reload does not book it a
 * second time). Null when none was kept, or it is another account's (left for them).
 */
export function takePendingBooking(riderId: string): PendingBooking | null {
  try {
    const raw = sessionStorage.getItem(pendingKey);
    if (!raw) return null;
    const booking = parsePending(JSON.parse(raw));
    if (booking && booking.riderId !== riderId) return null;
    sessionStorage.removeItem(pendingKey); // this rider's, or one no app could book
    return booking;
  } catch {
    return null;
  }
}

const isPoint = (p: unknown): p is LatLng =>
  typeof p === "object" && p !== null && typeof (p as LatLng).lat === "number" && typeof (p as LatLng).lng === "number";

/** A kept booking as this version of the app wrote it; null for anything else (an older app's, a hand-edited one). */
function parsePending(value: unknown): PendingBooking | null {
  const b = value as Partial<PendingBooking> | null;
  if (typeof b !== "object" || b === null) return null;
  if (typeof b.riderId !== "string" || typeof b.quoteId !== "string" || typeof b.vehicleClass !== "string") return null;
  if (b.cardId !== undefined && typeof b.cardId !== "string") return null;
  if (!isPoint(b.pickup) || !isPoint(b.dropoff) || !Array.isArray(b.stops) || !b.stops.every(isPoint)) return null;
  return { riderId: b.riderId, quoteId: b.quoteId, vehicleClass: b.vehicleClass, cardId: b.cardId, pickup: b.pickup, dropoff: b.dropoff, stops: b.stops };
}

/**
 * Whether this address is the bank sending the rider back (?booking=authenticated); the address is cleaned at once of
 * that and of what Stripe adds (the PaymentIntent, its client secret, the redirect status), so a reload or the history
 * does not keep them.
 */
export function backFromBank(): boolean {
  const url = new URL(window.location.href);
  if (url.searchParams.get("booking") !== "authenticated") return false;
  for (const name of ["booking", "payment_intent", "payment_intent_client_secret", "redirect_status"]) url.searchParams.delete(name);
  window.history.replaceState(null, "", url.pathname + url.search + url.hash);
  return true;
}
