"use client";

import { useEffect, useState } from "react";
import { api } from "@/lib/api";
import { clockTime, money } from "@/lib/format";
import type { Session, Trip } from "@/lib/types";
import { cardFailure } from "@/lib/cards";
import { checkoutLink, usePayment } from "@/lib/usePayment";
import { Button, Card, Notice } from "../ui";

/** A finished trip whose fare or cancellation fee is still due: it is paid before the next booking (trips refuses it). */
export const isUnpaid = (t: Trip) =>
  (t.status === "completed" || t.status === "cancelled") &&
  (t.receipt?.amountDue?.amountMinor ?? 0) > 0 &&
  (t.receipt?.paymentStatus === "pending" || t.receipt?.paymentStatus === "payment_failed");

/**
 * The rider's last trip, when it is not paid yet: what is due and a way to pay it (the checkout link, or a retry after a
 * failed payment, with why a saved card was declined). Found in the history the page already read
 * (<paramref name="history"/>); its payment is read again whenever <paramref name="version"/> changes (a payment or a
 * trip changed).
 */
export function UnpaidTrip(props: { session: Session; history: Trip[]; version: number; onError: (message: string | null) => void }) {
  const { session, history, version, onError } = props;
  const [trip, setTrip] = useState<Trip | null>(null);

  useEffect(() => setTrip(history.find(isUnpaid) ?? null), [history]);

  const tripId = trip?.tripId;
  const status = trip?.receipt?.paymentStatus;
  const attempt = trip?.receipt?.paymentAttempt ?? 0;
  const payment = usePayment(session, tripId, attempt, status === "pending" || status === "payment_failed", version);
  const checkout = checkoutLink(payment);
  const byCard = payment?.method === "card" ? payment : null;

  if (!trip) return null;
  // Support waived part of it (ADR 0053): the rider owes, and pays, the rest.
  const waived = trip.receipt?.waived;
  const due = waived ? { ...trip.receipt?.amountDue, amountMinor: (trip.receipt?.amountDue?.amountMinor ?? 0) - (waived.amountMinor ?? 0) } : trip.receipt?.amountDue;
  return (
    <Card title="Payment due">
      <div className="flex flex-col gap-2" data-testid="unpaid-trip">
        <Notice kind="error">
          Your {trip.status === "cancelled" ? "cancelled trip" : "trip"} at {clockTime(trip.createdAt)} is not paid yet: {money(due)}. Pay it to book
          your next ride.
        </Notice>
        {waived && (
          <p className="text-sm text-green-800" data-testid="unpaid-waived">
            UberClone support waived {money(waived)} of it.
          </p>
        )}
        {byCard && status === "pending" && <p className="text-sm text-slate-600">Charging {byCard.cardLabel}…</p>}
        {byCard?.status === "failed" && status === "payment_failed" && (
          <p className="text-sm text-red-800" data-testid="unpaid-card-declined">
            {cardFailure(byCard)}.
          </p>
        )}
        {status === "payment_failed" && (
          <Button
            variant="secondary"
            onClick={() =>
              api.retryPayment(session, trip.tripId).then(setTrip, (e: unknown) => onError(e instanceof Error ? e.message : "Could not retry the payment."))
            }
          >
            Retry payment
          </Button>
        )}
        {checkout && (
          <a href={checkout} target="_blank" rel="noreferrer" className="inline-block self-start rounded-md bg-green-700 px-4 py-2 text-sm font-medium text-white" data-testid="unpaid-pay-link">
            Pay now
          </a>
        )}
      </div>
    </Card>
  );
}
