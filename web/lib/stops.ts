import type { LatLng, Trip, TripStop } from "./types";

/** A trip's stops on the way, in order (proto JSON leaves an empty list out). */
export const stopsOf = (trip: Pick<Trip, "stops">): TripStop[] => trip.stops ?? [];

export const isReached = (stop: TripStop) => Boolean(stop.reachedAt);

/**
 * The index of the stop the car heads for while riding (the first not reached), or -1 when none is left or the ride is
 * not under way. Worked out from the stops rather than read from nextStop, which proto JSON leaves out when it is 0.
 */
export function nextStopIndex(trip: Pick<Trip, "status" | "stops">): number {
  return trip.status === "in_progress" ? stopsOf(trip).findIndex((s) => !isReached(s)) : -1;
}

/** Where the car still goes while riding, in order: the stops not reached yet, then the drop-off. */
export function wayAhead(trip: Pick<Trip, "stops" | "dropoff">): LatLng[] {
  return [...stopsOf(trip).filter((s) => !isReached(s)).map((s) => s.location), trip.dropoff];
}

/** "1 stop", "2 stops". */
export const stopCount = (count: number) => `${count} stop${count === 1 ? "" : "s"}`;

/** "1 stop on the way", "2 stops on the way". */
export const stopsOnTheWay = (count: number) => `${stopCount(count)} on the way`;
