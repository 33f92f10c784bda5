"use client";

import { useState } from "react";
import { api, ApiError } from "@/lib/api";
import type { Session, Trip, TripStatus } from "@/lib/types";
import { Button, Field, inputClass } from "../ui";
import { maxNoteLength } from "./PickupFor";

/**
 * The note may change until the pickup (ADR 0031): booked for later, searching (the offers show it from then on, one out
 * at once), with the driver on the way or waiting.
 */
export const canChangePickupNote = (status: TripStatus) =>
  status === "scheduled" || status === "searching" || status === "driver_assigned" || status === "driver_arrived";

/**
 * Who rides (when the rider booked for someone else) and the note for the driver, which the rider may edit until the
 * pickup; the driver's app (or the offer a driver is looking at) shows the new note at once.
 */
export function PickupNoteForRider(props: {
  session: Session;
  trip: Trip;
  onChanged: (trip: Trip) => void;
  /** The ride started meanwhile (409): the trip is read again. */
  onStale: () => void;
  onError: (message: string | null) => void;
}) {
  const { trip } = props;
  const [editing, setEditing] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const editable = canChangePickupNote(trip.status);

  async function save(note: string) {
    setBusy(true);
    props.onError(null);
    try {
      props.onChanged(await api.changePickupNote(props.session, trip.tripId, note));
      setEditing(null);
    } catch (e) {
      props.onError(e instanceof ApiError ? e.message : "Could not change the note.");
      if (e instanceof ApiError && e.status === 409) {
        setEditing(null);
        props.onStale();
      }
    } finally {
      setBusy(false);
    }
  }

  if (!trip.passenger && !trip.pickupNote && !editable) return null;
  return (
    <div className="mb-3 flex flex-col gap-2 text-sm text-slate-700">
      {trip.passenger && (
        <p data-testid="trip-passenger">
          Riding: <strong>{trip.passenger.name}</strong>
          {trip.passenger.phone ? ` · ${trip.passenger.phone}` : ""}
        </p>
      )}
      {trip.passenger && editable && trip.status !== "scheduled" && (
        <p className="text-xs text-slate-600" data-testid="share-with-passenger">
          Send {trip.passenger.name} the link from &quot;Share trip status&quot;: it shows them the car{trip.pinRequired ? " and the PIN the driver asks for" : ""}.
        </p>
      )}
      {editing === null ? (
        <p className="flex flex-wrap items-center gap-2">
          {trip.pickupNote && (
            <span data-testid="trip-pickup-note">
              Note for the driver: <q>{trip.pickupNote}</q>
            </span>
          )}
          {editable && (
            <Button variant="secondary" onClick={() => setEditing(trip.pickupNote ?? "")}>
              {trip.pickupNote ? "Edit note" : "Add a note for the driver"}
            </Button>
          )}
        </p>
      ) : (
        <div className="flex flex-wrap items-end gap-2">
          <Field label="Note for the driver">
            <input
              className={inputClass}
              value={editing}
              maxLength={maxNoteLength}
              onChange={(e) => setEditing(e.target.value)}
              data-testid="edit-pickup-note"
            />
          </Field>
          <Button onClick={() => save(editing)} disabled={busy}>
            Save note
          </Button>
          <Button variant="secondary" onClick={() => setEditing(null)} disabled={busy}>
            Keep it
          </Button>
        </div>
      )}
    </div>
  );
}
