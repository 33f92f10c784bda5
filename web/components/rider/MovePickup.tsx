"use client";

import { useState } from "react";
import { api, ApiError } from "@/lib/api";
import { distance } from "@/lib/format";
import type { LatLng, Session, Trip, TripStatus } from "@/lib/types";
import { Button, Notice } from "../ui";
import { CoordinateInput } from "./QuotePanel";

/** The open "Move pickup" form's new spot (null until typed or clicked on the map). RiderApp keeps it for the map. */
export type PickupMoveDraft = { pickup: LatLng | null };

/** The rider may move the pickup while the driver is on the way (ADR 0046); once they wait there, a message or note does it. */
export const canMovePickup = (status: TripStatus) => status === "driver_assigned";

/** A ride booked for later moves its pickup until its search starts (ADR 0046); searching, offers name the booked spot. */
export const canMoveScheduledPickup = (status: TripStatus) => status === "scheduled";

/** How far the pickup may move from where it was booked (Trips:MaxPickupMoveMeters); the service says so if configured otherwise. */
export const maxMoveMeters = 400;

/** The circle the new pickup must be in: around where the ride was booked, however often it moved since. */
export const moveCircle = (trip: Trip) => ({ id: `move-circle-${trip.tripId}`, center: trip.bookedPickup ?? trip.pickup, radiusMeters: maxMoveMeters });

/**
 * "Move pickup" (ADR 0046): the other entrance, across the road — a spot a little away from where the ride was booked,
 * at the fare agreed. The driver's app is told at once and heads there.
 */
export function MovePickup(props: {
  session: Session;
  trip: Trip;
  draft: PickupMoveDraft | null;
  onDraft: (draft: PickupMoveDraft | null) => void;
  onChanged: (trip: Trip) => void;
  /** Refused as the trip is now (409: a ride booked for later started its search meanwhile): it is read again. */
  onStale?: () => void;
}) {
  const { session, trip, draft } = props;
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<string | null>(null);

  async function move() {
    if (!draft?.pickup) return;
    setBusy(true);
    setRefused(null);
    try {
      const moved = await api.movePickup(session, trip.tripId, draft.pickup);
      props.onDraft(null);
      props.onChanged(moved);
    } catch (e) {
      setRefused(e instanceof ApiError ? e.message : "Could not move the pickup. Try again.");
      if (e instanceof ApiError && e.status === 409) props.onStale?.();
    } finally {
      setBusy(false);
    }
  }

  if (!draft) {
    return (
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <Button
          variant="secondary"
          onClick={() => {
            setRefused(null);
            props.onDraft({ pickup: null });
          }}
          data-testid="move-pickup"
        >
          Move pickup
        </Button>
        {(trip.pickupMoves ?? 0) > 0 && trip.bookedPickup && (
          <span className="text-xs text-slate-600" data-testid="move-pickup-moved">
            Moved {trip.pickupMoves === 1 ? "once" : `${trip.pickupMoves} times`} from where you booked it.
          </span>
        )}
      </div>
    );
  }

  return (
    <div className="mt-3 flex flex-col gap-2 rounded-md border border-slate-200 p-3" role="group" aria-label="Move pickup" data-testid="move-pickup-form">
      <p className="text-sm text-slate-600">
        Wait somewhere close by instead (the other entrance, across the road): up to {distance(maxMoveMeters)} from where you booked, at the same fare.
      </p>
      <CoordinateInput
        label="New pickup (lat, lng)"
        name="newPickup"
        value={draft.pickup}
        placeholder="Click the map or type 52.52, 13.40"
        onChange={(pickup) => props.onDraft({ pickup })}
      />
      {refused && (
        <Notice kind="error" testId="move-pickup-refused">
          {refused}
        </Notice>
      )}
      <div className="flex flex-wrap gap-2">
        <Button disabled={busy || !draft.pickup} onClick={() => void move()} data-testid="move-pickup-confirm">
          Move pickup here
        </Button>
        <Button variant="secondary" disabled={busy} onClick={() => props.onDraft(null)}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
