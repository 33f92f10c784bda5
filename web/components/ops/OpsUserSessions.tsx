"use client";

import { api } from "@/lib/api";
import { ago } from "@/lib/format";
import { useLoad } from "@/lib/useLoad";
import type { Session } from "@/lib/types";
import { Notice } from "../ui";

/**
 * "Someone else is in my account": where the caller is signed in (ADR 0048), as their own Account settings list it,
 * read-only. Support ends them all with "Sign out everywhere"; the owner ends one. Read again when version changes.
 */
export function OpsUserSessions(props: { session: Session; userId: string; version: unknown }) {
  const { session, userId, version } = props;
  const { data: sessions, error } = useLoad(() => api.opsUserSessions(session, userId), [session, userId, version], "Could not load where they are signed in.");
  const now = Date.now();
  return (
    <div data-testid="ops-user-sessions">
      <h3 className="mb-1 font-medium">Signed in on</h3>
      {error && <Notice kind="error">{error}</Notice>}
      {sessions === undefined ? (
        !error && <p className="text-sm text-slate-600">Loading…</p>
      ) : sessions.length === 0 ? (
        <p className="text-sm text-slate-600">No device is signed in.</p>
      ) : (
        <ul className="divide-y divide-slate-200 text-sm" aria-label="Signed in on">
          {sessions.map((s) => (
            <li key={s.id} className="flex flex-wrap justify-between gap-2 px-1 py-2" data-testid="ops-user-session">
              <span className="font-semibold">{s.device}</span>
              <span className="text-slate-600">
                signed in {ago(s.signedInAt, now)} · last used {ago(s.lastUsedAt, now)}
                {s.ip && <> · {s.ip}</>}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
