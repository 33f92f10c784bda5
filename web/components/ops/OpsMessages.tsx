"use client";

import { useEffect, useState } from "react";
import { api, ApiError } from "@/lib/api";
import type { Session, TripMessage } from "@/lib/types";
import { Card, Notice } from "../ui";

/** What the trip's rider and driver wrote to each other (read only). */
export function OpsMessages(props: { session: Session; tripId: string; version: number }) {
  const { session, tripId, version } = props;
  const [messages, setMessages] = useState<TripMessage[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    setError(null);
    api.messages(session, tripId).then(
      (read) => current && setMessages(read.messages ?? []),
      (e: unknown) => current && setError(e instanceof ApiError ? e.message : "Could not load the messages."),
    );
    return () => {
      current = false;
    };
  }, [session, tripId, version]);

  return (
    <Card title="Messages" testId="ops-messages">
      {error && <Notice kind="error">{error}</Notice>}
      {messages === null ? (
        !error && <p className="text-sm text-slate-600">Loading…</p>
      ) : messages.length === 0 ? (
        <p className="text-sm text-slate-600">No messages.</p>
      ) : (
        <ul className="flex flex-col gap-1 text-sm">
          {messages.map((m) => (
            <li key={m.messageId}>
              <span className="text-slate-600">{new Date(m.sentAt).toLocaleTimeString()}</span> <span className="font-medium">{m.from === "rider" ? "Rider" : "Driver"}:</span> {m.text}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
