"use client";

import { api } from "@/lib/api";
import { age } from "@/lib/format";
import { helpTopicLabel } from "@/lib/help";
import { useLoad } from "@/lib/useLoad";
import { useNow } from "@/lib/useNow";
import type { HelpRequest, Session } from "@/lib/types";
import { Card, Notice } from "../ui";
import { EmergencyBadge } from "./OpsHelpRequests";

/** The first words of a message, for a one-line row. */
function firstWords(text: string, max = 80): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length <= max ? line : `${line.slice(0, max).replace(/\s+\S*$/, "")}…`;
}

/**
 * Riders and drivers waiting for an answer about a trip in the gateway's order (emergency alerts first, then longest
 * waiting first): what it is about, who asks, for how long, and the last thing they wrote; a row opens the trip, where
 * support answers. Read again when version changes (Refresh) or helpVersion does (a help request changed: the desk's
 * socket said so).
 */
export function OpsHelpQueue({ session, version, helpVersion, onOpenTrip }: { session: Session; version: number; helpVersion: number; onOpenTrip: (tripId: string) => void }) {
  const now = useNow(true);
  const { data: requests, error } = useLoad(() => api.helpQueue(session, "waiting"), [session, version, helpVersion], "Could not load the requests waiting for support.");

  return (
    <Card title="Waiting for support" testId="ops-help-queue">
      {error && <Notice kind="error">{error}</Notice>}
      {requests === undefined ? (
        !error && <p className="text-sm text-slate-600">Loading…</p>
      ) : requests.length === 0 ? (
        <p className="text-sm text-slate-600">Nobody is waiting.</p>
      ) : (
        <ul className="divide-y divide-slate-200 text-sm" aria-label="Help requests waiting">
          {requests.map((r) => (
            <li key={r.requestId}>
              <button
                type="button"
                className={`flex w-full flex-col gap-0.5 px-1 py-2 text-left focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500 ${r.urgent ? "bg-red-50 hover:bg-red-100" : "hover:bg-slate-50"}`}
                onClick={() => onOpenTrip(r.tripId)}
                data-testid="ops-help-queue-row"
                data-request-id={r.requestId}
                data-trip-id={r.tripId}
              >
                <span className="flex flex-wrap justify-between gap-2">
                  <span>
                    {r.urgent && <EmergencyBadge />}
                    <span className="font-medium">{helpTopicLabel(r.topic, r.openedByRole)}</span> · {r.openedByRole === "driver" ? "Driver" : "Rider"}
                  </span>
                  <span>waiting {age(r.waitingSince ?? r.updatedAt, now)}</span>
                </span>
                <span className="text-slate-600">{lastWords(r)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

const lastWords = (r: HelpRequest) => {
  const last = r.messages.at(-1);
  return last ? `“${firstWords(last.text)}”` : "";
};
