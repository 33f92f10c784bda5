"use client";

import { useState } from "react";
import { api, ApiError } from "@/lib/api";
import { clockTime, duration, money } from "@/lib/format";
import { useNow } from "@/lib/useNow";
import type { Money, Session, Trip } from "@/lib/types";
import { Button, Notice } from "../ui";

/**
 * What cancelling costs now: the service's figure, or the fee once its free window has passed by this phone's clock
 * (the terms were read a while ago). A phone whose clock is behind may still say "free": the cancellation carries the
 * fee the rider agreed to, and the service refuses it (409) rather than charge more.
 */
export function cancellationFee(trip: Trip, nowMs: number): Money {
  const terms = trip.cancellationTerms;
  const currency = trip.fare.currency;
  const feeNow = terms?.feeNow?.amountMinor ?? 0;
  if (feeNow > 0) return { amountMinor: feeNow, currency };
  const freeUntil = terms?.freeUntil ? Date.parse(terms.freeUntil) : NaN;
  return { amountMinor: nowMs > freeUntil ? (terms?.fee?.amountMinor ?? 0) : 0, currency };
}

/** The rider's cancel button: the terms under it, and a confirmation that says what cancelling costs before it does. */
export function CancelTrip(props: { session: Session; trip: Trip; onChanged: (trip: Trip) => void; onError: (message: string | null) => void; onStale: () => void }) {
  const { session, trip } = props;
  const [confirming, setConfirming] = useState(false);
  const [refused, setRefused] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const terms = trip.cancellationTerms;
  // The free window can end while the rider looks at the screen: what it says follows the clock.
  const now = useNow(terms?.freeUntil !== undefined);

  if (!terms) return null;
  const fee = cancellationFee(trip, now);
  const freeWindow = duration(terms.freeWindowSeconds ?? 0);
  const summary =
    fee.amountMinor > 0
      ? `Cancelling now costs ${money(fee)}.`
      : terms.freeUntil
        ? `Free cancellation until ${clockTime(terms.freeUntil)}; ${money({ amountMinor: terms.fee?.amountMinor ?? 0, currency: trip.fare.currency })} after that.`
        : `Free to cancel until a driver is on the way, and for ${freeWindow} after.`;

  async function cancel() {
    setBusy(true);
    props.onError(null);
    try {
      props.onChanged(await api.cancel(session, trip.tripId, "rider cancelled", fee.amountMinor));
      setConfirming(false);
      setRefused(null);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        // The free window ended before the request arrived: nothing was cancelled. Read the terms again and ask again.
        setRefused("Your free cancellation ended before your request arrived, so nothing was cancelled.");
        props.onStale();
      } else {
        props.onError(e instanceof ApiError ? e.message : "Could not cancel the trip. Try again.");
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="mt-3 flex flex-col gap-2">
      <p className="text-sm text-slate-600" data-testid="cancellation-terms">
        {summary}
      </p>
      {!confirming ? (
        <Button variant="danger" className="self-start" onClick={() => setConfirming(true)}>
          Cancel trip
        </Button>
      ) : (
        <div className="flex flex-col gap-2 rounded-md border border-red-200 p-3" role="group" aria-label="Cancel this trip?">
          {refused && <Notice kind="error">{refused}</Notice>}
          <p className="text-sm" data-testid="cancel-confirmation">
            {fee.amountMinor > 0
              ? `Cancel this trip? A cancellation fee of ${money(fee)} applies.`
              : trip.status === "searching"
                ? "Cancel this trip? No driver is on the way yet: it is free."
                : "Cancel this trip? It is free."}
          </p>
          <div className="flex gap-2">
            <Button variant="danger" disabled={busy} onClick={() => void cancel()}>
              {fee.amountMinor > 0 ? `Yes, cancel and pay ${money(fee)}` : "Yes, cancel"}
            </Button>
            <Button
              variant="secondary"
              disabled={busy}
              onClick={() => {
                setConfirming(false);
                setRefused(null);
              }}
            >
              Keep my trip
            </Button>
          </div>
        </div>
      )}
    </div>
  );
}
