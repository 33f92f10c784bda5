"use client";

import { useEffect, useState } from "react";
import { api, ApiError } from "@/lib/api";
import { duration } from "@/lib/format";
import type { SharedTrip } from "@/lib/types";
import { MapView, type MapMarker } from "./MapView";
import { Card, Notice, StatusBadge } from "./ui";

/** How often the page reads the trip again: the trip keeps the driver's position every 10 s at most. */
const readEveryMs = 5_000;

/** Who rides: the passenger when the rider booked for someone else (ADR 0031), else the rider. */
const riding = (t: SharedTrip): string => t.passengerName ?? t.riderName;

const progress = (t: SharedTrip): string => {
  const rider = riding(t);
  const driver = t.driver?.name ?? "The driver";
  const eta = t.etaSeconds ? ` About ${duration(t.etaSeconds)} away.` : "";
  switch (t.status) {
    case "searching":
      return `${rider} is waiting for a driver.`;
    case "driver_assigned":
      return `${driver} is on the way to pick ${rider} up.${eta}`;
    case "driver_arrived":
      return `${driver} has arrived at the pickup.`;
    case "in_progress":
      return `${rider} is riding with ${driver}.${eta ? ` About ${duration(t.etaSeconds!)} to the drop-off.` : ""}`;
    case "completed":
      return `${rider} has arrived${t.endedAt ? ` (${new Date(t.endedAt).toLocaleTimeString()})` : ""}.`;
    case "cancelled":
      return "The trip was cancelled.";
    case "no_drivers_found":
      return "No driver was found for this trip.";
    default:
      return t.status;
  }
};

/** A shared trip, read again every few seconds until it ended or the link stops working. */
export function SharedTripView({ token }: { token: string }) {
  const [trip, setTrip] = useState<SharedTrip | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [gone, setGone] = useState(false);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = () => {
      api.sharedTrip(token).then(
        (t) => {
          if (stopped) return;
          setTrip(t);
          setError(null);
          // An ended trip does not change any more: one read is enough.
          if (!["completed", "cancelled", "no_drivers_found"].includes(t.status)) timer = setTimeout(read, readEveryMs);
        },
        (e) => {
          if (stopped) return;
          if (e instanceof ApiError && (e.status === 404 || e.status === 400)) {
            setGone(true);
            setError(e.message);
            return; // the link no longer shows anything: stop asking
          }
          setError(e instanceof ApiError ? e.message : "Could not load the trip; trying again.");
          timer = setTimeout(read, readEveryMs);
        },
      );
    };
    read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [token]);

  const markers: MapMarker[] = trip
    ? [
        { id: "pickup", position: trip.pickup, label: "Pickup", kind: "pickup" },
        ...(trip.stops ?? []).map((s, i) => ({ id: `stop-${i}`, position: s.location, label: `Stop ${i + 1}${s.reached ? " (reached)" : ""}`, kind: "stop" as const, badge: String(i + 1) })),
        { id: "dropoff", position: trip.dropoff, label: "Drop-off", kind: "dropoff" },
        ...(trip.driver?.location ? [{ id: "driver", position: trip.driver.location, label: trip.driver.name, kind: "driver" as const }] : []),
      ]
    : [];
  const vehicle = trip?.driver?.vehicle;
  return (
    <main className="mx-auto flex max-w-3xl flex-col gap-4 p-4">
      <h1 className="text-2xl font-semibold">Follow a trip</h1>
      {error && <Notice kind={gone ? "info" : "error"}>{error}</Notice>}
      {trip && !gone && (
        <>
          <MapView label="Map of the shared trip" center={trip.driver?.location ?? trip.pickup} markers={markers} route={[trip.pickup, ...(trip.stops ?? []).map((s) => s.location), trip.dropoff]} />
          <Card title={`${riding(trip)}'s trip`}>
            <div className="mb-3 flex items-center gap-2">
              <StatusBadge status={trip.status} />
              <span className="text-sm text-slate-600">{trip.vehicleClass}</span>
            </div>
            <p data-testid="shared-progress">{progress(trip)}</p>
            {trip.passengerName && (
              <p className="mt-1 text-sm text-slate-600" data-testid="shared-booked-by">
                Booked by {trip.riderName} for {trip.passengerName}.
              </p>
            )}
            {trip.pin && (
              <p className="mt-2 text-lg" data-testid="shared-pin">
                Your PIN for the driver: <span className="font-mono font-semibold">{trip.pin}</span>
              </p>
            )}
            {(trip.stops ?? []).length > 0 && (
              <p className="mt-1 text-sm text-slate-600" data-testid="shared-stops">
                {(trip.stops ?? []).map((s, i) => `Stop ${i + 1}${s.reached ? " ✓" : ""}`).join(" · ")}
              </p>
            )}
            {trip.driver && (
              <p className="mt-2 text-sm" data-testid="shared-driver">
                <strong>{trip.driver.name}</strong>
                {vehicle && (
                  <>
                    {" · "}
                    {vehicle.colour} {vehicle.make} {vehicle.model} · <span className="font-mono">{vehicle.plate}</span>
                  </>
                )}
              </p>
            )}
            {trip.driver?.locationAt && (
              <p className="mt-1 text-xs text-slate-500">Car position from {new Date(trip.driver.locationAt).toLocaleTimeString()}.</p>
            )}
          </Card>
        </>
      )}
      {!trip && !error && <p className="text-sm text-slate-600">Loading the trip…</p>}
    </main>
  );
}
