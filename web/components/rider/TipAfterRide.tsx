"use client";

import { api } from "@/lib/api";
import { runTripAction } from "@/lib/tripAction";
import { money } from "@/lib/format";
import type { Session, Trip } from "@/lib/types";
import { cardFailure } from "@/lib/cards";
import { checkoutLink, usePayment } from "@/lib/usePayment";
import { TipChooser } from "./TipChooser";

const tipStatus: Record<string, string> = {
  pending: "waiting for your payment",
  paid: "paid, thank you",
  payment_failed: "the payment did not go through",
};

/**
 * A paid trip's tip, paid on its own: the choice while the rider may still tip (trips says until when), then the tip's
 * state and, while it is unpaid, the link to its checkout, or the saved card being charged (and why it was declined).
 * The payment is read again when <paramref name="refreshKey"/> changes (a payment message arrived: it may exist now).
 */
export function TipAfterRide(props: {
  session: Session;
  trip: Trip;
  refreshKey: unknown;
  onChanged: (trip: Trip) => void;
  onError: (message: string | null) => void;
}) {
  const { session, trip } = props;
  const receipt = trip.receipt;
  const pending = receipt?.tipPaymentStatus === "pending";
  const failed = receipt?.tipPaymentStatus === "payment_failed";
  const attempt = receipt?.tipPaymentAttempt ?? 0;
  const payment = usePayment(session, trip.tripId, attempt, pending || failed, props.refreshKey);
  const checkout = checkoutLink(payment);
  const byCard = payment?.method === "card" ? payment : null;

  const separate = receipt?.tip && receipt.tipPaymentStatus;
  if (!separate && !receipt?.tipUntil) return null;
  return (
    <div className="flex flex-col gap-2 text-sm" data-testid="tip-after-ride">
      {separate && (
        <p data-testid="tip-status">
          Tip for your driver: <strong>{money(receipt.tip!)}</strong> · {tipStatus[receipt.tipPaymentStatus!] ?? receipt.tipPaymentStatus}
          {failed && byCard?.status === "failed" && <span data-testid="tip-card-declined"> · {cardFailure(byCard)}</span>}
        </p>
      )}
      {pending &&
        (byCard ? (
          <p className="text-slate-600">Charging {byCard.cardLabel}…</p>
        ) : checkout ? (
          <a href={checkout} target="_blank" rel="noreferrer" className="self-start rounded-md bg-green-700 px-4 py-2 font-medium text-white" data-testid="tip-pay-link">
            Pay the tip
          </a>
        ) : (
          <p className="text-slate-600">Preparing the payment…</p>
        ))}
      {receipt?.tipUntil && (
        <TipChooser
          fare={trip.fare}
          label={`Add a tip for your driver? All of it goes to them; it is paid on its own (until ${new Date(receipt.tipUntil).toLocaleDateString()}).`}
          onTip={(amountMinor) => runTripAction(() => api.tip(session, trip.tripId, amountMinor), props.onChanged, props.onError)}
        />
      )}
    </div>
  );
}
