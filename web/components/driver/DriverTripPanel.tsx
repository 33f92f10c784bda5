"use client";

import { useEffect, useState } from "react";
import { api, ApiError } from "@/lib/api";
import { runTripAction } from "@/lib/tripAction";
import { distance, endedBySupport, money, point, waitTerms } from "@/lib/format";
import { cashToCollect } from "@/lib/cash";
import { distanceMeters } from "@/lib/geo";
import { nextStopIndex, stopsOf } from "@/lib/stops";
import type { LatLng, Money, RiderProfile, Session, Trip } from "@/lib/types";
import { Button, Card, Field, Notice, StatusBadge, inputClass } from "../ui";
import { EmergencyButton, mayAlert } from "../EmergencyButton";
import { HelpWithTrip } from "../HelpWithTrip";
import { SafetyCheckCard } from "../SafetyCheckCard";
import { RatingForm } from "../RatingForm";
import { useNow } from "@/lib/useNow";
import { TripChat } from "../TripChat";
import { TripStops } from "../TripStops";
import { RidePreferenceLabels } from "../RidePreferenceLabels";

export function DriverTripPanel(props: {
  session: Session;
  trip: Trip;
  position: LatLng;
  onChanged: (t: Trip) => void;
  onError: (m: string | null) => void;
  onDone: () => void;
  /** Changes when a message of this trip arrived on the socket: the conversation is read again. */
  chatVersion: number;
  /** Changes when help.updated arrived on the socket: the trip's help requests are read again. */
  helpVersion: number;
  /** The new fare from a trip.destination_changed message of this trip (null: none arrived). */
  destinationChangedFare: Money | null;
}) {
  const { session, trip } = props;
  const [pin, setPin] = useState("");
  /** Until when (this phone's clock) wrong PINs lock the start (ADR 0044): from the 429's Retry-After, or the trip's pinLockedUntil. */
  const [lockedUntil, setLockedUntil] = useState<{ tripId: string; at: number } | null>(null);
  const pinLock = Math.max(
    lockedUntil?.tripId === trip.tripId ? lockedUntil.at : 0,
    trip.status === "driver_arrived" && trip.pinLockedUntil ? Date.parse(trip.pinLockedUntil) : 0,
  );
  const now = useNow(pinLock > Date.now());
  const lockSecondsLeft = Math.max(0, Math.ceil((pinLock - now) / 1000));
  const [confirmingGiveUp, setConfirmingGiveUp] = useState(false);
  const [rider, setRider] = useState<RiderProfile | null>(null);

  // Whom to pick up: the rider's first name and rating (the card is the assigned driver's alone).
  useEffect(() => {
    setRider(null);
    api.tripRider(session, trip.tripId).then(setRider, () => setRider(null));
  }, [session, trip.tripId]);

  const act = (action: () => Promise<Trip>) => runTripAction(action, props.onChanged, props.onError);

  /**
   * "Start trip" with the PIN typed: a wrong one is said and the trip read again (the fifth locks the start, which the
   * trip then says); a start while locked (429) is not said as an error but counted down from its Retry-After.
   */
  async function start() {
    props.onError(null);
    try {
      props.onChanged(await api.start(session, trip.tripId, trip.pinRequired ? pin : ""));
    } catch (e) {
      if (e instanceof ApiError && e.status === 429) {
        setLockedUntil({ tripId: trip.tripId, at: Date.now() + (e.retryAfterSeconds ?? 60) * 1000 });
        return;
      }
      props.onError(e instanceof ApiError ? e.message : "Something went wrong. Try again.");
      if (e instanceof ApiError && e.status === 400 && trip.pinRequired) {
        api.trip(session, trip.tripId).then(props.onChanged, () => undefined);
      }
    }
  }
  // Said until the trip ends; after a reload, from the trip's own record of the change.
  const underway = trip.status === "driver_assigned" || trip.status === "driver_arrived" || trip.status === "in_progress";
  const newFare = props.destinationChangedFare ?? trip.destinationChanges?.at(-1)?.fareAfter;
  const next = nextStopIndex(trip);
  const nextStop = next >= 0 ? stopsOf(trip)[next] : undefined;

  return (
    <Card title="Current trip">
      <div className="mb-3 flex items-center gap-2">
        <StatusBadge status={trip.status} />
        <span className="text-sm text-slate-600">{money(trip.fare)}</span>
      </div>
      <SafetyCheckCard session={session} trip={trip} onChanged={props.onChanged} />
      {mayAlert(trip, Date.now()) && <EmergencyButton session={session} tripId={trip.tripId} number={trip.emergencyNumber} position={props.position} />}
      {rider && (
        <p className="mb-2" data-testid="rider-card">
          <strong>{rider.name}</strong>
          <span className="ml-2 text-sm text-slate-700" data-testid="rider-rating">
            {rider.ratingAverage ? `★ ${rider.ratingAverage.toFixed(1)} (${rider.ratingCount})` : "New rider"}
          </span>
        </p>
      )}
      <PickupFor trip={trip} bookedBy={rider?.name} />
      {trip.payInCash && (
        <p className="mb-2 text-sm" data-testid="cash-driver-trip">
          <span className="rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-medium text-emerald-900">Cash</span> the rider pays you in cash
        </p>
      )}
      {trip.wheelchairAccessible && (
        <p className="mb-2 text-sm" data-testid="wav-driver-trip">
          <span className="rounded bg-sky-100 px-1.5 py-0.5 text-xs font-medium text-sky-900">Wheelchair accessible</span>
        </p>
      )}
      <RidePreferenceLabels preferences={trip.ridePreferences} testId="prefs-driver-trip" />
      {trip.withPet && (
        <p className="mb-2 text-sm" data-testid="pet-driver-trip">
          <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900">With a pet</span>
        </p>
      )}
      <TripStops trip={trip} />
      {underway && newFare && (
        <div className="mb-2">
          <Notice testId="destination-changed-notice">The rider changed the destination. New fare: {money(newFare)}.</Notice>
        </div>
      )}
      {trip.status === "driver_assigned" && (
        <div className="flex flex-col gap-2">
          <p>Drive to the pickup{trip.passenger ? ` to meet ${trip.passenger.name}` : rider ? ` to meet ${rider.name}` : ""}: {distance(distanceMeters(props.position, trip.pickup))} away.</p>
          <Button onClick={() => act(() => api.arrive(session, trip.tripId, props.position))}>I have arrived</Button>
        </div>
      )}
      {trip.status === "driver_arrived" && (
        <form
          className="flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            void start();
          }}
        >
          {trip.pinRequired && (
            <div className="flex flex-col gap-1">
              <p className="text-sm font-medium" data-testid="pin-ask-rider">
                Ask the rider for their PIN
              </p>
              <Field label="Rider's PIN">
                <input
                  className={inputClass}
                  inputMode="numeric"
                  pattern="[0-9]{4}"
                  maxLength={4}
                  required
                  value={pin}
                  onChange={(e) => setPin(e.target.value)}
                  data-testid="pin-driver-field"
                />
              </Field>
            </div>
          )}
          <Button type="submit" disabled={lockSecondsLeft > 0} data-testid="pin-start">
            Start trip
          </Button>
        </form>
      )}
      {trip.status === "driver_arrived" && lockSecondsLeft > 0 && (
        <p className="text-sm text-red-700" role="status" data-testid="pin-locked">
          Too many wrong PINs — try again in {lockSecondsLeft} s
        </p>
      )}
      {trip.status === "driver_arrived" && waitTerms(trip) && (
        <p className="text-sm text-slate-600" data-testid="driver-wait-terms">
          {waitTerms(trip)}
        </p>
      )}
      {trip.status === "driver_arrived" && trip.noShowFrom && <NoShow session={session} trip={trip} act={act} />}
      {trip.status === "in_progress" && (
        <div className="flex flex-col gap-2">
          {nextStop ? (
            <>
              <p data-testid="next-stop">
                Next: stop {next + 1} · {point(nextStop.location)} · {distance(distanceMeters(props.position, nextStop.location))} away. Then the drop-off.
              </p>
              {/* Said where the car is now: the trips service takes it within 100 m of the stop, and says how far it is otherwise. */}
              <Button data-testid="reach-stop" onClick={() => act(() => api.reachStop(session, trip.tripId, next, props.position))}>
                Reached stop {next + 1}
              </Button>
            </>
          ) : (
            <p>Drive to the drop-off: {distance(distanceMeters(props.position, trip.dropoff))} away.</p>
          )}
          {/* A rider may skip a stop: the ride can end before every stop is reached. */}
          <Button variant={nextStop ? "secondary" : "primary"} onClick={() => act(() => api.complete(session, trip.tripId))}>
            Complete trip
          </Button>
        </div>
      )}
      <TripChat session={session} tripId={trip.tripId} status={trip.status} version={props.chatVersion} quickReplies={["On my way", "I'm here", "I can't find you"]} />
      {(trip.status === "driver_assigned" || trip.status === "driver_arrived") &&
        (!confirmingGiveUp ? (
          <Button variant="danger" className="mt-3 self-start" onClick={() => setConfirmingGiveUp(true)}>
            Cancel
          </Button>
        ) : (
          <div className="mt-3 flex flex-col gap-2 rounded-md border border-red-200 p-3" role="group" aria-label="Give up this trip?">
            <p className="text-sm">Give up this trip? The rider will be matched with another driver, and it will not be offered to you again.</p>
            <div className="flex gap-2">
              <Button variant="danger" onClick={() => void act(() => api.cancel(session, trip.tripId, "driver cancelled")).then(() => setConfirmingGiveUp(false))}>
                Yes, give it up
              </Button>
              <Button variant="secondary" onClick={() => setConfirmingGiveUp(false)}>
                Keep the trip
              </Button>
            </div>
          </div>
        ))}
      {trip.status === "completed" && (
        <div className="flex flex-col gap-2">
          <Notice kind="success">
            Trip completed: fare {money(trip.fare)}
            {trip.driverEarnings?.placeFees ? (
              <span data-testid="place-fee-passed-on"> (of which {money(trip.driverEarnings.placeFees)} place fees, passed on)</span>
            ) : null}
            {trip.driverEarnings ? <>, you earned <span data-testid="trip-earned">{money(trip.driverEarnings.earnings)}</span></> : null}.
          </Notice>
          {trip.payInCash && <Notice kind="success" testId="cash-collect">Collect {money(cashToCollect(trip))} in cash</Notice>}
          {trip.completedBy === "operator" && <Notice testId="ended-by-support">{endedBySupport("this", trip.completionReason)}</Notice>}
          {!trip.riderRating && <RatingForm label="Rate your rider" whom="rider" onRate={(stars, comment) => act(() => api.rate(session, trip.tripId, stars, comment))} />}
          {trip.riderRating && <p className="text-sm">You rated the rider {trip.riderRating.stars}★.</p>}
        </div>
      )}
      {trip.status === "cancelled" && (
        <Notice>
          The trip was cancelled{trip.cancellation?.cancelledBy === "operator" ? " by support" : trip.cancellation?.cancelledBy === "driver" ? " because the rider did not come" : ""}
          {trip.driverEarnings ? <>: you earned {money(trip.driverEarnings.earnings)} of the rider&apos;s cancellation fee</> : null}.
        </Notice>
      )}
      <HelpWithTrip session={session} tripId={trip.tripId} version={props.helpVersion} onError={props.onError} />
      {(trip.status === "completed" || trip.status === "cancelled") && (
        <Button variant="secondary" className="mt-3" onClick={props.onDone}>
          Done
        </Button>
      )}
    </Card>
  );
}

/**
 * The rider does not come: from noShowFrom (the wait after arriving) the driver may cancel, the rider paying the
 * cancellation fee, which the driver earns. Asked twice.
 */
function NoShow({ session, trip, act }: { session: Session; trip: Trip; act: (action: () => Promise<Trip>) => Promise<void> }) {
  const now = useNow(true);
  const [confirming, setConfirming] = useState(false);
  const from = Date.parse(trip.noShowFrom!);
  if (now < from) {
    return (
      <p className="text-sm text-slate-600" data-testid="no-show-wait">
        If the rider does not come, you can cancel at {new Date(from).toLocaleTimeString()}: they pay the cancellation fee, which you earn.
      </p>
    );
  }
  return !confirming ? (
    <Button variant="secondary" className="self-start" onClick={() => setConfirming(true)}>
      Rider didn&apos;t show up
    </Button>
  ) : (
    <div className="flex flex-col gap-2 rounded-md border border-amber-200 p-3" role="group" aria-label="Rider didn't show up?">
      <p className="text-sm">Cancel because the rider did not come? They pay the cancellation fee, and you earn it.</p>
      <div className="flex gap-2">
        <Button variant="danger" onClick={() => void act(() => api.reportNoShow(session, trip.tripId)).then(() => setConfirming(false))}>
          Yes, cancel for a no-show
        </Button>
        <Button variant="secondary" onClick={() => setConfirming(false)}>
          Keep waiting
        </Button>
      </div>
    </div>
  );
}

/**
 * Who to pick up when the rider booked for someone else ("Pick up Anna (booked by Rita)", their phone while the trip is
 * under way) and the rider's note (ADR 0031), which follows the rider's changes live.
 */
function PickupFor({ trip, bookedBy }: { trip: Trip; bookedBy: string | undefined }) {
  if (!trip.passenger && !trip.pickupNote) return null;
  return (
    <div className="mb-2 flex flex-col gap-1 text-sm">
      {trip.passenger && (
        <p data-testid="driver-passenger">
          Pick up <strong>{trip.passenger.name}</strong>
          {bookedBy ? ` (booked by ${bookedBy})` : " (booked by the rider)"}
          {trip.passenger.phone && (
            <>
              {" · "}
              <a className="underline" href={`tel:${trip.passenger.phone}`}>
                {trip.passenger.phone}
              </a>
            </>
          )}
        </p>
      )}
      {trip.pickupNote && (
        <p className="rounded-md bg-amber-50 p-2 text-amber-900" data-testid="driver-pickup-note">
          Note: {trip.pickupNote}
        </p>
      )}
    </div>
  );
}
