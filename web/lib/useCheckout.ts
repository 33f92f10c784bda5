"use client";

import { useEffect, useState } from "react";
import { api } from "./api";
import type { Session } from "./types";

/**
 * The link of the open checkout of payment attempt <paramref name="attempt"/> of a trip, read while
 * <paramref name="wanted"/>, and read again when <paramref name="refreshKey"/> changes (a payment message arrived: the
 * checkout may exist now). Null until it is read, and for any other attempt's checkout: an older one (replaced by a
 * tip or a retry) can no longer be paid.
 */
export function useCheckout(session: Session, tripId: string | undefined, attempt: number, wanted: boolean, refreshKey: unknown): string | null {
  const [read, setRead] = useState<{ tripId: string; attempt: number; url: string } | null>(null);
  useEffect(() => {
    if (!tripId || !wanted) return;
    let current = true;
    api.payment(session, tripId).then(
      (p) => current && setRead(p.status === "open" ? { tripId, attempt: p.attempt ?? 0, url: p.checkoutUrl } : null),
      () => undefined, // the next payment message reads it again
    );
    return () => {
      current = false;
    };
  }, [session, tripId, attempt, wanted, refreshKey]);
  return read && read.tripId === tripId && read.attempt === attempt ? read.url : null;
}
