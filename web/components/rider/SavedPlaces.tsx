"use client";

import { useEffect, useState } from "react";
import { api, ApiError } from "@/lib/api";
import type { LatLng, SavedPlace, Session } from "@/lib/types";
import { Button, inputClass } from "../ui";

/**
 * The rider's saved places ("Home", "Work"): a tap fills the pickup while there is none, else an empty stop field when
 * there is one (`stop`), else the drop-off; the point typed or clicked last (the drop-off, else the pickup) can be saved
 * under a name. Kept by the gateway per account.
 */
export function SavedPlaces(props: {
  session: Session;
  pickup: LatLng | null;
  dropoff: LatLng | null;
  /** The number (1-based) of the empty stop field a tap fills, if any. */
  stop?: number | null;
  onPick: (place: LatLng, as: "pickup" | "stop" | "dropoff") => void;
  onError: (message: string | null) => void;
  /** Each list of places as it is read or changed. */
  onPlaces?: (places: SavedPlace[]) => void;
}) {
  const { session, onPlaces } = props;
  const [places, setPlaces] = useState<SavedPlace[]>([]);
  const [label, setLabel] = useState("");
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.places(session).then(
      (list) => setPlaces(list.places ?? []),
      () => setPlaces([]), // a convenience: booking works without it
    );
  }, [session]);
  useEffect(() => onPlaces?.(places), [places, onPlaces]);

  const change = async (action: () => Promise<{ places?: SavedPlace[] }>) => {
    setBusy(true);
    props.onError(null);
    try {
      setPlaces((await action()).places ?? []);
      setLabel("");
    } catch (e) {
      props.onError(e instanceof ApiError ? e.message : "The place was not saved; try again.");
    } finally {
      setBusy(false);
    }
  };
  const toSave = props.dropoff ?? props.pickup;
  const target = !props.pickup ? "pickup" : props.stop ? "stop" : "dropoff";
  const targetName = { pickup: "the pickup", stop: `stop ${props.stop}`, dropoff: "the drop-off" }[target];

  return (
    <div className="mt-3 flex flex-col gap-2 text-sm" data-testid="saved-places">
      {places.length > 0 && (
        <>
          <span className="text-slate-600">Tap a saved place for {targetName}:</span>
          <ul className="flex flex-wrap gap-2" aria-label="Saved places">
            {places.map((p) => (
              <li key={p.label} className="flex items-center rounded-md border border-slate-300">
                <button type="button" className="px-3 py-1" onClick={() => props.onPick({ lat: p.lat, lng: p.lng }, target)}>
                  {p.label}
                </button>
                <button
                  type="button"
                  className="border-l border-slate-300 px-2 py-1 text-slate-500"
                  aria-label={`Remove ${p.label}`}
                  disabled={busy}
                  onClick={() => void change(() => api.removePlace(session, p.label))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {toSave && (
        <form
          className="flex gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            void change(() => api.savePlace(session, label.trim(), toSave));
          }}
        >
          <input
            className={`${inputClass} flex-1`}
            aria-label={props.dropoff ? "Save the drop-off as" : "Save the pickup as"}
            placeholder={props.dropoff ? "Save the drop-off as… (e.g. Home)" : "Save the pickup as… (e.g. Home)"}
            maxLength={30}
            value={label}
            onChange={(e) => setLabel(e.target.value)}
          />
          <Button type="submit" variant="secondary" disabled={busy || !label.trim()}>
            Save place
          </Button>
        </form>
      )}
    </div>
  );
}
