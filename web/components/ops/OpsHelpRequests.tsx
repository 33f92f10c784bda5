"use client";

import { useState, type FormEvent } from "react";
import { api, failureText } from "@/lib/api";
import { age } from "@/lib/format";
import { useOperatorNames, whoDid, type OperatorNames } from "@/lib/operatorNames";
import { useClientMessageId } from "@/lib/clientMessageId";
import { helpTopicLabel } from "@/lib/help";
import { useLoad } from "@/lib/useLoad";
import { useNow } from "@/lib/useNow";
import type { HelpMessage, HelpRequest, Session } from "@/lib/types";
import { Button, Card, Field, Notice, inputClass } from "../ui";

const roleName = (role: HelpRequest["openedByRole"]) => (role === "driver" ? "Driver" : "Rider");

/**
 * Every help request about the trip (its rider's and its driver's), newest first: the conversation, and until a request
 * is closed an answer box and "Close request". Read again when version or helpVersion (help.updated) changes.
 */
export function OpsHelpRequests(props: { session: Session; tripId: string; version: number; helpVersion: number }) {
  const { session, tripId, version, helpVersion } = props;
  const { data: requests, setData: setRequests, error } = useLoad(() => api.tripHelp(session, tripId), [session, tripId, version, helpVersion],
    "Could not load the help requests.");
  const now = useNow(true);
  const changed = (request: HelpRequest) => setRequests((list = []) => list.map((r) => (r.requestId === request.requestId ? request : r)));

  return (
    <Card title="Help requests" testId="ops-help-requests">
      {error && <Notice kind="error">{error}</Notice>}
      {requests === undefined ? (
        !error && <p className="text-sm text-slate-600">Loading…</p>
      ) : requests.length === 0 ? (
        <p className="text-sm text-slate-600">Nobody has asked for help with this trip.</p>
      ) : (
        <ul className="flex flex-col gap-3 text-sm">
          {requests.map((r) => (
            <Request key={r.requestId} session={session} request={r} now={now} onChanged={changed} />
          ))}
        </ul>
      )}
    </Card>
  );
}

/** One request: who asks and about what, its status, the conversation; an answer and "Close request" until it is closed. */
function Request(props: { session: Session; request: HelpRequest; now: number; onChanged: (request: HelpRequest) => void }) {
  const { session, request } = props;
  const names = useOperatorNames(session, request.messages.map((m) => m.authorId));
  const [answer, setAnswer] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = useClientMessageId();
  const who = roleName(request.openedByRole);

  async function run(action: () => Promise<HelpRequest>): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      props.onChanged(await action());
      return true;
    } catch (e) {
      setError(failureText(e));
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = answer.trim();
    if (!body) return;
    if (await run(() => api.helpMessage(session, request.requestId, body, ids.idFor(body)))) {
      ids.sent();
      setAnswer("");
    }
  }

  const status =
    request.status === "open"
      ? `Waiting for support for ${age(request.waitingSince ?? request.updatedAt, props.now)}`
      : request.status === "answered"
        ? `Answered: waiting for the ${who.toLowerCase()}`
        : `Closed${request.closedAt ? ` ${new Date(request.closedAt).toLocaleString()}` : ""}`;

  return (
    <li className={`flex flex-col gap-2 rounded-md border p-3 ${request.urgent ? "border-red-600" : "border-slate-200"}`} data-testid="ops-help-request" data-request-id={request.requestId}>
      <p>
        {request.urgent && <EmergencyBadge />}
        <span className="font-medium">{who}</span> · {helpTopicLabel(request.topic, request.openedByRole)} ·{" "}
        <span data-testid="ops-help-status">{status}</span>
        <span className="block text-xs text-slate-600">
          <span className="font-mono">{request.openedBy}</span> · asked {new Date(request.createdAt).toLocaleString()}
        </span>
      </p>
      <ul className="flex flex-col gap-1" aria-label={`Conversation with the ${who.toLowerCase()}`} data-testid="ops-help-messages">
        {request.messages.map((m) => (
          <li key={m.messageId} className={m.from === "support" ? "rounded-md bg-slate-100 px-2 py-1" : "px-2 py-1"}>
            <span className="text-slate-600">{new Date(m.sentAt).toLocaleTimeString()}</span> <span className="font-medium">{author(m, session.userId, names)}:</span> {m.text}
          </li>
        ))}
      </ul>
      {error && <Notice kind="error">{error}</Notice>}
      {request.status !== "closed" && (
        <form className="flex flex-col gap-2" onSubmit={send}>
          <Field label="Answer">
            <textarea className={inputClass} rows={3} required maxLength={2000} value={answer} onChange={(e) => setAnswer(e.target.value)} />
          </Field>
          <div className="flex gap-2">
            <Button type="submit" disabled={busy || !answer.trim()}>
              Send answer
            </Button>
            <Button type="button" variant="secondary" disabled={busy} onClick={() => void run(() => api.closeHelp(session, request.requestId))}>
              Close request
            </Button>
          </div>
        </form>
      )}
    </li>
  );
}

/** An emergency alert (the trip's emergency button), in the queue and on the trip: the first thing support sees. */
export function EmergencyBadge() {
  return (
    <span className="mr-1 rounded-full bg-red-600 px-2 py-0.5 text-xs font-bold tracking-wide text-white" data-testid="help-urgent">
      EMERGENCY
    </span>
  );
}

/** Who wrote a message: the rider or driver, or support with the colleague (you, or their name). */
function author(m: HelpMessage, you: string, names: OperatorNames | null): string {
  if (m.from !== "support") return m.from === "driver" ? "Driver" : "Rider";
  if (!m.authorId) return "Support";
  return `Support (${whoDid(m.authorId, you, names)})`;
}
