"use client";

import { api } from "@/lib/api";
import { clockTime, day, money } from "@/lib/format";
import { useOperatorNames, whoDid, type OperatorNames } from "@/lib/operatorNames";
import type { PaymentWaiver, Session, Trip } from "@/lib/types";
import { Card } from "../ui";
import { ReasonConfirmForm } from "./ReasonConfirmForm";

/** What the rider owes on the trip and support may waive (ADR 0053): a failed fare or fee, and a failed return fee. */
function owed(trip: Trip): number {
  const fare = trip.receipt?.paymentStatus === "payment_failed" ? (trip.unpaidReminders?.fare?.amountMinor ?? trip.receipt?.amountDue?.amountMinor ?? 0) : 0;
  const fee = trip.lostItems?.at(-1)?.feePaymentStatus === "payment_failed" ? (trip.unpaidReminders?.returnFee?.amountMinor ?? 0) : 0;
  return fare + fee;
}

/** "by you", or the colleague's name (ADR 0054). */
const by = (w: PaymentWaiver, you: string, names: OperatorNames | null) => `by ${w.operatorId ? whoDid(w.operatorId, you, names) : "support"}`;

/**
 * Support waives what a rider owes after its payment failed (ADR 0053): with a reason (kept for support, not told to the
 * rider), after a confirmation; the trip then shows each waiver, who and why.
 */
export function OpsWaivePayment(props: { session: Session; trip: Trip; onWaived: (trip: Trip) => void }) {
  const { session, trip } = props;
  const waivers = trip.receipt?.waivers ?? [];
  const names = useOperatorNames(session, waivers.map((w) => w.operatorId));
  const currency = trip.receipt?.amountDue?.currency ?? trip.fare?.currency ?? "USD";
  const due = owed(trip);
  if (due === 0 && waivers.length === 0) return null;
  const amount = money({ amountMinor: due, currency });

  return (
    <Card title="What the rider owes" testId="ops-waive">
      <div className="flex flex-col gap-3">
        {waivers.length > 0 && (
          <ul aria-label="Waived" className="text-sm">
            {waivers.map((w) => (
              <li key={w.waivedAt} data-testid="ops-trip-waived">
                Waived {money({ amountMinor: (w.fare?.amountMinor ?? 0) + (w.returnFee?.amountMinor ?? 0), currency })}
                {(w.returnFee?.amountMinor ?? 0) > 0 ? " (with the lost item's return fee)" : ""} on {day(w.waivedAt)}, {clockTime(w.waivedAt)} {by(w, session.userId, names)}:{" "}
                {w.reason}
              </li>
            ))}
          </ul>
        )}
        {due > 0 && (
          <>
            <p className="text-sm">
              The rider owes {amount}: its payment failed. Waiving it means they owe nothing for this ride and can book again; UberClone bears it, the
              driver keeps what they earned.
            </p>
            <ReasonConfirmForm
              words={{
                testId: "ops-waive",
                label: "Reason (for support; the rider is not shown it)",
                button: `Waive ${amount}`,
                ask: "Waive what the rider owes?",
                confirm: "Yes, waive it",
                keep: "Keep it owed",
                missing: "Say why what the rider owes is waived.",
              }}
              maxLength={500}
              question={`Waive ${amount}? The rider is told and mailed; it cannot be charged again.`}
              act={async (reason) => props.onWaived(await api.waivePayment(session, trip.tripId, reason))}
            />
          </>
        )}
      </div>
    </Card>
  );
}
