"use client";

import { useState } from "react";
import { api, failureText } from "@/lib/api";
import type { Me, Session } from "@/lib/types";
import { useLoad } from "@/lib/useLoad";
import { Card, Notice } from "../ui";

/**
 * Which mail a rider or driver gets: a box for each kind they may turn off (a rider's receipts, rides booked for
 * later and offers, a driver's weekly statements), saved as it is ticked; once saved, the boxes show what the gateway answered.
 * The link at the end of each such mail turns it off too (/unsubscribe). Read again when the email changes or is confirmed.
 */
export function MailPreferences({ session, me }: { session: Session; me: Me }) {
  const { data: preferences, setData: setPreferences, error: loadError } = useLoad(
    () => api.mailPreferences(session),
    [session, me.email, me.emailVerified],
    "Could not load which mail you get.",
  );
  // The box being saved, shown as ticked or not until the gateway answers.
  const [saving, setSaving] = useState<{ id: string; on: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function save(id: string, on: boolean) {
    setSaving({ id, on });
    setError(null);
    try {
      setPreferences(await api.setMailPreferences(session, { [id]: on }));
    } catch (e) {
      setError(failureText(e));
    } finally {
      setSaving(null);
    }
  }

  if (preferences?.categories.length === 0) return null;
  return (
    <Card title="Mail" testId="mail-preferences">
      {!preferences ? (
        loadError ? (
          <Notice kind="error" testId="account-error">
            {loadError}
          </Notice>
        ) : (
          <p className="text-sm text-slate-600">Loading…</p>
        )
      ) : (
        <div className="flex flex-col gap-3">
          {!preferences.emailConfirmed && (
            <Notice testId="mail-unconfirmed">
              Mail goes only to a confirmed email: confirm <span className="break-all">{preferences.email}</span> above to get it.
            </Notice>
          )}
          <ul className="flex flex-col gap-3">
            {preferences.categories.map((category) => (
              <li key={category.id}>
                <label className="flex items-center gap-2 text-sm font-medium">
                  <input
                    type="checkbox"
                    checked={saving?.id === category.id ? saving.on : category.on}
                    disabled={saving !== null}
                    onChange={(e) => void save(category.id, e.target.checked)}
                    aria-describedby={`mail-pref-${category.id}-about`}
                    data-testid={`mail-pref-${category.id}`}
                  />
                  {category.label}
                </label>
                <p id={`mail-pref-${category.id}-about`} className="pl-6 text-sm text-slate-600">
                  {category.description}
                </p>
              </li>
            ))}
          </ul>
          {error && (
            <Notice kind="error" testId="account-error">
              {error}
            </Notice>
          )}
          <p className="text-xs text-slate-600" data-testid="mail-always-sent">
            {preferences.alwaysSent}
          </p>
        </div>
      )}
    </Card>
  );
}
