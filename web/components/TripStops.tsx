import { clockTime, point } from "@/lib/format";
import { isReached, nextStopIndex, stopsOf } from "@/lib/stops";
import type { Trip } from "@/lib/types";

/**
 * A trip's stops on the way, in order (ADR 0023): when the driver reached each, the one the car heads for while riding,
 * and, once the ride is over, those it did not stop at. Nothing for a trip without stops.
 */
export function TripStops({ trip }: { trip: Pick<Trip, "status" | "stops"> }) {
  const stops = stopsOf(trip);
  if (stops.length === 0) return null;
  const next = nextStopIndex(trip);
  return (
    <ol className="my-2 flex flex-col gap-1 text-sm" aria-label="Stops on the way" data-testid="trip-stops">
      {stops.map((stop, i) => (
        <li key={i} className={isReached(stop) ? "text-slate-500" : ""} data-testid={`trip-stop-${i + 1}`}>
          <span className="font-medium">Stop {i + 1}</span> · {point(stop.location)}
          {stop.reachedAt ? (
            <span className="text-green-800"> · ✓ reached {clockTime(stop.reachedAt)}</span>
          ) : i === next ? (
            <strong> · next</strong>
          ) : trip.status === "completed" ? (
            " · skipped"
          ) : null}
        </li>
      ))}
    </ol>
  );
}
