"use client";

import { useEffect, useRef, useState } from "react";
import { api } from "@/lib/api";
import { distanceMeters } from "@/lib/geo";
import type { LatLng, Session, SurgeArea } from "@/lib/types";
import type { MapArea } from "../MapView";

/** The surge map is read again this often, and when the car is this far from where it was last read. */
const refreshMs = 30_000;
const refreshAfterMeters = 1_000;

/**
 * Where fares surge now around the driver (the surge grid's squares within about 10 km), while `active`: read at once,
 * every 30 s, and when the car has moved more than a kilometre from where it was read. Empty while not active, and when
 * it cannot be read: it is only a hint of where to drive.
 */
export function useSurgeAreas(session: Session | null, position: LatLng, active: boolean): SurgeArea[] {
  const [areas, setAreas] = useState<SurgeArea[]>([]);
  /** Where the map was read from: a new one is read when the car is far from it. */
  const [anchor, setAnchor] = useState<LatLng | null>(null);
  const positionRef = useRef(position);
  positionRef.current = position;

  useEffect(() => {
    if (!active) setAnchor(null);
    else if (anchor === null || distanceMeters(anchor, position) > refreshAfterMeters) setAnchor(position);
  }, [active, anchor, position]);

  useEffect(() => {
    if (!session || !anchor) {
      setAreas([]);
      return;
    }
    let stopped = false;
    const look = (at: LatLng) => {
      if (document.visibilityState === "hidden") return; // nobody is looking: spare the rate limit and the service
      api.surge(session, at).then(
        (map) => !stopped && setAreas(map.areas ?? []),
        () => !stopped && setAreas([]),
      );
    };
    look(anchor);
    const timer = setInterval(() => look(positionRef.current), refreshMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [session, anchor]);

  return areas;
}

/** Orange for a little surge, red for a lot. */
function colourOf(multiplier: number): string {
  return multiplier >= 2 ? "#dc2626" : multiplier >= 1.5 ? "#ea580c" : "#f59e0b";
}

const times = (multiplier: number) => `${multiplier.toFixed(1)}×`;

/** Each surging square as a shaded rectangle on the map, labelled with its multiplier ("1.5×"). */
export function surgeMapAreas(areas: SurgeArea[]): MapArea[] {
  return areas.map(({ south = 0, west = 0, north = 0, east = 0, multiplier }) => ({
    id: `surge-${south},${west}`,
    south,
    west,
    north,
    east,
    label: times(multiplier),
    colour: colourOf(multiplier),
    attributes: { "data-testid": "surge-area", "data-multiplier": String(multiplier) },
  }));
}

/** Under the map, when any area surges: what the shaded squares mean. */
export function SurgeLegend({ areas }: { areas: SurgeArea[] }) {
  if (areas.length === 0) return null;
  const highest = Math.max(...areas.map((a) => a.multiplier));
  return (
    <p className="flex items-center gap-2 text-sm text-slate-700" data-testid="surge-map">
      <span aria-hidden className="inline-block h-3 w-3 rounded-sm border" style={{ backgroundColor: `${colourOf(highest)}33`, borderColor: colourOf(highest) }} />
      Busy areas: fares are higher there (up to {times(highest)}).
    </p>
  );
}
