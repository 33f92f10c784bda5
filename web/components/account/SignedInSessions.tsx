"use client";

import { useState } from "react";
import { api, ApiError, failureText } from "@/lib/api";
import { ago } from "@/lib/format";
import { useLoad } from "@/lib/useLoad";
import type { Session, SignedInSession } from "@/lib/types";
import { Button, Card, Notice } from "../ui";

/**
 * "Where you're signed in" (ADR 0048): every device signed in to the account, this one marked, each with a "Sign out"
 * that ends it at once (its app is signed out, its open connection closed). Signing this device out signs the app out
 * here too; "Sign out everywhere" (the menu next to "Sign out") still ends them all.
 */
export function SignedInSessions({ session, onSignedOut }: { session: Session; onSignedOut: () => void }) {
  const { data: sessions, setData: setSessions, error: loadError } = useLoad(() => api.signedInSessions(session), [session], "Could not load where you're signed in.");
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const now = Date.now();

  async function end(target: SignedInSession) {
    setBusy(target.id);
    setError(null);
    try {
      await api.endSignedInSession(session, target.id);
      if (target.current) {
        onSignedOut();
        return;
      }
      setSessions((list) => (list ?? []).filter((s) => s.id !== target.id));
    } catch (e) {
      // Ended meanwhile (from another device): it is gone either way.
      if (e instanceof ApiError && e.status === 404) setSessions((list) => (list ?? []).filter((s) => s.id !== target.id));
      else setError(failureText(e));
    } finally {
      setBusy(null);
    }
  }

  return (
    <Card title="Where you're signed in" testId="sessions-section">
      <p className="text-sm text-slate-700">Every device signed in to your account. Don&apos;t recognise one? Sign it out, and change your password.</p>
      {(loadError ?? error) && (
        <Notice kind="error" testId="sessions-error">
          {loadError ?? error}
        </Notice>
      )}
      {sessions && (
        <ul className="mt-3 divide-y divide-slate-200" data-testid="sessions-list">
          {sessions.map((s) => (
            <li key={s.id} className="flex items-center justify-between gap-3 py-2" data-testid="sessions-row" data-session-id={s.id}>
              <div className="text-sm">
                <div className="font-medium">
                  <span data-testid="sessions-device">{s.device}</span>
                  {s.current && (
                    <span className="ml-2 rounded bg-green-100 px-1.5 py-0.5 text-xs text-green-800" data-testid="sessions-this-device">
                      This device
                    </span>
                  )}
                </div>
                <div className="text-slate-600">
                  Signed in {ago(s.signedInAt, now)} · last used {ago(s.lastUsedAt, now)}
                  {s.ip && <> · {s.ip}</>}
                </div>
              </div>
              <Button
                variant="secondary"
                disabled={busy !== null}
                onClick={() => void end(s)}
                // Named for its device: the page's own "Sign out" stays the only button of that name.
                aria-label={`Sign out ${s.current ? "this device" : s.device}`}
                data-testid="sessions-sign-out"
              >
                {busy === s.id ? "Signing out…" : "Sign out"}
              </Button>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
