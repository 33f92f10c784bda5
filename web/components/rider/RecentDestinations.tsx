"use client";

import { useEffect, useState } from "react";
import { api } from "@/lib/api";
import { ago, point } from "@/lib/format";
import { distanceMeters } from "@/lib/geo";
import { useNow } from "@/lib/useNow";
import type { LatLng, SavedPlace, Session } from "@/lib/types";

/** Drop-offs closer than this are one place (the app has no addresses, only points). */
const samePlaceMeters = 100;
const shown = 3;

type Recent = { place: LatLng; at: string };

/**
 * The rider's last few distinct drop-offs of completed trips, newest first, as one-tap chips that set the drop-off: not
 * the pickup itself, nor a saved place (it has a chip of its own). The history is read when the booking form appears
 * (again after each trip); a failed read shows nothing, as booking works without it.
 */
export function RecentDestinations(props: { session: Session; pickup: LatLng | null; places: SavedPlace[]; onPick: (place: LatLng) => void }) {
  const { session } = props;
  const [recent, setRecent] = useState<Recent[]>([]);
  const now = useNow(false);

  useEffect(() => {
    api.history(session).then(
      (trips) => {
        const distinct: Recent[] = [];
        const done = trips
          .filter((t) => t.status === "completed")
          .map((t) => ({ place: t.dropoff, at: t.completedAt ?? t.createdAt }))
          .sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
        for (const r of done) if (!distinct.some((d) => near(d.place, r.place))) distinct.push(r);
        setRecent(distinct);
      },
      () => setRecent([]),
    );
  }, [session]);

  const chips = recent
    .filter((r) => !(props.pickup && near(r.place, props.pickup)) && !props.places.some((p) => near(r.place, p)))
    .slice(0, shown);
  if (chips.length === 0) return null;
  return (
    <ul className="flex flex-wrap gap-2 text-sm" aria-label="Recent destinations" data-testid="recent-destinations">
      {chips.map((r) => (
        <li key={point(r.place)}>
          <button type="button" className="rounded-md border border-slate-300 px-3 py-1" data-testid="recent-destination" onClick={() => props.onPick(r.place)}>
            Recent: {point(r.place)} <span className="text-slate-500">· {ago(r.at, now)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

const near = (a: LatLng, b: LatLng) => distanceMeters(a, b) < samePlaceMeters;
