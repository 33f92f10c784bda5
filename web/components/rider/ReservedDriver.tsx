"use client";

import { api } from "@/lib/api";
import type { Session, Trip } from "@/lib/types";
import { useLoad } from "@/lib/useLoad";

/**
 * A ride booked for later that a driver reserved (ADR 0047): "Ana (Toyota Prius, B-XY 123) will pick you up at 08:15".
 * Nothing while nobody holds it: the search starts on time and finds a driver then.
 */
export function ReservedDriver({ session, ride }: { session: Session; ride: Trip }) {
  const driverId = ride.reservation?.driverId ?? null;
  const { data: driver } = useLoad(driverId ? () => api.tripDriver(session, ride.tripId) : null, [session, ride.tripId, driverId], "");
  if (!driverId || !ride.scheduledFor) return null;
  const at = new Date(ride.scheduledFor).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  const car = driver?.vehicle ? ` (${driver.vehicle.make} ${driver.vehicle.model}, ${driver.vehicle.plate})` : "";
  return (
    <p className="text-sm font-medium text-emerald-900" data-testid="reserve-rider-driver">
      {driver ? `${driver.name.split(" ")[0]}${car}` : "A driver"} will pick you up at {at}.
    </p>
  );
}
