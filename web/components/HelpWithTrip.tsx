"use client";

import { useState, type FormEvent } from "react";
import { api, ApiError } from "@/lib/api";
import { useClientMessageId } from "@/lib/clientMessageId";
import { helpStatusLabels, helpTopicLabel } from "@/lib/help";
import { useLoad } from "@/lib/useLoad";
import { helpTopics, type HelpRequest, type HelpTopic, type Session } from "@/lib/types";
import { Button, Field, inputClass } from "./ui";

const maxText = 2000;
const failed = (e: unknown, fallback: string) => (e instanceof ApiError ? e.message : fallback);

/**
 * A trip's rider or driver asks support about it, and talks with them: the caller's requests about the trip (read when
 * this is shown, and again when <paramref name="version"/> changes: help.updated arrived on the socket), each with its
 * conversation, a reply box and "Close request" until it is closed. While none is open, one button opens the form to
 * ask (a second question while one is open goes into that one's reply box). Nothing but the button until it is used or
 * the caller has asked about the trip.
 */
export function HelpWithTrip(props: { session: Session; tripId: string; version: number; onError: (message: string | null) => void }) {
  const { session, tripId, onError } = props;
  const role = session.role === "driver" ? "driver" : "rider";
  const { data: requests, setData: setRequests, error } = useLoad(() => api.tripHelp(session, tripId), [session, tripId, props.version],
    "Could not load your help requests.");
  const [asking, setAsking] = useState(false);
  const [topic, setTopic] = useState<HelpTopic | "">("");
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const ids = useClientMessageId();

  /** An action's answer: the request in its place in the list (newest first), or first if it is new. */
  const show = (changed: HelpRequest) =>
    setRequests((list = []) =>
      list.some((r) => r.requestId === changed.requestId) ? list.map((r) => (r.requestId === changed.requestId ? changed : r)) : [changed, ...list],
    );

  async function ask(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = text.trim();
    if (!topic || !body) return;
    setBusy(true);
    onError(null);
    try {
      show(await api.openHelp(session, tripId, topic, body, ids.idFor(body)));
      ids.sent();
      setAsking(false);
      setTopic("");
      setText("");
    } catch (e) {
      onError(failed(e, "Your message did not reach support. Try again."));
    } finally {
      setBusy(false);
    }
  }

  const hasOpen = requests?.some((r) => r.status !== "closed") ?? false;
  const shown = requests ?? [];
  return (
    <section className="mt-3 flex flex-col gap-2 text-sm" aria-label="Help with this trip" data-testid="trip-help">
      {(shown.length > 0 || asking) && <h3 className="font-medium">Help with this trip</h3>}
      {error && <p className="text-red-700">{error}</p>}
      {shown.length > 0 && (
        <ul className="flex flex-col gap-2" aria-label="Your help requests">
          {shown.map((r) => (
            <Request key={r.requestId} session={session} request={r} onChanged={show} onError={onError} />
          ))}
        </ul>
      )}
      {(requests !== undefined || error) &&
        !hasOpen &&
        (asking ? (
          <form className="flex flex-col gap-2 rounded-md border border-slate-200 p-3" onSubmit={ask} aria-label="Ask support">
            <Field label="What is it about?">
              <select className={inputClass} required value={topic} onChange={(e) => setTopic(e.target.value as HelpTopic | "")}>
                <option value="" disabled>
                  Choose one
                </option>
                {helpTopics.map((t) => (
                  <option key={t} value={t}>
                    {helpTopicLabel(t, role)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Tell us what happened">
              <textarea className={inputClass} rows={3} required maxLength={maxText} value={text} onChange={(e) => setText(e.target.value)} />
            </Field>
            <div className="flex gap-2">
              <Button type="submit" disabled={busy || !topic || !text.trim()}>
                Send to support
              </Button>
              <Button type="button" variant="secondary" disabled={busy} onClick={() => setAsking(false)}>
                Not now
              </Button>
            </div>
          </form>
        ) : (
          <Button variant="secondary" className="self-start" onClick={() => setAsking(true)}>
            Get help with this trip
          </Button>
        ))}
    </section>
  );
}

/** One request: its topic and status, the conversation, and until it is closed a reply box and "Close request". */
function Request(props: { session: Session; request: HelpRequest; onChanged: (request: HelpRequest) => void; onError: (message: string | null) => void }) {
  const { session, request, onChanged, onError } = props;
  const [reply, setReply] = useState("");
  const [busy, setBusy] = useState(false);
  const ids = useClientMessageId();

  async function run(action: () => Promise<HelpRequest>, fallback: string): Promise<boolean> {
    setBusy(true);
    onError(null);
    try {
      onChanged(await action());
      return true;
    } catch (e) {
      onError(failed(e, fallback));
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = reply.trim();
    if (!body) return;
    if (await run(() => api.helpMessage(session, request.requestId, body, ids.idFor(body)), "Your reply did not reach support. Try again.")) {
      ids.sent();
      setReply("");
    }
  }

  return (
    <li className="flex flex-col gap-2 rounded-md border border-slate-200 p-3" data-testid="help-request" data-request-id={request.requestId}>
      <p>
        <span className="font-medium">{helpTopicLabel(request.topic, request.openedByRole)}</span> ·{" "}
        <span data-testid="help-status">{helpStatusLabels[request.status]}</span>
      </p>
      <ul className="flex flex-col gap-1" aria-label="Conversation with support" data-testid="help-messages">
        {request.messages.map((m) => (
          <li key={m.messageId} title={new Date(m.sentAt).toLocaleString()} className={m.from === "support" ? "rounded-md bg-slate-100 px-2 py-1" : "px-2 py-1"}>
            <span className="font-medium">{m.from === "support" ? "Support:" : "You:"}</span> {m.text}
          </li>
        ))}
      </ul>
      {request.status !== "closed" && (
        <form className="flex flex-col gap-2" onSubmit={send}>
          <Field label="Reply to support">
            <textarea className={inputClass} rows={2} required maxLength={maxText} value={reply} onChange={(e) => setReply(e.target.value)} />
          </Field>
          <div className="flex gap-2">
            <Button type="submit" disabled={busy || !reply.trim()}>
              Send reply
            </Button>
            <Button
              type="button"
              variant="secondary"
              disabled={busy}
              onClick={() => void run(() => api.closeHelp(session, request.requestId), "The request was not closed. Try again.")}
            >
              Close request
            </Button>
          </div>
        </form>
      )}
    </li>
  );
}
