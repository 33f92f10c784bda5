"use client";

import { useState } from "react";
import { api } from "@/lib/api";
import { money } from "@/lib/format";
import { runTripAction } from "@/lib/tripAction";
import type { LostItem, Money, Session, Trip } from "@/lib/types";
import { checkoutLink, usePayment } from "@/lib/usePayment";
import { Button, Field, inputClass } from "./ui";

type Props = { session: Session; trip: Trip; onChanged: (trip: Trip) => void; onError: (message: string | null) => void };

const feeText = (fee: Partial<Money> | undefined) => ((fee?.amountMinor ?? 0) > 0 ? money(fee) : null);

/**
 * The rider's lost item on a finished ride (ADR 0035): "Report a lost item" (what, and a phone the driver may call, with
 * the fee charged if it is returned), then where it stands, live (the app reads the trip again on trip.lost_item):
 * waiting for the driver, the driver has it (their note), returned and the fee, not found (report again). Close while open.
 */
export function LostItemForRider(props: Props & { refreshKey: unknown }) {
  const { session, trip } = props;
  const report = trip.lostItem;
  const [writing, setWriting] = useState(false);
  const [description, setDescription] = useState("");
  const [phone, setPhone] = useState(report?.phone ?? "");
  const feePending = report?.feePaymentStatus === "pending" || report?.feePaymentStatus === "payment_failed";
  const payment = usePayment(session, trip.tripId, report?.feePaymentAttempt ?? 0, feePending, props.refreshKey);
  const checkout = checkoutLink(payment);
  const fee = feeText(trip.lostItemReturnFee);
  const mayReport = trip.lostItemReturnFee !== undefined && !(report && ["reported", "found"].includes(report.status));

  const send = () =>
    runTripAction(
      () => api.reportLostItem(session, trip.tripId, description, phone),
      (changed) => {
        setWriting(false);
        setDescription("");
        props.onChanged(changed);
      },
      props.onError,
    );
  return (
    <section className="flex flex-col gap-2 text-sm" aria-label="Lost item" data-testid="lost-item">
      {report && <RiderStatus report={report} />}
      {report?.feePaymentStatus === "pending" && checkout && (
        <a href={checkout} target="_blank" rel="noreferrer" className="self-start rounded-md bg-green-700 px-4 py-2 font-medium text-white" data-testid="lost-item-pay-link">
          Pay the return fee
        </a>
      )}
      {report?.feePaymentStatus === "payment_failed" && (
        <Button className="self-start" onClick={() => runTripAction(() => api.payLostItemFee(session, trip.tripId), props.onChanged, props.onError)} data-testid="lost-item-pay-again">
          Pay the return fee again
        </Button>
      )}
      {report && ["reported", "found"].includes(report.status) && (
        <Button variant="secondary" className="self-start" onClick={() => runTripAction(() => api.closeLostItem(session, trip.tripId), props.onChanged, props.onError)} data-testid="lost-item-close">
          Close: I got it back or no longer need it
        </Button>
      )}
      {mayReport && !writing && (
        <Button variant="secondary" className="self-start" onClick={() => setWriting(true)} data-testid="lost-item-report">
          {report ? "Report a lost item again" : "Report a lost item"}
        </Button>
      )}
      {mayReport && writing && (
        <form
          className="flex flex-col gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          <Field label="What did you leave in the car?">
            <textarea className={inputClass} maxLength={300} required value={description} onChange={(e) => setDescription(e.target.value)} data-testid="lost-item-description" />
          </Field>
          <Field label="A phone number your driver may call (with the country code)">
            <input className={inputClass} type="tel" required placeholder="+49 151 1234 5678" value={phone} onChange={(e) => setPhone(e.target.value)} data-testid="lost-item-phone" />
          </Field>
          <p className="text-slate-600" data-testid="lost-item-fee">
            {fee ? `If the driver returns it, a ${fee} return fee is charged to your card; it goes to them in full.` : "Returning it costs you nothing here."}
          </p>
          <div className="flex gap-2">
            <Button type="submit" data-testid="lost-item-send">
              Tell my driver
            </Button>
            <Button type="button" variant="secondary" onClick={() => setWriting(false)}>
              Cancel
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}

function RiderStatus({ report }: { report: LostItem }) {
  const fee = feeText(report.returnFee);
  const text = {
    reported: `Waiting for the driver to answer about: ${report.description}`,
    found: `Your driver has it: ${report.driverNote ?? ""} — meet them as they say.${fee ? ` When they hand it back, ${fee} is charged.` : ""}`,
    not_found: `Not found: your driver did not find ${report.description} in the car.${report.driverNote ? ` "${report.driverNote}"` : ""}`,
    returned:
      report.feePaymentStatus === "paid"
        ? `Returned: ${fee} return fee charged.${report.feeRefunded ? ` ${money(report.feeRefunded)} of it was refunded.` : ""}`
        : report.feePaymentStatus === "payment_failed"
          ? `Returned: the ${fee} return fee could not be charged. Save another card under Account settings, or pay it by link.`
          : fee
            ? `Returned: charging the ${fee} return fee…`
            : "Returned.",
    closed: `You closed the report about: ${report.description}`,
  }[report.status];
  return (
    <p role="status" data-testid="lost-item-status">
      {text}
    </p>
  );
}

/**
 * The driver's side of a lost item on one of their trips (ADR 0035): what was left and the rider's phone while it is
 * open, "I have it" (with where and when to hand it back) or "Not in my car", then "Mark as returned".
 */
export function LostItemForDriver(props: Props) {
  const { session, trip } = props;
  const report = trip.lostItem;
  const [note, setNote] = useState("");
  if (!report) return null;
  const fee = feeText(report.returnFee);
  const answer = (found: boolean) => runTripAction(() => api.answerLostItem(session, trip.tripId, found, note), props.onChanged, props.onError);
  return (
    <section className="flex flex-col gap-2 text-sm" aria-label="Lost item" data-testid={`lost-item-driver-${trip.tripId}`}>
      <p>
        {new Date(trip.startedAt ?? trip.createdAt).toLocaleString()}: the rider left <strong data-testid="lost-item-what">{report.description}</strong>
        {report.phone && (
          <>
            {" "}
            · call them on{" "}
            <a className="underline" href={`tel:${report.phone}`} data-testid="lost-item-call">
              {report.phone}
            </a>
          </>
        )}
      </p>
      {report.status === "reported" && (
        <>
          <Field label="Where and when can you hand it back?">
            <input className={inputClass} maxLength={300} value={note} onChange={(e) => setNote(e.target.value)} placeholder="Main station, east exit, 18:00" data-testid="lost-item-note" />
          </Field>
          <div className="flex gap-2">
            <Button onClick={() => void answer(true)} disabled={note.trim().length === 0} data-testid="lost-item-found">
              I have it
            </Button>
            <Button variant="secondary" onClick={() => void answer(false)} data-testid="lost-item-not-found">
              Not in my car
            </Button>
          </div>
        </>
      )}
      {report.status === "found" && (
        <>
          <p>You said: {report.driverNote}</p>
          <Button className="self-start" onClick={() => runTripAction(() => api.lostItemReturned(session, trip.tripId), props.onChanged, props.onError)} data-testid="lost-item-returned">
            Mark as returned{fee ? ` (you get ${fee})` : ""}
          </Button>
        </>
      )}
      {report.status === "returned" && (
        <p data-testid="lost-item-driver-status">Returned. {fee
            ? report.feePaymentStatus === "paid"
              ? `The ${fee} return fee is yours.`
              : report.feePaymentStatus === "payment_failed"
                ? `The rider's card declined the ${fee} return fee; they are asked to pay it again, and it is yours once paid.`
                : `The rider is being charged ${fee} for you.`
            : ""}</p>
      )}
      {report.status === "not_found" && <p data-testid="lost-item-driver-status">You answered: not in your car.</p>}
      {report.status === "closed" && <p data-testid="lost-item-driver-status">The rider closed the report.</p>}
    </section>
  );
}

/** The driver's recent trips with a report still open, at the top of the app: a rider is waiting. */
export function LostItemsForDriver(props: Omit<Props, "trip"> & { trips: Trip[] }) {
  const open = props.trips.filter((t) => t.lostItem && ["reported", "found"].includes(t.lostItem.status));
  if (open.length === 0) return null;
  return (
    <section className="flex flex-col gap-3 rounded-lg border-2 border-amber-400 bg-amber-50 p-4" aria-label="Lost items" data-testid="lost-item-driver-card">
      <h2 className="font-semibold">A rider left something in your car</h2>
      {open.map((t) => (
        <LostItemForDriver key={t.tripId} session={props.session} trip={t} onChanged={props.onChanged} onError={props.onError} />
      ))}
    </section>
  );
}

const statusLabels: Record<LostItem["status"], string> = {
  reported: "reported, waiting for the driver",
  found: "the driver has it",
  not_found: "not found",
  returned: "returned",
  closed: "closed by the rider",
};

/** Support's view of a ride's lost-item reports (ADR 0035): each one's history, oldest first. */
export function LostItemHistory({ reports }: { reports: LostItem[] }) {
  if (reports.length === 0) return null;
  const at = (iso?: string) => (iso ? new Date(iso).toLocaleString() : "");
  return (
    <section aria-label="Lost items" data-testid="lost-item-history" className="text-sm">
      <h3 className="font-semibold">Lost items</h3>
      <ol className="flex flex-col gap-2">
        {reports.map((r) => (
          <li key={r.number} data-testid={`lost-item-history-${r.number}`}>
            <p>
              #{r.number} {r.description} · <strong>{statusLabels[r.status]}</strong> · phone {r.phone ?? "—"} · fee {money(r.returnFee)}
              {r.feePaymentStatus ? ` (${r.feePaymentStatus.replaceAll("_", " ")}${r.feeRefunded ? `, ${money(r.feeRefunded)} refunded` : ""})` : ""}
            </p>
            <ul className="ml-4 list-disc text-slate-700">
              <li>Reported {at(r.reportedAt)}</li>
              {r.supportAlertedAt && <li>The driver did not answer: sent to support {at(r.supportAlertedAt)}</li>}
              {r.answeredAt && (
                <li>
                  Driver answered {at(r.answeredAt)}: {r.status === "not_found" ? "not in the car" : "has it"}
                  {r.driverNote ? ` — "${r.driverNote}"` : ""}
                </li>
              )}
              {r.returnedAt && <li>Returned {at(r.returnedAt)}</li>}
              {r.closedAt && <li>Closed by the rider {at(r.closedAt)}</li>}
            </ul>
          </li>
        ))}
      </ol>
    </section>
  );
}
