"use client";

import { useState } from "react";
import { api, ApiError, failureText, owedNow } from "@/lib/api";
import { clockTime, day, money, toMinorUnits } from "@/lib/format";
import { useOperatorNames, whoDid, type OperatorNames } from "@/lib/operatorNames";
import type { PaymentWaiver, Session, Trip, WaiverRequest } from "@/lib/types";
import { Button, Card, Field, Notice, inputClass } from "../ui";
import { ReasonConfirmForm } from "./ReasonConfirmForm";

/** What the rider owes on the trip and support may waive (ADR 0053): a failed fare or fee, and a failed return fee. */
function owed(trip: Trip): number {
  const fare = trip.receipt?.paymentStatus === "payment_failed" ? (trip.unpaidReminders?.fare?.amountMinor ?? trip.receipt?.amountDue?.amountMinor ?? 0) : 0;
  const fee = trip.lostItems?.at(-1)?.feePaymentStatus === "payment_failed" ? (trip.unpaidReminders?.returnFee?.amountMinor ?? 0) : 0;
  return fare + fee;
}

/** "by you", or the colleague's name (ADR 0054); and who approved it, when it needed a colleague's approval. */
const by = (w: PaymentWaiver, you: string, names: OperatorNames | null) =>
  `by ${w.operatorId ? whoDid(w.operatorId, you, names) : "support"}${w.approvedBy ? `, approved by ${whoDid(w.approvedBy, you, names)}` : ""}`;

const asked = (r: WaiverRequest) => (r.fare?.amountMinor ?? 0) + (r.returnFee?.amountMinor ?? 0);

/**
 * Support waives what a rider owes after its payment failed (ADR 0053): all of it, or the amount typed (a part: the rider
 * owes the rest), with a reason (kept for support, not told to the rider), after a confirmation; the trip then shows each
 * waiver, who and why, and what stands waived beside what was paid. Above the limit one account may waive alone (of what
 * is waived) the waiver awaits a colleague's approval: its asker may withdraw it, a colleague approves or declines it.
 */
export function OpsWaivePayment(props: { session: Session; trip: Trip; onWaived: (trip: Trip) => void }) {
  const { session, trip } = props;
  const waivers = trip.receipt?.waivers ?? [];
  const stored = trip.waiverRequest;
  /** A request that lapsed (Waivers:RequestLapse) can no longer be approved: support asks again (ADR 0053). */
  const lapsed = stored?.lapsed ? stored : undefined;
  const request = lapsed ? undefined : stored;
  const names = useOperatorNames(session, [...waivers.flatMap((w) => [w.operatorId, w.approvedBy]), stored?.operatorId]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [part, setPart] = useState("");
  /** One key per waiver being made: "Yes" clicked again after a lost answer waives a part once (the gateway answers as before). */
  const [waiveKey, setWaiveKey] = useState(() => crypto.randomUUID());
  const currency = trip.receipt?.amountDue?.currency ?? trip.fare?.currency ?? "USD";
  const due = owed(trip);
  if (due === 0 && waivers.length === 0) return null;
  const amount = money({ amountMinor: due, currency });
  const typed = part.trim();
  const partMinor = typed === "" ? undefined : toMinorUnits(typed, currency);
  const waiving = partMinor ? money({ amountMinor: partMinor, currency }) : amount;
  const standing = trip.receipt?.waived;

  /**
   * What the rider owes changed since the desk showed it (409 owed-changed, ADR 0053): the trip is read again, so the desk
   * shows what is owed now, and the failure says so in <paramref name="then"/>'s words; any other failure as it came.
   */
  async function owedChanged(e: unknown, then: string): Promise<unknown> {
    const now = owedNow(e);
    if (now === null) return e;
    setWaiveKey(crypto.randomUUID());
    try {
      props.onWaived(await api.trip(session, trip.tripId));
    } catch {
      // The message still says to check: the next read of the trip shows it.
    }
    return new ApiError(409, (e as ApiError).type, `What the rider owes changed to ${money({ amountMinor: now, currency })}: ${then}`);
  }

  /** Approving, declining or withdrawing the waiver awaiting approval (ADR 0053): the trip as trips answered. */
  async function answer(act: () => Promise<Trip>) {
    setBusy(true);
    setError(null);
    try {
      props.onWaived(await act());
    } catch (e) {
      setError(failureText(await owedChanged(e, "decline it and ask again.")));
    } finally {
      setBusy(false);
    }
  }

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
        {standing && trip.receipt?.paymentStatus !== "waived" && (
          <p className="text-sm" data-testid="ops-trip-waived-part">
            Waived by UberClone: {money(standing)}
            {trip.receipt?.paymentStatus === "paid" ? "; the rider paid the rest" : due > 0 ? `; the rider still owes ${amount}` : ""}
          </p>
        )}
        {due > 0 && request && (
          <div className="flex flex-col gap-2 text-sm" data-testid="ops-waive-request">
            {request.operatorId === session.userId ? (
              <>
                <p data-testid="ops-waive-awaiting">
                  Waiting for a colleague&apos;s approval — asked by you to waive {money({ amountMinor: asked(request), currency })}
                  {request.part ? ` of the ${amount} owed` : ""}: {request.reason}
                </p>
                <div>
                  <Button variant="secondary" disabled={busy} data-testid="ops-waive-withdraw" onClick={() => answer(() => api.declineWaiver(session, trip.tripId, request.askedAt))}>
                    Withdraw
                  </Button>
                </div>
              </>
            ) : (
              <>
                <p data-testid="ops-waive-asked">
                  {whoDid(request.operatorId, session.userId, names)} asked to waive {money({ amountMinor: asked(request), currency })}
                  {request.part ? ` of the ${amount} owed` : ""}: {request.reason}
                </p>
                <div className="flex gap-2">
                  <Button disabled={busy} data-testid="ops-waive-approve" onClick={() => answer(() => api.approveWaiver(session, trip.tripId, request.askedAt))}>
                    Approve
                  </Button>
                  <Button variant="secondary" disabled={busy} data-testid="ops-waive-decline" onClick={() => answer(() => api.declineWaiver(session, trip.tripId, request.askedAt))}>
                    Decline
                  </Button>
                </div>
              </>
            )}
            {error && <Notice kind="error">{error}</Notice>}
          </div>
        )}
        {due > 0 && lapsed && (
          <p className="text-sm text-slate-600" data-testid="ops-waive-lapsed">
            {whoDid(lapsed.operatorId, session.userId, names)} asked to waive {money({ amountMinor: asked(lapsed), currency })} on {day(lapsed.askedAt)}: lapsed — ask again.
          </p>
        )}
        {due > 0 && !request && (
          <>
            <p className="text-sm">
              The rider owes {amount}: its payment failed. Waiving it means they owe nothing for this ride and can book again; UberClone bears it, the
              driver keeps what they earned. Waive part of it and they owe, and are reminded of, the rest.
            </p>
            <ReasonConfirmForm
              words={{
                testId: "ops-waive",
                label: "Reason (for support; the rider is not shown it)",
                button: `Waive ${waiving}`,
                ask: "Waive what the rider owes?",
                confirm: "Yes, waive it",
                keep: "Keep it owed",
                missing: "Say why what the rider owes is waived.",
              }}
              maxLength={500}
              question={
                partMinor && partMinor < due
                  ? `Waive ${waiving} of the ${amount} owed? The rider is told and mailed, and still owes the rest.`
                  : `Waive ${waiving}? The rider is told and mailed; it cannot be charged again.`
              }
              act={async (reason) => {
                if (partMinor === null) throw new ApiError(400, "invalid-request", `Type the amount in ${currency}, e.g. 1.00, or leave it blank to waive all of it.`);
                try {
                  // What the desk shows owed goes with it: a part sent again after it was waived is refused, not waived twice.
                  props.onWaived(await api.waivePayment(session, trip.tripId, reason, waiveKey, due, partMinor));
                } catch (e) {
                  throw await owedChanged(e, "check and waive again.");
                }
                setPart("");
                setWaiveKey(crypto.randomUUID());
              }}
            >
              <Field label={`Amount (${currency})`}>
                <input
                  className={inputClass}
                  inputMode="decimal"
                  value={part}
                  onChange={(e) => {
                    setPart(e.target.value);
                    setWaiveKey(crypto.randomUUID());
                  }}
                  placeholder={`Blank: all of it (${amount})`}
                  autoComplete="off"
                  data-testid="ops-waive-amount"
                />
              </Field>
            </ReasonConfirmForm>
          </>
        )}
      </div>
    </Card>
  );
}
