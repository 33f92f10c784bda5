"use client";

import { useEffect, useRef, useState } from "react";
import { api } from "@/lib/api";
import { cancelledByLabel, cancelledBySupport, day, distance, duration, money, paymentStatusText } from "@/lib/format";
import { stopsOf } from "@/lib/stops";
import type { DriverEarnings, LatLng, Money, Session, SplitInvitation, Trip } from "@/lib/types";
import { FareBreakdownTable } from "./FareBreakdownTable";
import { HelpWithTrip } from "./HelpWithTrip";
import { LostItemForDriver, LostItemForRider } from "./LostItem";
import { MailButton } from "./MailButton";
import { BusinessTag, TripProfile } from "./TripProfile";
import { TripStops } from "./TripStops";
import { TipAfterRide } from "./rider/TipAfterRide";
import { Button, Card, Notice } from "./ui";
import { SplitReceipt } from "./rider/SplitFare";

/**
 * The user's trips, read again when <paramref name="version"/> changes; <paramref name="onLoaded"/> gets each read's trips.
 * With <paramref name="onRoute"/> (a rider who may book now) a receipt offers its route again (its stops too), or the way back. An open
 * receipt's help requests are read again when <paramref name="helpVersion"/> changes.
 */
export function TripHistory({
  session,
  version,
  helpVersion,
  onLoaded,
  onRoute,
}: {
  session: Session;
  version: number;
  helpVersion: number;
  onLoaded?: (trips: Trip[]) => void;
  onRoute?: (pickup: LatLng, dropoff: LatLng, stops: LatLng[]) => void;
}) {
  const [trips, setTrips] = useState<Trip[]>([]);
  const [splitRides, setSplitRides] = useState<SplitInvitation[]>([]);
  const [error, setError] = useState<string | null>(null);
  /** A receipt's action (a tip) changed its trip: shown at once, until the next read. */
  const changed = (trip: Trip) => setTrips((shown) => shown.map((t) => (t.tripId === trip.tripId ? trip : t)));
  const loaded = useRef(onLoaded);
  loaded.current = onLoaded;
  useEffect(() => {
    const show = (read: Trip[]) => {
      setTrips(read);
      loaded.current?.(read);
    };
    api.historyWithSplits(session).then(
      (read) => {
        show(read.trips);
        setSplitRides(read.splitRides);
      },
      () => show([]),
    );
  }, [session, version]);
  return (
    <Card title="Your trips">
      {error && <Notice kind="error">{error}</Notice>}
      {trips.length === 0 && splitRides.length === 0 ? (
        <p className="text-sm text-slate-600">No trips yet.</p>
      ) : trips.length === 0 ? null : (
        <ul className="divide-y divide-slate-200 text-sm" aria-label="Trip history">
          {trips.map((t) => (
            <HistoryRow key={t.tripId} trip={t} session={session} version={version} helpVersion={helpVersion} onChanged={changed} onError={setError} onRoute={onRoute} />
          ))}
        </ul>
      )}
      {splitRides.length > 0 && (
        <ul className="divide-y divide-slate-200 text-sm" aria-label="Rides you split" data-testid="split-rides">
          {splitRides.map((r) => (
            <SplitRideRow key={r.tripId} ride={r} />
          ))}
        </ul>
      )}
    </Card>
  );
}

/**
 * A ride another rider asked this one to split and whose share they paid (ADR 0040): "Split with Rita", their share as
 * the amount, and its receipt when opened (the fare, their share, the card, what support gave back of it).
 */
function SplitRideRow({ ride }: { ride: SplitInvitation }) {
  const share = ride.share ?? { amountMinor: 0, currency: ride.fare.currency };
  return (
    <li className="py-2" data-testid={`split-ride-${ride.tripId}`}>
      <details>
        <summary className="cursor-pointer">
          <span className="inline-flex w-[calc(100%-1.25rem)] justify-between gap-2">
            <span>
              {new Date(ride.completedAt || ride.invitedAt).toLocaleString()} · Split with {ride.requesterName}
            </span>
            <span>
              {money(share)} · paid
              {ride.refunded ? ` · ${money(ride.refunded)} refunded` : ""}
            </span>
          </span>
        </summary>
        <div className="mt-2 flex flex-col gap-1 rounded-md bg-slate-50 p-3" aria-label="Receipt" data-testid={`split-receipt-${ride.tripId}`}>
          <p>
            {ride.requesterName} split this ride with you: you paid <strong>{money(share)}</strong> of {money(ride.fare)}
            {ride.cardLabel ? ` with ${ride.cardLabel}` : ""}.
          </p>
          {ride.refunded && <p data-testid="split-refunded">Refunded to your card: {money(ride.refunded)}</p>}
          <p className="text-xs text-slate-500">Trip {ride.tripId}</p>
        </div>
      </details>
    </li>
  );
}

type RowProps = {
  trip: Trip;
  session: Session;
  version: number;
  helpVersion: number;
  onChanged: (trip: Trip) => void;
  onError: (message: string | null) => void;
  onRoute?: (pickup: LatLng, dropoff: LatLng, stops: LatLng[]) => void;
};

/** One trip: a line, and its receipt when opened (rendered only then: a long history stays a short page). */
function HistoryRow(props: RowProps) {
  const { trip } = props;
  const viewer = props.session.role;
  const [open, setOpen] = useState(false);
  return (
    <li className="py-2">
      <details onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary className="cursor-pointer">
          <span className="inline-flex w-[calc(100%-1.25rem)] justify-between gap-2">
            <span>
              {new Date(trip.createdAt).toLocaleString()} · {trip.vehicleClass} · {trip.givenUpByYou ? "you gave it up" : trip.status.replaceAll("_", " ")}
              <BusinessTag trip={trip} />
            </span>
            {viewer === "driver" ? (
              <span>{trip.driverEarnings ? `earned ${money(trip.driverEarnings.earnings)}` : ""}</span>
            ) : (
              <span>
                {money(trip.receipt?.amountDue?.amountMinor ? trip.receipt.amountDue : trip.fare)}
                {trip.receipt?.paymentStatus === "paid" ? " · paid" : trip.receipt?.paymentStatus === "waived" ? " · waived" : ""}
                {trip.receipt?.refunded ? ` · ${money(trip.receipt.refunded)} refunded` : ""}
              </span>
            )}
          </span>
        </summary>
        {open && <Receipt {...props} />}
      </details>
    </li>
  );
}

/**
 * A past trip's receipt: the ride, what it cost and why, what is due and whether it is paid, the ratings given; to its
 * rider, a tip they may still add (paid on its own) or one they added after paying; a lost item (ADR 0035) to report, or
 * to answer for its driver; help with the trip from support (not
 * for a driver who gave it up: it is not theirs).
 */
function Receipt({ trip, session, version, helpVersion, onChanged, onError, onRoute }: RowProps) {
  const viewer = session.role;
  const due = trip.receipt?.amountDue?.amountMinor ?? 0;
  const fee = trip.cancellation?.fee?.amountMinor ?? 0;
  const myRating = viewer === "rider" ? trip.driverRating : trip.riderRating;
  const stops = stopsOf(trip).map((s) => s.location);
  return (
    <div className="mt-2 flex flex-col gap-2 rounded-md bg-slate-50 p-3" aria-label="Receipt" data-testid={`receipt-${trip.tripId}`}>
      <p>
        {distance(trip.distanceMeters)} · about {duration(trip.durationSeconds)} · upfront price {money(trip.fare)}
      </p>
      <TripStops trip={trip} />
      {viewer === "rider" && <TripProfile trip={trip} session={session} onChanged={onChanged} onError={onError} />}
      {(trip.destinationChanges?.length ?? 0) > 0 && <p data-testid="receipt-destination-changed">Destination changed during the ride</p>}
      {viewer === "driver" && trip.withPet && (
        <p data-testid="pet-receipt">With a pet{trip.status === "completed" ? ": the pet fee is in the fare, and you earn on it as on the rest" : ""}</p>
      )}
      {trip.givenUpByYou && <p>You gave this trip up; it went back to dispatch for another driver. Nothing was earned.</p>}
      {trip.status === "completed" && trip.receipt?.fare && <FareBreakdownTable fare={trip.receipt.fare} promotion={trip.promotion} />}
      {trip.receipt?.tip && !(viewer === "rider" && trip.receipt.tipPaymentStatus) && (
        <p>
          {viewer === "rider" ? "Tip for your driver" : "The rider's tip"}: {money(trip.receipt.tip)}
          {trip.receipt.tipPaymentStatus && trip.receipt.tipPaymentStatus !== "paid" ? " (not paid yet)" : ""}
        </p>
      )}
      {trip.scheduledFor && <p>Booked for {new Date(trip.scheduledFor).toLocaleString()}.</p>}
      {trip.status === "cancelled" && trip.cancellation?.cancelledBy === "system" && <p>{trip.cancellation.reason} No charge.</p>}
      {trip.status === "cancelled" &&
        trip.cancellation?.cancelledBy !== "system" &&
        (trip.cancellation?.cancelledBy === "operator" ? (
          <p>
            {cancelledBySupport(trip.cancellation.reason)}
            {fee > 0 ? ` Cancellation fee ${money({ amountMinor: fee, currency: trip.fare.currency })}.` : " No charge."}
          </p>
        ) : (
          <p>
            Cancelled by {trip.cancellation?.cancelledBy === viewer ? "you" : cancelledByLabel(trip.cancellation?.cancelledBy)}
            {fee > 0 ? `: cancellation fee ${money({ amountMinor: fee, currency: trip.fare.currency })}.` : ", at no charge."}
          </p>
        ))}
      {trip.status === "no_drivers_found" && <p>No driver was found; nothing was charged.</p>}
      {due > 0 && (
        <p>
          {viewer === "rider" ? "Amount due" : "Rider's amount due"}: <strong>{money({ amountMinor: due, currency: trip.fare.currency })}</strong> ·{" "}
          {viewer === "driver" && trip.receipt?.paymentStatus === "waived" ? (
            // Support forgave what the rider owed (ADR 0053): the platform bears it, the driver's earnings stand.
            <span data-testid="driver-fare-waived">waived by UberClone support — your earnings for this ride are unchanged</span>
          ) : (
            paymentStatusText(trip.receipt?.paymentStatus ?? "pending")
          )}
          {trip.receipt?.paymentStatus === "paid" && trip.receipt.paidWith && (
            <span data-testid="paid-with-card">{trip.receipt.paidWith === "cash" ? " — Paid in cash" : ` with ${trip.receipt.paidWith}`}</span>
          )}
        </p>
      )}
      {due > 0 && trip.receipt?.creditPaid && <CreditPaid receipt={trip.receipt} due={due} />}
      {viewer === "rider" && trip.receipt?.waived && trip.receipt.paymentStatus !== "waived" ? (
        // A part of the fare waived (ADR 0053): beside what was paid, or what is still owed.
        <p className="text-green-800" data-testid="paid-waived">
          Waived by UberClone: {money(trip.receipt.waived)}
          {trip.receipt.paymentStatus === "paid" ? "; you paid the rest." : "; you still owe the rest."}
        </p>
      ) : (
        viewer === "rider" &&
        (trip.receipt?.waivers ?? []).map((w) => (
          <p key={w.waivedAt} className="text-green-800" data-testid="paid-waived">
            UberClone support waived the {money({ amountMinor: (w.fare?.amountMinor ?? 0) + (w.returnFee?.amountMinor ?? 0), currency: trip.fare.currency })} you owed
            {(w.fare?.amountMinor ?? 0) === 0 ? " for the lost item's return" : ""} on {day(w.waivedAt)}: you owe nothing for it.
          </p>
        ))
      )}
      {viewer === "rider" && (trip.receipt?.paymentStatus === "paid" || trip.receipt?.paymentStatus === "waived") && (
        <TipAfterRide session={session} trip={trip} refreshKey={version} onChanged={onChanged} onError={onError} />
      )}
      {viewer === "rider" && <SplitReceipt trip={trip} />}
      {viewer === "rider" && trip.receipt?.refunded && <Refunds receipt={trip.receipt} />}
      {/* Final once paid, or waived by support (ADR 0053): nothing more will be charged, the copy says what was waived. */}
      {viewer === "rider" && (trip.receipt?.paymentStatus === "paid" || trip.receipt?.paymentStatus === "waived") && (
        <MailButton label="Email me this receipt" send={() => api.mailReceipt(session, trip.tripId)} testId="mail-receipt" />
      )}
      {viewer === "rider" && trip.status === "completed" && (trip.lostItem || trip.lostItemReturnFee) && (
        <LostItemForRider session={session} trip={trip} refreshKey={version} onChanged={onChanged} onError={onError} />
      )}
      {viewer === "driver" && !trip.givenUpByYou && <LostItemForDriver session={session} trip={trip} onChanged={onChanged} onError={onError} />}
      {viewer === "driver" && trip.driverEarnings && <EarningsTable earnings={trip.driverEarnings} />}
      {myRating && <p>You rated {viewer === "rider" ? "your driver" : "the rider"} {myRating.stars}★.</p>}
      {!trip.givenUpByYou && <HelpWithTrip session={session} tripId={trip.tripId} version={helpVersion} onError={onError} />}
      {onRoute && (
        <div className="flex gap-2">
          <Button variant="secondary" onClick={() => onRoute(trip.pickup, trip.dropoff, stops)}>
            This route again
          </Button>
          <Button variant="secondary" onClick={() => onRoute(trip.dropoff, trip.pickup, [...stops].reverse())}>
            The way back
          </Button>
        </div>
      )}
    </div>
  );
}

/**
 * What ride credit paid of the fare (ADR 0051) and what the card (or link) paid: "Ride credit −$5.00 · Visa •••• 4242
 * $7.00"; while the payment failed, what is still owed after the credit.
 */
function CreditPaid({ receipt, due }: { receipt: NonNullable<Trip["receipt"]>; due: number }) {
  const credit = receipt.creditPaid!;
  const rest = Math.max(0, due - (credit.amountMinor ?? 0));
  const paid = receipt.paymentStatus === "paid";
  return (
    <table className="w-full max-w-sm text-left" aria-label="How it was paid" data-testid="paid-credit">
      <tbody>
        <tr>
          <td>Ride credit</td>
          <td className="text-right" data-testid="paid-credit-amount">
            −{money(credit)}
          </td>
        </tr>
        {rest > 0 && (
          <tr className="font-semibold">
            <td>{paid ? (receipt.paidWith ? `Charged to ${receipt.paidWith}` : "Charged") : receipt.paymentStatus === "waived" ? "Waived by support" : "Still to pay"}</td>
            <td className="text-right" data-testid="paid-credit-rest">
              {money({ amountMinor: rest, currency: credit.currency })}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

const refundLabels = { goodwill: "Refund", fare_adjustment: "Fare adjustment", provider: "Refund", tip: "Tip refunded", credit: "Refunded as ride credit" } as const;

type RefundLine = NonNullable<NonNullable<Trip["receipt"]>["refunds"]>[number];

/** What of a refund went to ride credit (ADR 0051): all of one of kind credit, else the part ride credit had paid. */
function toCredit(r: RefundLine): number {
  return r.kind === "credit" ? (r.amount.amountMinor ?? 0) : (r.credit?.amountMinor ?? 0);
}

/** Where the refunds went: the card, ride credit (ADR 0051), or both. */
function refundedTo(refunds: RefundLine[]): string {
  const credit = refunds.reduce((sum, r) => sum + toCredit(r), 0);
  const all = refunds.reduce((sum, r) => sum + (r.amount.amountMinor ?? 0), 0);
  return credit === 0 ? "Refunded to your card" : credit >= all ? "Refunded as ride credit" : "Refunded to your card and as ride credit";
}

/** What was given back to the rider after paying, each refund with when; the card it was paid with gets it back, or ride credit. */
function Refunds({ receipt }: { receipt: NonNullable<Trip["receipt"]> }) {
  return (
    <table className="w-full max-w-sm text-left" aria-label="Refunds" data-testid="refunds">
      <tbody>
        {(receipt.refunds ?? []).map((r, i) => (
          <tr key={i}>
            <td>
              {refundLabels[r.kind] ?? "Refund"} · {new Date(r.refundedAt).toLocaleDateString()}
              {r.kind !== "credit" && toCredit(r) > 0 && (
                <span className="block text-xs text-slate-600" data-testid="refund-credit-part">
                  {money({ amountMinor: toCredit(r), currency: r.amount.currency })} of it as ride credit (what credit paid)
                </span>
              )}
            </td>
            <td className="text-right">−{money(r.amount)}</td>
          </tr>
        ))}
        <tr className="font-semibold">
          <td>{refundedTo(receipt.refunds ?? [])}</td>
          <td className="text-right" data-testid="refunded-total">
            {money(receipt.refunded!)}
          </td>
        </tr>
      </tbody>
    </table>
  );
}

/** How a trip's earnings come from what the rider pays. */
function EarningsTable({ earnings }: { earnings: DriverEarnings }) {
  const currency = earnings.amount.currency ?? earnings.earnings.currency;
  const minus = (value: Partial<Money> | undefined) => `−${money({ amountMinor: value?.amountMinor ?? 0, currency })}`;
  return (
    <table className="w-full max-w-sm text-left" aria-label="Your earnings" data-testid="earnings-breakdown">
      <tbody>
        <tr>
          <td>{earnings.kind === "fare" ? "Rider pays" : "Cancellation fee"}</td>
          <td className="text-right">{money({ ...earnings.amount, currency })}</td>
        </tr>
        {earnings.fareAdjustment && (
          <tr>
            <td>Fare adjustment (refunded to the rider)</td>
            <td className="text-right">{minus(earnings.fareAdjustment)}</td>
          </tr>
        )}
        {(earnings.bookingFee?.amountMinor ?? 0) > 0 && (
          <tr>
            <td>Booking fee</td>
            <td className="text-right">{minus(earnings.bookingFee)}</td>
          </tr>
        )}
        {(earnings.placeFees?.amountMinor ?? 0) > 0 && (
          <tr data-testid="earnings-place-fees">
            <td>Place fees (passed on, e.g. an airport&apos;s)</td>
            <td className="text-right">{minus(earnings.placeFees)}</td>
          </tr>
        )}
        <tr>
          <td>Service fee ({earnings.serviceFeePercent ?? 0} %)</td>
          <td className="text-right">{minus(earnings.serviceFee)}</td>
        </tr>
        {earnings.tip && (
          <tr>
            <td>Tip (all yours)</td>
            <td className="text-right">+{money(earnings.tip)}</td>
          </tr>
        )}
        {earnings.itemReturn && (
          <tr>
            <td>Lost item returned (all yours)</td>
            <td className="text-right">+{money(earnings.itemReturn)}</td>
          </tr>
        )}
        <tr className="font-semibold">
          <td>You earned</td>
          <td className="text-right">{money({ ...earnings.earnings, currency })}</td>
        </tr>
      </tbody>
    </table>
  );
}
