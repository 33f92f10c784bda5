"use client";

import { useEffect, useState } from "react";
import { useClientMessageId } from "@/lib/clientMessageId";
import { api, ApiError } from "@/lib/api";
import type { Session, TripMessage } from "@/lib/types";
import { Button, inputClass } from "./ui";

const underWay = ["driver_assigned", "driver_arrived", "in_progress"];

/**
 * The conversation between a trip's rider and its driver while the driver is on the way or riding: read again when
 * <paramref name="version"/> changes (a trip.message arrived on the socket), with one-tap replies.
 */
export function TripChat(props: { session: Session; tripId: string; status: string; version: number; quickReplies: string[] }) {
  const { session, tripId } = props;
  const [messages, setMessages] = useState<TripMessage[]>([]);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const me = session.role;
  const other = me === "rider" ? "driver" : "rider";

  useEffect(() => {
    let current = true;
    api.messages(session, tripId).then(
      (list) => current && setMessages(list.messages ?? []),
      () => undefined, // the next message read tries again; sending works without it
    );
    return () => {
      current = false;
    };
  }, [session, tripId, props.version]);

  // A message resent after a failed send keeps its id, so it is stored once if the first send did arrive.
  const ids = useClientMessageId();
  if (!underWay.includes(props.status) && messages.length === 0) return null;
  const open = underWay.includes(props.status);
  const send = async (body: string) => {
    if (!body.trim()) return;
    setBusy(true);
    try {
      const sent = await api.sendMessage(session, tripId, body, ids.idFor(body));
      ids.sent();
      setMessages((shown) => (shown.some((m) => m.messageId === sent.messageId) ? shown : [...shown, sent]));
      setText("");
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "The message was not sent; try again.");
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="mt-3 flex flex-col gap-2 rounded-md border border-slate-200 p-3 text-sm" aria-label={`Messages with your ${other}`} data-testid="trip-chat">
      <h3 className="font-medium">Messages</h3>
      {messages.length === 0 ? (
        <p className="text-slate-600">No messages yet.</p>
      ) : (
        <ul className="flex flex-col gap-1" data-testid="chat-messages">
          {messages.map((m) => (
            <li key={m.messageId} className={m.from === me ? "self-end rounded-md bg-slate-900 px-2 py-1 text-white" : "self-start rounded-md bg-slate-100 px-2 py-1"}>
              <span className="sr-only">{m.from === me ? "You" : `Your ${other}`}: </span>
              {m.text}
            </li>
          ))}
        </ul>
      )}
      {error && <p className="text-red-700">{error}</p>}
      {open && (
        <>
          <div className="flex flex-wrap gap-2">
            {props.quickReplies.map((reply) => (
              <Button key={reply} variant="secondary" disabled={busy} onClick={() => void send(reply)}>
                {reply}
              </Button>
            ))}
          </div>
          <form
            className="flex gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              void send(text);
            }}
          >
            <input
              className={`${inputClass} flex-1`}
              aria-label={`Message to your ${other}`}
              maxLength={500}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
            <Button type="submit" disabled={busy || !text.trim()}>
              Send
            </Button>
          </form>
        </>
      )}
    </section>
  );
}
