"use client";

import { api } from "@/lib/api";
import { age } from "@/lib/format";
import { helpTopicLabel } from "@/lib/help";
import { useLoad } from "@/lib/useLoad";
import { useNow } from "@/lib/useNow";
import type { HelpRequest, Session } from "@/lib/types";
import { Card } from "../ui";
import { OpsList } from "./OpsList";

/** The first words of a message, for a one-line row. */
function firstWords(text: string, max = 80): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length <= max ? line : `${line.slice(0, max).replace(/\s+\S*$/, "")}…`;
}

/**
 * Riders and drivers waiting for an answer about a trip, longest waiting first: what it is about, who asks, for how
 * long, and the last thing they wrote; a row opens the trip, where support answers. Read again when version changes
 * (Refresh) or helpVersion does (a help request changed: the desk's socket said so).
 */
export function OpsHelpQueue({ session, version, helpVersion, onOpenTrip }: { session: Session; version: number; helpVersion: number; onOpenTrip: (tripId: string) => void }) {
  const now = useNow(true);
  const { data: requests, error } = useLoad(() => api.helpQueue(session, "waiting"), [session, version, helpVersion], "Could not load the requests waiting for support.");

  return (
    <Card title="Waiting for support" testId="ops-help-queue">
      <OpsList
        items={requests}
        error={error}
        empty="Nobody is waiting."
        label="Help requests waiting"
        row={(r) => ({
          key: r.requestId,
          onOpen: () => onOpenTrip(r.tripId),
          testId: "ops-help-queue-row",
          data: { "data-request-id": r.requestId, "data-trip-id": r.tripId },
          stacked: true,
          content: (
            <>
              <span className="flex flex-wrap justify-between gap-2">
                <span>
                  <span className="font-medium">{helpTopicLabel(r.topic, r.openedByRole)}</span> · {r.openedByRole === "driver" ? "Driver" : "Rider"}
                </span>
                <span>waiting {age(r.waitingSince ?? r.updatedAt, now)}</span>
              </span>
              <span className="text-slate-600">{lastWords(r)}</span>
            </>
          ),
        })}
      />
    </Card>
  );
}

const lastWords = (r: HelpRequest) => {
  const last = r.messages.at(-1);
  return last ? `“${firstWords(last.text)}”` : "";
};
