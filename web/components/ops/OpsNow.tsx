"use client";

import { useState } from "react";
import { api } from "@/lib/api";
import { useLoad } from "@/lib/useLoad";
import { age, money } from "@/lib/format";
import type { Session } from "@/lib/types";
import { useNow } from "@/lib/useNow";
import { Button, Card, Notice } from "../ui";

const statuses = [
  ["scheduled", "Booked for later"],
  ["searching", "Searching"],
  ["driver_assigned", "Driver on the way"],
  ["driver_arrived", "Driver waiting"],
  ["in_progress", "Riding"],
] as const;

/**
 * What is under way now, by status (the 20 newest of each): a trip searching for long, or stuck, stands out by its age.
 * Read again when the console's version changes (Refresh) or the shown status is chosen again.
 */
export function OpsNow({ session, version: consoleVersion, onOpenTrip }: { session: Session; version: number; onOpenTrip: (tripId: string) => void }) {
  const [status, setStatus] = useState<(typeof statuses)[number][0]>("searching");
  const [version, setVersion] = useState(0);
  const now = useNow(true);
  const { data: trips, error } = useLoad(() => api.opsTripsInStatus(session, status), [session, status, version, consoleVersion], "Could not load the trips.", { reset: true });

  return (
    <Card title="Under way now" testId="ops-now">
      <div className="mb-3 flex flex-wrap gap-2" role="tablist" aria-label="Trips by status">
        {statuses.map(([value, label]) => (
          <Button
            key={value}
            type="button"
            role="tab"
            aria-selected={status === value}
            variant={status === value ? "primary" : "secondary"}
            onClick={() => (status === value ? setVersion((v) => v + 1) : setStatus(value))}
            data-testid={`ops-now-${value}`}
          >
            {label}
          </Button>
        ))}
      </div>
      {error && <Notice kind="error">{error}</Notice>}
      {trips === undefined ? (
        !error && <p className="text-sm text-slate-600">Loading…</p>
      ) : trips.length === 0 ? (
        <p className="text-sm text-slate-600">None.</p>
      ) : (
        <ul className="divide-y divide-slate-200 text-sm" aria-label="Trips">
          {trips.map((t) => (
            <li key={t.tripId}>
              <button
                type="button"
                className="flex w-full flex-wrap justify-between gap-2 px-1 py-2 text-left hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500"
                onClick={() => onOpenTrip(t.tripId)}
                data-testid="ops-now-row"
                data-trip-id={t.tripId}
              >
                <span>
                  <span className="font-mono">{t.tripId}</span> · {t.vehicleClass}
                </span>
                <span>
                  booked {age(t.createdAt, now)} ago · {money(t.fare)}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
