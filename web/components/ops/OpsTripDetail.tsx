"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "@/lib/api";
import { useLoad } from "@/lib/useLoad";
import { rereadUntil } from "@/lib/reread";
import { cancelledByLabel, clockTime, day, distance, duration, money, paymentStatusText, point } from "@/lib/format";
import type { DriverEarnings, Money, RefundResult, SafetyCheck, Session, Trip, UnpaidReminders } from "@/lib/types";
import { FareBreakdownTable } from "../FareBreakdownTable";
import { TripStops } from "../TripStops";
import { preferenceLabels } from "@/lib/preferences";
import { Card, Notice, StatusBadge } from "../ui";
import { OpsCancelTrip } from "./OpsCancelTrip";
import { OpsReservations } from "./OpsReservations";
import { OpsHelpRequests } from "./OpsHelpRequests";
import { OpsSupportActions } from "./OpsSupportActions";
import { OpsMessages } from "./OpsMessages";
import { OpsPayments } from "./OpsPayments";
import { OpsRefundForm } from "./OpsRefundForm";
import { OpsWaivePayment } from "./OpsWaivePayment";
import { MailButton } from "../MailButton";
import { LostItemHistory } from "../LostItem";

/** A hold payments has not settled yet: it is still asked for, held, or being taken or let go. */
const holdOpen = (status: string | undefined) => status === "placing" || status === "held" || status === "capturing" || status === "releasing";

/**
 * Everything about one trip for the support desk: its timeline, what it cost, its payments and refunds, what rider and
 * driver wrote; their help requests about it, to answer; a refund once it is paid, a cancellation while it has not
 * started. Read again when version changes.
 */
export function OpsTripDetail(props: { session: Session; tripId: string; version: number; helpVersion: number; onOpenUser: (userId: string) => void }) {
  const { session, tripId, version } = props;
  const { data: trip, setData: setTrip, error } = useLoad(() => api.trip(session, tripId), [session, tripId, version], "Could not load this trip.");
  const [paymentsVersion, setPaymentsVersion] = useState(0);
  /** undefined: being read; null: the trip has no payment (nor hold) yet. */
  const { data: tripPayments, setData: setTripPayments, error: paymentsError } = useLoad(() => api.tripPayments(session, tripId),
    [session, tripId, version, paymentsVersion], "Could not load the payments.");
  const payments = tripPayments === undefined ? undefined : (tripPayments?.sessions ?? null);
  const hold = tripPayments?.hold ?? null;
  // Payments takes or lets go a booking's hold when the trip's end reaches it (Kafka): while a trip that ended shows its
  // hold still open, its payments are read again until it is settled.
  const ended = trip?.status === "completed" || trip?.status === "cancelled" || trip?.status === "no_drivers_found";
  const settling = ended && holdOpen(hold?.status);
  useEffect(() => {
    if (!settling) return;
    let alive = true;
    void rereadUntil(() => api.tripPayments(session, tripId), (read) => !holdOpen(read?.hold?.status), setTripPayments, () => alive);
    return () => {
      alive = false;
    };
  }, [settling, session, tripId]);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  /** A refund went through at payments: its sessions now, and the trip again until trips has recorded the refund too. */
  const refunded = useCallback(
    async (_result: RefundResult, refundedBefore: number) => {
      setPaymentsVersion((v) => v + 1);
      // Trips records the refund when payments' event reaches it (Kafka): the trip is read again until it has.
      await rereadUntil(() => api.trip(session, tripId), (read) => (read.receipt?.refunded?.amountMinor ?? 0) !== refundedBefore, setTrip,
        () => mounted.current, [500, 750, 1000, 1250, 1500]);
    },
    [session, tripId],
  );

  /**
   * Support waived what the rider owed (ADR 0053): the trip as trips answered; payments closes the declined checkouts
   * when trips' event reaches it (Kafka), so the payments are read again until none of the trip's charges is left failed.
   * A waiver awaiting a colleague's approval, withdrawn or declined waived nothing: the trip as answered is all. A part
   * waived closes the declined checkout of the whole too (the rest is paid with a new one): read again as well.
   */
  const waived = useCallback(
    async (next: Trip) => {
      setTrip(next);
      const stillOwed = next.receipt?.paymentStatus === "payment_failed" || next.lostItems?.at(-1)?.feePaymentStatus === "payment_failed";
      if (next.waiverRequest || (stillOwed && !next.receipt?.waived)) return;
      await rereadUntil(() => api.tripPayments(session, tripId), (read) => !(read?.sessions ?? []).some((p) => p.status === "failed" && p.purpose !== "tip"),
        setTripPayments, () => mounted.current, [500, 750, 1000, 1250, 1500]);
    },
    [session, tripId, setTrip, setTripPayments],
  );

  if (error && !trip) return <Notice kind="error">{error}</Notice>;
  if (!trip) return <p className="text-sm text-slate-600">Loading…</p>;
  const currency = trip.fare.currency;
  const receipt = trip.receipt;
  const fee = trip.cancellation?.fee?.amountMinor ?? 0;

  return (
    <div className="flex flex-col gap-4">
      <Card title="Trip" testId="ops-trip">
        {error && <Notice kind="error">{error}</Notice>}
        <div className="mb-3 flex flex-wrap items-center gap-2">
          <span className="font-mono text-sm break-all" data-testid="ops-trip-id">
            {trip.tripId}
          </span>
          <StatusBadge status={trip.status} testId="ops-trip-status" />
          <span className="text-sm text-slate-600">
            {trip.vehicleClass} · upfront price {money(trip.fare)}
            {trip.surgeMultiplier && trip.surgeMultiplier > 1 ? ` · surge ×${trip.surgeMultiplier.toFixed(1)}` : ""}
            {trip.searchingAgain ? " · searching again (a driver gave it up)" : ""}
          </span>
        </div>

        <div className="mb-3 flex flex-wrap gap-2">
          <Party session={session} label="Rider" userId={trip.riderId} version={version} onOpen={props.onOpenUser} testId="ops-trip-rider" />
          {trip.driver ? (
            <Party session={session} label="Driver" userId={trip.driver.driverId} version={version} onOpen={props.onOpenUser} testId="ops-trip-driver" />
          ) : (
            <span className="self-center text-sm text-slate-600">No driver assigned.</span>
          )}
        </div>

        <div className="grid gap-4 text-sm md:grid-cols-2">
          <section aria-label="Timeline">
            <h3 className="mb-1 font-medium">Timeline</h3>
            <Timeline trip={trip} />
            <TripStops trip={trip} />
            <p className="mt-2">
              Route: {distance(trip.distanceMeters)} · about {duration(trip.durationSeconds)}
            </p>
            {trip.passenger && (
              <p data-testid="ops-trip-passenger">
                Booked for {trip.passenger.name}
                {trip.passenger.phone ? ` · ${trip.passenger.phone}` : ""}
              </p>
            )}
            {trip.pickupNote && <p data-testid="ops-trip-pickup-note">Note for the driver: {trip.pickupNote}</p>}
            {preferenceLabels(trip.ridePreferences).length > 0 && (
              <p data-testid="prefs-ops-trip">Ride preferences: {preferenceLabels(trip.ridePreferences).join(" · ")} (wishes, not requirements)</p>
            )}
            {trip.wheelchairAccessible && (
              <p data-testid="wav-ops-trip">Wheelchair accessible · offered only to drivers whose vehicle is approved as such; longer free wait at the pickup</p>
            )}
            {trip.withPet && (
              <p data-testid="ops-trip-pet">
                With a pet
                {receipt?.fare?.petFeeMinor ? ` · pet fee ${money({ amountMinor: receipt.fare.petFeeMinor, currency })} in the fare` : ""} · offered
                only to drivers who welcome pets
              </p>
            )}
            <p data-testid="ops-trip-profile">
              Profile: {trip.profile === "business" ? "Business" : "Personal"}
              {trip.profile === "business" && trip.expenseMemo ? ` · expense memo: ${trip.expenseMemo}` : ""}
            </p>
            <p data-testid="pin-ops-status">
              {!trip.pinRequired ? "No PIN on this ride" : trip.startedAt ? "PIN verified" : "PIN required"}
              {trip.pinLockedUntil && new Date(trip.pinLockedUntil).getTime() > Date.now() && ` · start locked until ${new Date(trip.pinLockedUntil).toLocaleTimeString()} (too many wrong PINs)`}
            </p>
            <p data-testid="ops-trip-wrong-pins">Wrong PIN attempts: {trip.wrongPinAttempts ?? 0}</p>
            {(trip.driverReservations ?? []).length > 0 && (
              <OpsReservations session={session} trip={trip} onChanged={setTrip} onOpenUser={props.onOpenUser} />
            )}
            {(trip.destinationChanges ?? []).length > 0 && (
              <ul className="mt-1" aria-label="Destination changes" data-testid="ops-trip-destination-changes">
                {trip.destinationChanges!.map((change) => (
                  <li key={change.changedAt}>
                    {new Date(change.changedAt).toLocaleTimeString()}: the rider changed the drop-off to {point(change.to)} · fare {money(change.fareBefore)} → {money(change.fareAfter)}
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section aria-label="Charges" className="flex flex-col gap-2">
            <h3 className="font-medium">Charges</h3>
            {receipt?.fare ? <FareBreakdownTable fare={receipt.fare} promotion={trip.promotion} /> : <p className="text-slate-600">No fare yet.</p>}
            <p data-testid="ops-trip-payment">
              Amount due: <strong>{money(receipt?.amountDue ?? { amountMinor: 0, currency })}</strong> · {paymentStatusText(receipt?.paymentStatus)}
              {receipt?.paymentStatus === "paid" && receipt.paidWith
                ? receipt.paidWith === "cash"
                  ? " — Paid in cash"
                  : receipt.paidWith === "ride credit"
                    ? " with the rider's ride credit"
                    : ` with the rider's card ${receipt.paidWith}`
                : ""}
              {receipt?.creditPaid && receipt.paidWith !== "ride credit" && (
                <span data-testid="ops-trip-credit-paid"> · {money(receipt.creditPaid)} of it with ride credit</span>
              )}
              {receipt?.waived && receipt.paymentStatus !== "waived" && <span data-testid="ops-trip-waived-amount"> · Waived by UberClone: {money(receipt.waived)}</span>}
              {receipt?.paymentAttempt ? ` (attempt ${receipt.paymentAttempt})` : ""}
            </p>
            {trip.unpaidReminders && <UnpaidNote unpaid={trip.unpaidReminders} currency={currency} />}
            {receipt?.tip && (
              <p>
                Tip: {money(receipt.tip)}
                {receipt.tipPaymentStatus ? ` · paid on its own: ${receipt.tipPaymentStatus.replaceAll("_", " ")}` : " · with the fare"}
              </p>
            )}
            <TripRefunds receipt={receipt} currency={currency} split={trip.split} />
            {(receipt?.paymentStatus === "paid" || receipt?.paymentStatus === "waived") && (
              <MailButton label="Email the receipt to the rider" send={() => api.mailReceipt(session, tripId)} testId="mail-receipt" />
            )}
          </section>

          {(trip.split?.invitees?.length ?? 0) > 0 && <SplitSection split={trip.split!} />}

          {trip.driverEarnings && (
            <section aria-label="Driver earnings">
              <h3 className="mb-1 font-medium">Driver earnings</h3>
              <Earnings earnings={trip.driverEarnings} />
            </section>
          )}

          {trip.cancellation && (
            <section aria-label="Cancellation" data-testid="ops-trip-cancellation">
              <h3 className="mb-1 font-medium">Cancellation</h3>
              <p>
                By {cancelledByLabel(trip.cancellation.cancelledBy)}
                {trip.cancellation.cancelledAt ? ` at ${new Date(trip.cancellation.cancelledAt).toLocaleString()}` : ""}
              </p>
              <p>Reason: {trip.cancellation.reason || "—"}</p>
              <p>Fee: {fee > 0 ? money({ amountMinor: fee, currency }) : "none"}</p>
            </section>
          )}

          <LostItemHistory reports={trip.lostItems ?? []} />

          <section aria-label="Ratings">
            <h3 className="mb-1 font-medium">Ratings</h3>
            <p>Rider rated the driver: {rating(trip.driverRating)}</p>
            <p>Driver rated the rider: {rating(trip.riderRating)}</p>
          </section>
        </div>
      </Card>

      <OpsHelpRequests session={session} tripId={tripId} version={version} helpVersion={props.helpVersion} />
      <OpsPayments
        payments={payments}
        hold={hold}
        error={paymentsError}
        session={session}
        names={new Map((trip.split?.invitees ?? []).map((i) => [i.riderId, i.name]))}
      />
      {payments && <OpsRefundForm session={session} trip={trip} payments={payments} onRefunded={refunded} />}
      <OpsWaivePayment session={session} trip={trip} onWaived={waived} />
      <OpsCancelTrip session={session} trip={trip} onCancelled={setTrip} />
      <OpsMessages session={session} tripId={tripId} version={version} />
      {/* Read again with the page, after the desk's refunds, waivers, cancelling or ending the trip, and with every help.updated. */}
      <OpsSupportActions
        session={session}
        about={{ tripId }}
        version={`${version}:${paymentsVersion}:${trip.status}:${receipt?.waivers?.length ?? 0}:${trip.waiverRequest?.askedAt ?? ""}:${props.helpVersion}`}
        asCard
      />
    </div>
  );
}

const rating = (r: Trip["driverRating"]) => (r ? `${r.stars}★${r.comment ? ` “${r.comment}”` : ""}` : "—");

/** The rider or the driver: who they are, and a button that opens their account and trips. */
function Party(props: { session: Session; label: string; userId: string; version: number; onOpen: (userId: string) => void; testId: string }) {
  const { session, userId, version } = props;
  // Unreadable: the button still shows the id and opens the account (which says why it cannot be read).
  const { data: user } = useLoad(() => api.opsUser(session, userId), [session, userId, version], "");
  return (
    <button
      type="button"
      onClick={() => props.onOpen(userId)}
      className="rounded-md border border-slate-300 bg-white px-3 py-2 text-left text-sm hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500"
      data-testid={props.testId}
    >
      <span className="block text-xs text-slate-600">{props.label}</span>
      <span className="font-medium">{user?.name ?? userId}</span>
      {user && <span className="block text-xs text-slate-700">{user.email}</span>}
    </button>
  );
}

/** When each step happened; a step not (yet) reached shows "—". */
function Timeline({ trip }: { trip: Trip }) {
  const end: [string, string | undefined] = trip.status === "cancelled" ? ["Cancelled", trip.cancellation?.cancelledAt] : ["Completed", trip.completedAt];
  const steps: [string, string | undefined][] = [
    ["Requested", trip.createdAt],
    // A ride booked for later: when the rider wants it, and when its search starts.
    ...(trip.scheduledFor ? ([["Pickup time booked", trip.scheduledFor], ["Search starts", trip.dispatchAt]] as [string, string | undefined][]) : []),
    ["Driver assigned", trip.driver?.assignedAt],
    ["Driver arrived", trip.arrivedAt],
    ["Started", trip.startedAt],
    ...safetyCheckSteps(trip),
    end,
  ];
  return (
    <ol className="flex flex-col gap-0.5" data-testid="ops-trip-timeline">
      {steps.map(([label, at]) => (
        <li key={label} className={`flex justify-between gap-4 ${at ? "" : "text-slate-400"}`}>
          <span>{label}</span>
          <span>{at ? new Date(at).toLocaleString() : "—"}</span>
        </li>
      ))}
    </ol>
  );
}

/**
 * RideCheck (ADR 0033), between the start and the end: each time the car stood still too long, drove away from where
 * the ride goes or its driver's phone went silent, and the rider and driver were asked "Is everything OK?", who answered what and when, or that nobody did
 * and support was told.
 */
/** "stopped 4 min", "2.1 km away from its destination", "no location for 6 min, last". */
function safetyCheckWhat(c: SafetyCheck): string {
  switch (c.kind) {
    case "detour":
      return `${((c.detourMeters ?? 0) / 1000).toFixed(1)} km away from its destination`;
    case "silent":
      return `no location for ${c.stoppedMinutes ?? 1} min, last`;
    default:
      return `stopped ${c.stoppedMinutes ?? 1} min`;
  }
}

function safetyCheckSteps(trip: Trip): [string, string | undefined][] {
  return (trip.safetyChecks ?? []).flatMap((c): [string, string | undefined][] => [
    [
      `RideCheck ${c.number}: ${safetyCheckWhat(c)}${c.location ? ` at ${point(c.location)}` : ""}`,
      c.openedAt,
    ],
    ...(c.supportAlertedAt ? ([[`RideCheck ${c.number}: nobody answered, support told`, c.supportAlertedAt]] as [string, string][]) : []),
    [
      c.answer ? `RideCheck ${c.number}: the ${c.answeredBy} answered ${c.answer === "help" ? "\u201cI need help\u201d" : "\u201cI\u2019m OK\u201d"}` : `RideCheck ${c.number}: not answered`,
      c.answeredAt || undefined,
    ],
  ]);
}

const refundKinds: Record<string, string> = { goodwill: "Goodwill", fare_adjustment: "Fare adjustment", provider: "At the provider", duplicate_payment: "Duplicate payment", tip: "Tip", credit: "As ride credit" };

/** What trips has recorded as given back to the rider (from payments' events): each refund, and the total. */
/** What the rider owes since a payment failed, and the mails about it (ADR 0039). */
function UnpaidNote({ unpaid, currency }: { unpaid: UnpaidReminders; currency: string }) {
  const owed = (unpaid.fare?.amountMinor ?? 0) + (unpaid.returnFee?.amountMinor ?? 0);
  const sent = unpaid.sent ?? 0;
  return (
    <p className="text-red-800" data-testid="ops-trip-unpaid">
      Owed since {day(unpaid.owedSince)}, {clockTime(unpaid.owedSince)}: {money({ amountMinor: owed, currency })}
      {(unpaid.returnFee?.amountMinor ?? 0) > 0 ? " (with the lost item's return fee)" : ""} · the rider was mailed when it failed
      {sent > 0 ? ` and reminded ${sent === 1 ? "once" : `${sent} times`}` : ""}
      {unpaid.nextAt ? ` · next reminder ${day(unpaid.nextAt)}` : " · no reminder left"}
    </p>
  );
}

const splitStatuses: Record<string, string> = { invited: "asked, no answer yet", accepted: "accepted", declined: "declined", withdrawn: "withdrawn by the rider", lapsed: "lapsed (no answer before the end)" };
const shareStatuses: Record<string, string> = { pending: "being charged", paid: "paid on their card", declined: "their card declined: the rider paid it" };

/** A split fare (ADR 0040): who the rider asked, their answers, each share and what came of charging it, what was given back. */
function SplitSection({ split }: { split: NonNullable<Trip["split"]> }) {
  return (
    <section aria-label="Split fare" data-testid="ops-trip-split">
      <h3 className="mb-1 font-medium">Split fare</h3>
      {split.fare && (
        <p>
          Fare shared {money(split.fare)} · the rider&apos;s share {money(split.yourShare ?? { amountMinor: 0, currency: split.fare.currency })} · the rider paid{" "}
          {money(split.youPaid ?? { amountMinor: 0, currency: split.fare.currency })}
        </p>
      )}
      <ul>
        {(split.invitees ?? []).map((i) => (
          <li key={i.riderId} data-testid="ops-trip-split-invitee" data-status={i.status}>
            {i.name}: {splitStatuses[i.status] ?? i.status}
            {i.share ? ` · share ${money(i.share)}` : ""}
            {i.shareStatus ? ` · ${shareStatuses[i.shareStatus] ?? i.shareStatus}` : ""}
            {i.declineCode ? ` (${i.declineCode})` : ""}
            {i.refunded ? ` · ${money(i.refunded)} refunded` : ""}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The trip's refunds; of a split fare (ADR 0040) each names the invitee whose share gave it back, the rest the rider's. */
function TripRefunds({ receipt, currency, split }: { receipt: Trip["receipt"]; currency: string; split?: Trip["split"] }) {
  const refunds = receipt?.refunds ?? [];
  if (refunds.length === 0 && !receipt?.refunded?.amountMinor) return <p className="text-slate-600">No refunds.</p>;
  return (
    <table className="w-full text-left" aria-label="Refunds" data-testid="ops-trip-refunds">
      <caption className="text-left font-medium">Refunds</caption>
      <tbody>
        {refunds.map((r, i) => (
          <tr key={i}>
            <td>{new Date(r.refundedAt).toLocaleString()}</td>
            <td>
              {refundKinds[r.kind] ?? r.kind}
              {split?.invitees?.length ? ` · to ${r.inviteeId ? (split.invitees.find((i) => i.riderId === r.inviteeId)?.name ?? "an invitee") : "the rider"}` : ""}
            </td>
            <td className="text-right">−{money(r.amount)}</td>
          </tr>
        ))}
        <tr className="font-semibold">
          <td colSpan={2}>Refunded</td>
          <td className="text-right" data-testid="ops-trip-refunded-total">
            {money(receipt?.refunded ?? { amountMinor: 0, currency })}
          </td>
        </tr>
      </tbody>
    </table>
  );
}

/** How the driver's earnings come from what the rider paid. */
function Earnings({ earnings }: { earnings: DriverEarnings }) {
  const currency = earnings.amount.currency ?? earnings.earnings.currency;
  const show = (value: Partial<Money> | undefined) => money({ amountMinor: value?.amountMinor ?? 0, currency });
  return (
    <table className="w-full text-left" aria-label="Driver earnings" data-testid="ops-trip-earnings">
      <tbody>
        <tr>
          <td>{earnings.kind === "fare" ? "Rider pays" : "Cancellation fee"}</td>
          <td className="text-right">{show(earnings.amount)}</td>
        </tr>
        {earnings.fareAdjustment && (
          <tr>
            <td>Fare adjustment</td>
            <td className="text-right">−{show(earnings.fareAdjustment)}</td>
          </tr>
        )}
        {(earnings.bookingFee?.amountMinor ?? 0) > 0 && (
          <tr>
            <td>Booking fee</td>
            <td className="text-right">−{show(earnings.bookingFee)}</td>
          </tr>
        )}
        <tr>
          <td>Service fee ({earnings.serviceFeePercent ?? 0} %)</td>
          <td className="text-right">−{show(earnings.serviceFee)}</td>
        </tr>
        {earnings.tip && (
          <tr>
            <td>Tip</td>
            <td className="text-right">+{show(earnings.tip)}</td>
          </tr>
        )}
        {earnings.itemReturn && (
          <tr>
            <td>Lost item return fee</td>
            <td className="text-right">+{show(earnings.itemReturn)}</td>
          </tr>
        )}
        <tr className="font-semibold">
          <td>Driver earned</td>
          <td className="text-right">{show(earnings.earnings)}</td>
        </tr>
      </tbody>
    </table>
  );
}
