"use client";

import { useState } from "react";
import { api } from "@/lib/api";
import { runTripAction } from "@/lib/tripAction";
import type { Session, Trip } from "@/lib/types";
import { Button } from "../ui";

const underWay = (t: Trip) => ["searching", "driver_assigned", "driver_arrived", "in_progress"].includes(t.status);

/**
 * Sharing the trip with someone who is not signed in: a link to /share/{token} that shows where the car is and how far
 * along the trip is, until shortly after it ends. The rider may stop sharing at any time (the link then shows nothing).
 */
export function ShareTrip(props: { session: Session; trip: Trip; onChanged: (trip: Trip) => void; onError: (message: string | null) => void }) {
  const { session, trip } = props;
  const [copied, setCopied] = useState(false);
  const act = (action: () => Promise<Trip>) => runTripAction(action, props.onChanged, props.onError);
  if (!trip.shareToken && !underWay(trip)) return null;
  const link = trip.shareToken && typeof window !== "undefined" ? `${window.location.origin}/share/${trip.shareToken}` : null;

  if (!link) {
    return (
      <Button variant="secondary" className="self-start" onClick={() => act(() => api.share(session, trip.tripId))}>
        Share trip status
      </Button>
    );
  }
  return (
    <div className="flex flex-col gap-2 text-sm" data-testid="share-trip">
      <span>Anyone with this link can follow your trip, until shortly after it ends:</span>
      <input className="rounded-md border border-slate-300 px-2 py-1 font-mono text-xs" readOnly value={link} aria-label="Share link" onFocus={(e) => e.currentTarget.select()} />
      <div className="flex gap-2">
        <Button
          variant="secondary"
          onClick={() =>
            navigator.clipboard?.writeText(link).then(
              () => setCopied(true),
              () => props.onError("Copying is not allowed here: select the link and copy it."),
            )
          }
        >
          {copied ? "Copied" : "Copy link"}
        </Button>
        <Button variant="secondary" onClick={() => act(() => api.stopSharing(session, trip.tripId))}>
          Stop sharing
        </Button>
      </div>
    </div>
  );
}
