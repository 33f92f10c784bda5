"use client";

import { useEffect, useState } from "react";
import { api } from "./api";
import type { Session, TripPayment } from "./types";

/**
 * The trip's latest payment when it is attempt <paramref name="attempt"/>, read while <paramref name="wanted"/>, and read
 * again when <paramref name="refreshKey"/> changes (a payment message arrived: the payment may exist now, or have moved
 * on). Null until it is read, and when the latest is another attempt's: an older one (replaced by a tip or a retry) is
 * not the one that counts.
 */
export function usePayment(session: Session, tripId: string | undefined, attempt: number, wanted: boolean, refreshKey: unknown): TripPayment | null {
  const [read, setRead] = useState<{ tripId: string; payment: TripPayment } | null>(null);
  useEffect(() => {
    if (!tripId || !wanted) return;
    let current = true;
    api.payment(session, tripId).then(
      (payment) => current && setRead({ tripId, payment }),
      () => undefined, // the next payment message reads it again
    );
    return () => {
      current = false;
    };
  }, [session, tripId, attempt, wanted, refreshKey]);
  return read && read.tripId === tripId && (read.payment.attempt ?? 0) === attempt ? read.payment : null;
}

/** The link to pay a payment by, while its checkout is open; null for a saved card being charged (nothing to open). */
export function checkoutLink(payment: TripPayment | null): string | null {
  return payment?.status === "open" && payment.method !== "card" && payment.checkoutUrl ? payment.checkoutUrl : null;
}

