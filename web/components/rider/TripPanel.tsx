"use client";

import { useEffect, useRef, useState } from "react";
import { api } from "@/lib/api";
import { runTripAction } from "@/lib/tripAction";
import { cardFailure } from "@/lib/cards";
import { cashToCollect, paidInCash } from "@/lib/cash";
import { checkoutLink, usePayment } from "@/lib/usePayment";
import { cancelledBySupport, duration, endedBySupport, money, waitTerms } from "@/lib/format";
import type { DriverPosition, DriverProfile, Session, Trip } from "@/lib/types";
import { Button, Card, Notice, StatusBadge } from "../ui";
import { FareBreakdownTable } from "../FareBreakdownTable";
import { TripStops } from "../TripStops";
import { EmergencyButton, mayAlert } from "../EmergencyButton";
import { HelpWithTrip } from "../HelpWithTrip";
import { SafetyCheckCard } from "../SafetyCheckCard";
import { RatingForm } from "../RatingForm";
import { TripChat } from "../TripChat";
import { CancelTrip } from "./CancelTrip";
import { ChangeDestination, canChangeDestination, type DestinationDraft } from "./ChangeDestination";
import { MovePickup, canMovePickup, type PickupMoveDraft } from "./MovePickup";
import { MoveToCard } from "./MoveToCard";
import { PickupNoteForRider } from "./PickupNoteForRider";
import { QuietRide } from "./QuietRide";
import { ShareTrip } from "./ShareTrip";
import { SplitFare } from "./SplitFare";
import { TipAfterRide } from "./TipAfterRide";
import { TipChooser } from "./TipChooser";

export function TripPanel(props: {
  session: Session;
  trip: Trip;
  driverPosition: DriverPosition | null;
  /** Changes when a payment message arrived on the socket: the trip's payment is read again. */
  paymentVersion: number;
  onChanged: (trip: Trip) => void;
  /** What the panel shows is out of date (an action was refused for it, or the payment moved on before the trip did): read the trip again. */
  onStale: () => void;
  onError: (message: string | null) => void;
  onDone: () => void;
  /** Changes when a message of this trip arrived on the socket: the conversation is read again. */
  chatVersion: number;
  /** Changes when help.updated arrived on the socket: the trip's help requests are read again. */
  helpVersion: number;
  /** The open "Change destination" form's new drop-off (null: closed); the map shows it and sets it too. */
  destinationDraft: DestinationDraft | null;
  onDestinationDraft: (draft: DestinationDraft | null) => void;
  pickupMoveDraft: PickupMoveDraft | null;
  onPickupMoveDraft: (draft: PickupMoveDraft | null) => void;
  /** Changes when a saved card was removed elsewhere: the cards offered for the ride are read again. */
  walletVersion: number;
}) {
  const { session, trip } = props;
  const [driver, setDriver] = useState<DriverProfile | null>(null);
  const driverId = trip.driver?.driverId;

  useEffect(() => {
    if (!driverId) return;
    api.tripDriver(session, trip.tripId).then(setDriver, () => setDriver(null));
  }, [driverId, session, trip.tripId]);
  const paymentStatus = trip.receipt?.paymentStatus;
  const attempt = trip.receipt?.paymentAttempt ?? 0;

  // The payment of the trip's current attempt only: a tip replaces the open checkout with a new one (announced by
  // payment.session_created, which changes props.paymentVersion), and the old one can no longer be paid; a failed one is
  // read again (no longer open: no link). A saved card charged has no link: what is said is which card, and how it went.
  const due = trip.status === "completed" || (trip.status === "cancelled" && (trip.cancellation?.fee?.amountMinor ?? 0) > 0);
  const payment = usePayment(session, trip.tripId, attempt, due, `${props.paymentVersion}|${paymentStatus}`);
  const checkout = checkoutLink(payment);
  const byCard = payment?.method === "card" ? payment : null;
  // Payments tells this app at once that a payment went through or failed, while trips records it from the same event:
  // until the trip says so too, it is read again, a second apart, a few times at most.
  const aheadOfTrip = payment !== null && payment.status !== "open" && paymentStatus === "pending";
  const readTripAgain = useRef(props.onStale);
  readTripAgain.current = props.onStale;
  const catchUps = useRef(0);
  useEffect(() => {
    if (!aheadOfTrip) {
      catchUps.current = 0;
      return;
    }
    if (catchUps.current >= 5) return;
    const timer = setTimeout(() => {
      catchUps.current++;
      readTripAgain.current();
    }, 1000);
    return () => clearTimeout(timer);
  }, [aheadOfTrip, trip]);
  const act = (action: () => Promise<Trip>) => runTripAction(action, props.onChanged, props.onError);
  const lastChange = trip.destinationChanges?.at(-1);
  const underway = trip.status === "driver_assigned" || trip.status === "driver_arrived" || trip.status === "in_progress";
  // The upfront price held on the rider's card at booking (ADR 0027): said until the ride ends (then taken, or let go).
  const hold = (trip.status === "searching" || underway) && trip.paymentHold ? trip.paymentHold : null;

  return (
    <Card title="Your trip">
      <div className="mb-3 flex items-center gap-2">
        <StatusBadge status={trip.status} />
        <span className="text-sm text-slate-600">
          {trip.vehicleClass} · {money(trip.fare)}
          {trip.promotion && (
            <span data-testid="trip-promotion">
              {" "}
              · <span className="font-mono">{trip.promotion.code}</span> −{money(trip.promotion.discount)}
            </span>
          )}
        </span>
      </div>
      {hold && (
        <p className="mb-3 text-sm text-slate-600" data-testid="payment-hold">
          {money(hold.amount)} held on {hold.cardLabel} until the ride ends
        </p>
      )}
      {hold?.raiseDeclineCode && (
        <p className="mb-3 text-sm text-amber-700" data-testid="payment-hold-not-raised">
          Your bank declined holding the new price ({hold.raiseDeclineCode.replaceAll("_", " ")}): the rest is charged to {hold.cardLabel} when
          the ride ends.
        </p>
      )}
      {(trip.status === "searching" || underway) && <MoveToCard session={session} trip={trip} walletVersion={props.walletVersion} onChanged={props.onChanged} />}
      <SafetyCheckCard session={session} trip={trip} onChanged={props.onChanged} />
      {mayAlert(trip, Date.now()) && <EmergencyButton session={session} tripId={trip.tripId} number={trip.emergencyNumber} />}
      <TripStops trip={trip} />
      {trip.payInCash && trip.status !== "completed" && (
        <p className="mb-3 text-sm" data-testid="cash-trip">
          <span className="rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-medium text-emerald-900">Cash</span> you pay the driver when the ride ends
        </p>
      )}
      {trip.wheelchairAccessible && (
        <p className="mb-3 text-sm" data-testid="wav-trip">
          <span className="rounded bg-sky-100 px-1.5 py-0.5 text-xs font-medium text-sky-900">Wheelchair-accessible vehicle</span>
        </p>
      )}
      {trip.withPet && (
        <p className="mb-3 text-sm" data-testid="pet-trip">
          <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900">With a pet</span>
        </p>
      )}
      <PickupNoteForRider session={session} trip={trip} onChanged={props.onChanged} onStale={props.onStale} onError={props.onError} />
      <QuietRide session={session} trip={trip} onChanged={props.onChanged} onStale={props.onStale} onError={props.onError} />
      {trip.profile === "business" && (
        <p className="mb-3 text-sm" data-testid="trip-business">
          <span className="rounded bg-indigo-100 px-1.5 py-0.5 text-xs font-medium text-indigo-800">Business</span>
          {trip.expenseMemo ? <span className="ml-2">Expense memo: {trip.expenseMemo}</span> : null}
        </p>
      )}
      {lastChange && (
        <p className="mb-3 text-sm text-slate-600" data-testid="destination-changed">
          Destination changed: fare {money(lastChange.fareBefore)} → {money(lastChange.fareAfter)}
        </p>
      )}

      {trip.status === "searching" && (
        <Notice>{trip.searchingAgain ? "Your driver cancelled. Looking for another driver near you, at no cost to you…" : "Looking for a driver near you…"}</Notice>
      )}
      {trip.status === "no_drivers_found" && <Notice kind="error">No driver is available right now. Please try again in a few minutes.</Notice>}

      {underway && trip.driver && (
        <div className="flex flex-col gap-2" data-testid="driver-card">
          <p>
            <strong>{driver?.name ?? "Your driver"}</strong>
            {driver && (
              <span className="ml-2 text-sm text-slate-700" data-testid="driver-rating">
                {driver.ratingAverage ? `★ ${driver.ratingAverage.toFixed(1)} (${driver.ratingCount})` : "New driver"}
              </span>
            )}
            {driver?.vehicle && (
              <span className="block text-sm text-slate-700" data-testid="vehicle">
                {driver.vehicle.colour} {driver.vehicle.make} {driver.vehicle.model} · <span className="font-mono">{driver.vehicle.plate}</span>
              </span>
            )}
            {trip.status === "driver_assigned" && props.driverPosition?.pickupEtaSeconds !== undefined && <> · arriving in {duration(props.driverPosition.pickupEtaSeconds)}</>}
          </p>
          {trip.status === "driver_arrived" && (
            <Notice kind="success">
              Your driver has arrived. {waitTerms(trip) && <span data-testid="wait-terms">{waitTerms(trip)}</span>}
            </Notice>
          )}
          {trip.status === "in_progress" && (
            <Notice>
              On the way to your destination.
              {props.driverPosition?.dropoffEtaSeconds !== undefined && (
                <span data-testid="dropoff-eta"> Arriving in {duration(props.driverPosition.dropoffEtaSeconds)}.</span>
              )}
            </Notice>
          )}
          {trip.pin && trip.status !== "in_progress" && (
            <p className="text-lg">
              Your PIN: <strong className="font-mono text-2xl tracking-widest" data-testid="pin">{trip.pin}</strong>
              <span className="block text-sm text-slate-600">Tell it to your driver to start the trip.</span>
            </p>
          )}
        </div>
      )}

      {trip.driver && (
        <TripChat
          session={session}
          tripId={trip.tripId}
          status={trip.status}
          version={props.chatVersion}
          quickReplies={["I'm at the pickup", "I'll be there in 2 minutes"]}
        />
      )}

      {canMovePickup(trip.status) && (
        <MovePickup session={session} trip={trip} draft={props.pickupMoveDraft} onDraft={props.onPickupMoveDraft} onChanged={props.onChanged} />
      )}

      {canChangeDestination(trip.status) && (
        <div className="flex flex-col">
          <ChangeDestination
            session={session}
            trip={trip}
            draft={props.destinationDraft}
            onDraft={props.onDestinationDraft}
            onChanged={props.onChanged}
            onError={props.onError}
          />
        </div>
      )}

      <SplitFare session={session} trip={trip} onChanged={props.onChanged} onError={props.onError} />

      <div className="mt-3 flex flex-col">
        <ShareTrip session={session} trip={trip} onChanged={props.onChanged} onError={props.onError} />
      </div>

      <CancelTrip session={session} trip={trip} onChanged={props.onChanged} onError={props.onError} onStale={props.onStale} />

      {trip.status === "cancelled" &&
        (trip.cancellation?.cancelledBy === "operator" ? (
          // Support cancelled it (the rider called them): what they said, and that it costs nothing.
          <Notice kind={trip.cancellation.fee?.amountMinor ? "error" : "info"}>
            {cancelledBySupport(trip.cancellation.reason)}
            {trip.cancellation.fee?.amountMinor ? ` A cancellation fee of ${money(trip.cancellation.fee)} applies.` : " No charge."}
          </Notice>
        ) : trip.cancellation?.cancelledBy === "driver" ? (
          // The driver waited at the pickup and the rider did not come.
          <Notice kind="error">
            Your driver waited at the pickup and cancelled: you did not come.
            {trip.cancellation.fee?.amountMinor ? ` A cancellation fee of ${money(trip.cancellation.fee)} applies.` : ""}
          </Notice>
        ) : (
          <Notice kind={trip.cancellation?.fee?.amountMinor ? "error" : "info"}>
            Trip cancelled{trip.cancellation?.fee?.amountMinor ? `: a cancellation fee of ${money(trip.cancellation.fee)} applies.` : " at no charge."}
          </Notice>
        ))}

      {trip.status === "completed" && (
        <div className="flex flex-col gap-3">
          <Notice kind="success">You have arrived. Thanks for riding!</Notice>
          {trip.completedBy === "operator" && <Notice testId="ended-by-support">{endedBySupport("your", trip.completionReason)}</Notice>}
          {trip.receipt?.fare && <FareBreakdownTable fare={trip.receipt.fare} promotion={trip.promotion} />}
          {trip.receipt?.tip && !trip.receipt.tipPaymentStatus ? (
            <p className="text-sm" data-testid="tip-added">
              Tip for your driver: <strong>{money(trip.receipt.tip)}</strong> · total due {money(trip.receipt.amountDue)}
            </p>
          ) : (
            !trip.receipt?.tip &&
            (paymentStatus === "pending" || paymentStatus === "payment_failed") && (
              <TipChooser
                fare={trip.fare}
                label="Add a tip for your driver? All of it goes to them."
                onTip={(amountMinor) => act(() => api.tip(session, trip.tripId, amountMinor))}
              />
            )
          )}
          {(paymentStatus === "paid" || paymentStatus === "waived") && (
            <TipAfterRide session={session} trip={trip} refreshKey={props.paymentVersion} onChanged={props.onChanged} onError={props.onError} />
          )}
          {!trip.driverRating && <RatingForm label="Rate your driver" whom="driver" onRate={(stars, comment) => act(() => api.rate(session, trip.tripId, stars, comment))} />}
          {trip.driverRating && <p className="text-sm">You rated your driver {trip.driverRating.stars}★.</p>}
        </div>
      )}

      {paymentStatus && paymentStatus !== "none" && (
        <p className="mt-3 text-sm" data-testid="payment-status">
          Payment: <strong>{paymentStatus.replaceAll("_", " ")}</strong>
        </p>
      )}
      {byCard && paymentStatus === "pending" && (
        <p className="mt-2 text-sm text-slate-600" data-testid="charging-card">
          Charging {byCard.cardLabel}…
        </p>
      )}
      {trip.payInCash && trip.status === "completed" && (
        <Notice kind="success" testId="cash-pay-driver">
          Pay {money(cashToCollect(trip))} in cash to your driver
        </Notice>
      )}
      {paymentStatus === "paid" && trip.receipt?.paidWith && (
        <p className="mt-2 text-sm" data-testid="paid-with">
          {paidInCash(trip.receipt.paidWith) ? "Paid in cash" : `Paid with ${trip.receipt.paidWith}`}
          {trip.receipt.creditPaid && trip.receipt.paidWith !== "ride credit" && (
            <span data-testid="paid-with-credit"> · {money(trip.receipt.creditPaid)} of it with ride credit</span>
          )}
        </p>
      )}
      {byCard?.status === "failed" && paymentStatus === "payment_failed" && (
        <div className="mt-2">
          <Notice kind="error" testId="card-declined">
            {cardFailure(byCard)}. Retry the payment to pay by link, or make another card your default first.
          </Notice>
        </div>
      )}
      {paymentStatus === "payment_failed" && (
        <Button variant="secondary" className="mt-2" onClick={() => act(() => api.retryPayment(session, trip.tripId))}>
          Retry payment
        </Button>
      )}
      {!checkout && !byCard && paymentStatus === "pending" && <p className="mt-2 text-sm text-slate-600">Preparing the payment…</p>}
      {checkout && paymentStatus !== "paid" && (
        <a href={checkout} target="_blank" rel="noreferrer" className="mt-2 inline-block rounded-md bg-green-700 px-4 py-2 text-sm font-medium text-white" data-testid="pay-link">
          Pay now
        </a>
      )}

      <HelpWithTrip session={session} tripId={trip.tripId} version={props.helpVersion} onError={props.onError} />

      {(trip.status === "completed" || trip.status === "cancelled" || trip.status === "no_drivers_found") && (
        <Button variant="secondary" className="mt-3" onClick={props.onDone}>
          Done
        </Button>
      )}
    </Card>
  );
}
