"use client";

import { useEffect, useState } from "react";
import { api, ApiError } from "@/lib/api";
import { money, point } from "@/lib/format";
import type { LatLng, Session, Trip } from "@/lib/types";
import { useLoad } from "@/lib/useLoad";
import { Button, Card, Notice } from "../ui";
import { MovePickup, canMoveScheduledPickup } from "./MovePickup";
import { MoveToCard } from "./MoveToCard";
import { PickupNoteForRider } from "./PickupNoteForRider";
import { ReservedDriver } from "./ReservedDriver";
import { localValue, pickupInstant, PickupTimeInput } from "./QuotePanel";

/** "Thu, 4 Dec, 18:30" in the phone's language and time zone. */
export const pickupTime = (at: string) =>
  new Date(at).toLocaleString(undefined, { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

/** The open "Move pickup" form of a ride booked for later: the ride as shown, and the new spot (null until typed or clicked on the map). */
export type ScheduledPickupMove = { trip: Trip; pickup: LatLng | null };

/**
 * The rider's rides booked for later, soonest first: when, where from, the class and the fare, the card that pays it
 * ("Pay with another card"), "Change time" (the price agreed stays), "Move pickup" (a little, ADR 0046; RiderApp keeps
 * the open form for the map) and "Cancel" (free: no driver is assigned yet). Hidden while there are none. Read again
 * when version changes.
 */
export function ScheduledRides({
  session,
  version,
  onChanged,
  pickupMove,
  onPickupMove,
}: {
  session: Session;
  version: number;
  onChanged: () => void;
  pickupMove: ScheduledPickupMove | null;
  onPickupMove: (move: ScheduledPickupMove | null) => void;
}) {
  const { data: rides, setData, error } = useLoad(() => api.scheduledTrips(session), [session, version], "Could not load your rides booked for later.");
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  /** The open "Change time" form: its ride and the new pickup time (a datetime-local value). */
  const [changing, setChanging] = useState<{ tripId: string; value: string } | null>(null);
  const [changeFailure, setChangeFailure] = useState<string | null>(null);
  // A ride whose search started (or that was cancelled elsewhere) no longer moves: its open form, and its spots on the map, go.
  const movingTripId = pickupMove?.trip.tripId;
  const stillMovable = rides?.some((r) => r.tripId === movingTripId && canMoveScheduledPickup(r.status)) ?? true;
  useEffect(() => {
    if (movingTripId && !stillMovable) onPickupMove(null);
  }, [movingTripId, stillMovable, onPickupMove]);

  async function cancel(tripId: string) {
    setBusy(true);
    setFailure(null);
    try {
      await api.cancel(session, tripId, "", 0);
      setConfirming(null);
      onChanged();
    } catch (e) {
      setFailure(e instanceof ApiError ? e.message : "Could not cancel the ride. Try again.");
    } finally {
      setBusy(false);
    }
  }

  async function reschedule(tripId: string, localTime: string) {
    const at = pickupInstant(localTime);
    if (!at) {
      setChangeFailure("Choose a pickup time.");
      return;
    }
    setBusy(true);
    setChangeFailure(null);
    try {
      const moved = await api.reschedule(session, tripId, at);
      setChanging(null);
      setData((shown) => shown?.map((ride) => (ride.tripId === moved.tripId ? moved : ride)));
      onChanged();
    } catch (e) {
      setChangeFailure(e instanceof ApiError ? e.message : "Could not change the pickup time. Try again.");
    } finally {
      setBusy(false);
    }
  }

  function openChange(tripId: string, scheduledFor: string) {
    setConfirming(null);
    setChangeFailure(null);
    setChanging({ tripId, value: localValue(new Date(scheduledFor)) });
  }

  if (!error && (!rides || rides.length === 0)) return null;
  return (
    <Card title="Booked for later" testId="scheduled-rides">
      {error && <Notice kind="error">{error}</Notice>}
      {failure && <Notice kind="error">{failure}</Notice>}
      <ul className="flex flex-col gap-2 text-sm">
        {(rides ?? []).map((ride) => (
          <li key={ride.tripId} className="rounded-md border border-slate-200 p-3" data-testid="scheduled-ride">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <span>
                <strong data-testid="scheduled-ride-time">{ride.scheduledFor ? pickupTime(ride.scheduledFor) : "—"}</strong> ·{" "}
                <span className="capitalize">{ride.vehicleClass}</span> · {money(ride.fare)}
                {ride.promotion && (
                  <>
                    {" "}
                    · <span className="font-mono">{ride.promotion.code}</span> −{money(ride.promotion.discount)}
                  </>
                )}
                {ride.withPet ? " · With a pet" : ""}
                {ride.wheelchairAccessible && <span data-testid="wav-scheduled"> · Wheelchair-accessible vehicle</span>}
              </span>
              {confirming === ride.tripId ? (
                <span className="flex gap-2">
                  <Button variant="danger" disabled={busy} onClick={() => void cancel(ride.tripId)}>
                    Yes, cancel it
                  </Button>
                  <Button variant="secondary" disabled={busy} onClick={() => setConfirming(null)}>
                    Keep it
                  </Button>
                </span>
              ) : (
                <span className="flex gap-2">
                  {ride.scheduledFor && changing?.tripId !== ride.tripId && (
                    <Button
                      variant="secondary"
                      onClick={() => openChange(ride.tripId, ride.scheduledFor!)}
                      aria-label={`Change time of the ride booked for ${pickupTime(ride.scheduledFor)}`}
                      data-testid="scheduled-change"
                    >
                      Change time
                    </Button>
                  )}
                  <Button
                    variant="secondary"
                    onClick={() => {
                      setChanging(null);
                      setConfirming(ride.tripId);
                    }}
                    aria-label={`Cancel the ride booked for ${ride.scheduledFor ? pickupTime(ride.scheduledFor) : "later"}`}
                  >
                    Cancel
                  </Button>
                </span>
              )}
            </div>
            <p className="text-xs text-slate-600" data-testid="scheduled-ride-pickup">
              Pickup: {point(ride.pickup)}
            </p>
            <ReservedDriver session={session} ride={ride} />
            {changing?.tripId === ride.tripId && (
              <div className="my-2 flex flex-col gap-2">
                <span className="flex flex-wrap items-center gap-2">
                  <PickupTimeInput
                    value={changing.value}
                    onChange={(value) => setChanging({ tripId: ride.tripId, value })}
                    label="New pickup time"
                    testId="scheduled-change-time"
                  />
                  <Button disabled={busy || changing.value === ""} onClick={() => void reschedule(ride.tripId, changing.value)} data-testid="scheduled-change-save">
                    Save
                  </Button>
                  <Button variant="secondary" disabled={busy} onClick={() => setChanging(null)} data-testid="scheduled-change-keep">
                    Keep
                  </Button>
                </span>
                {changeFailure && <Notice kind="error">{changeFailure}</Notice>}
              </div>
            )}
            {canMoveScheduledPickup(ride.status) && (
              <MovePickup
                session={session}
                trip={ride}
                draft={pickupMove?.trip.tripId === ride.tripId ? { pickup: pickupMove.pickup } : null}
                onDraft={(draft) => onPickupMove(draft ? { trip: ride, pickup: draft.pickup } : null)}
                onChanged={(moved) => {
                  setData((shown) => shown?.map((r) => (r.tripId === moved.tripId ? moved : r)));
                  onChanged();
                }}
                onStale={onChanged}
              />
            )}
            <PickupNoteForRider
              session={session}
              trip={ride}
              onChanged={(noted) => setData((shown) => shown?.map((r) => (r.tripId === noted.tripId ? noted : r)))}
              onStale={onChanged}
              onError={setFailure}
            />
            <MoveToCard
              session={session}
              trip={ride}
              walletVersion={version}
              showCard
              onChanged={(paid) => setData((shown) => shown?.map((r) => (r.tripId === paid.tripId ? paid : r)))}
            />
            <p className="text-xs text-slate-600">
              {ride.dispatchAt ? `We start looking for your driver at ${new Date(ride.dispatchAt).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })}. ` : ""}
              {ride.reservation ? "" : "We'll find you a driver. "}Cancelling is free until a driver is assigned.
            </p>
          </li>
        ))}
      </ul>
    </Card>
  );
}
