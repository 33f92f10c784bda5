"use client";

import { useState } from "react";
import { api, ApiError } from "@/lib/api";
import { distance, duration, money } from "@/lib/format";
import type { DestinationQuote, LatLng, Session, Trip, TripStatus } from "@/lib/types";
import { Button, Notice } from "../ui";
import { CoordinateInput, samePoint } from "./QuotePanel";
import { SavedPlaces } from "./SavedPlaces";

/** The open change form's new drop-off (null until typed, clicked on the map or picked). RiderApp keeps it for the map. */
export type DestinationDraft = { dropoff: LatLng | null };

/** The rider may change the drop-off while a driver is on the way, waiting or driving them. */
export const canChangeDestination = (status: TripStatus) => status === "driver_assigned" || status === "driver_arrived" || status === "in_progress";

/**
 * The rider's "Change destination": a new drop-off, its fare (a preview), then the change at that fare. The change
 * carries the fare shown; if it is more by then (the car moved on), nothing changes and the new fare is shown to confirm.
 */
export function ChangeDestination(props: {
  session: Session;
  trip: Trip;
  draft: DestinationDraft | null;
  onDraft: (draft: DestinationDraft | null) => void;
  onChanged: (trip: Trip) => void;
  onError: (message: string | null) => void;
}) {
  const { session, trip, draft } = props;
  /** The quote and the trip's drop-off when it was made: another change since makes it out of date. */
  const [quote, setQuote] = useState<{ quote: DestinationQuote; asked: LatLng; current: LatLng } | null>(null);
  const [refused, setRefused] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Prices are for the point they were asked for, from the drop-off the trip had then.
  const shown = quote && draft && samePoint(quote.asked, draft.dropoff) && samePoint(quote.current, trip.dropoff) ? quote.quote : null;

  async function fetchQuote(point: LatLng) {
    setQuote({ quote: await api.destinationQuote(session, trip.tripId, point), asked: point, current: trip.dropoff });
  }

  async function seeFare() {
    if (!draft?.dropoff) return;
    setBusy(true);
    props.onError(null);
    setRefused(null);
    try {
      await fetchQuote(draft.dropoff);
    } catch (e) {
      props.onError(e instanceof ApiError ? e.message : "Could not get the new fare.");
    } finally {
      setBusy(false);
    }
  }

  async function confirm() {
    if (!shown || !quote) return;
    const point = quote.asked;
    setBusy(true);
    props.onError(null);
    try {
      const changed = await api.changeDestination(session, trip.tripId, point, shown.fare.amountMinor);
      close();
      props.onChanged(changed);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        // The fare went up before the request arrived: nothing changed. Show the new fare to confirm again.
        setRefused("The fare changed while you confirmed (your car moved on). Here is the new fare: confirm it, or cancel.");
        setQuote(null);
        try {
          await fetchQuote(point);
        } catch (again) {
          props.onError(again instanceof ApiError ? again.message : "Could not get the new fare.");
        }
      } else {
        props.onError(e instanceof ApiError ? e.message : "Could not change the destination. Try again.");
      }
    } finally {
      setBusy(false);
    }
  }

  function close() {
    setQuote(null);
    setRefused(null);
    props.onDraft(null);
  }

  if (!draft) {
    return (
      <Button
        variant="secondary"
        className="mt-3 self-start"
        onClick={() => {
          setQuote(null);
          setRefused(null);
          props.onDraft({ dropoff: null });
        }}
      >
        Change destination
      </Button>
    );
  }

  return (
    <div className="mt-3 flex flex-col gap-2 rounded-md border border-slate-200 p-3" role="group" aria-label="Change destination">
      <CoordinateInput
        label="New drop-off (lat, lng)"
        name="newDropoff"
        value={draft.dropoff}
        placeholder="Click the map or type 52.50, 13.45"
        onChange={(dropoff) => props.onDraft({ dropoff })}
      />
      <SavedPlaces session={session} pickup={trip.pickup} dropoff={draft.dropoff} onPick={(dropoff) => props.onDraft({ dropoff })} onError={props.onError} />
      {refused && <Notice kind="error">{refused}</Notice>}
      {shown && (
        <p className="text-sm" data-testid="destination-quote">
          New fare: <strong data-testid="new-fare">{money(shown.fare)}</strong> (was {money(shown.fareBefore)}) · {distance(shown.distanceMeters)} · about{" "}
          {duration(shown.durationSeconds)}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        {shown ? (
          <Button disabled={busy} onClick={() => void confirm()}>
            Confirm new destination
          </Button>
        ) : (
          <Button disabled={busy || !draft.dropoff} onClick={() => void seeFare()}>
            See new fare
          </Button>
        )}
        <Button variant="secondary" disabled={busy} onClick={close}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
