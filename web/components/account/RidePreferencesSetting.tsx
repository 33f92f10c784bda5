"use client";

import { useState } from "react";
import { api, failureText } from "@/lib/api";
import { fullPreferences } from "@/lib/preferences";
import type { Conversation, RidePreferences, Session, TemperaturePreference } from "@/lib/types";
import { useLoad } from "@/lib/useLoad";
import { Card, Notice } from "../ui";

const conversations: { value: Conversation; label: string }[] = [
  { value: "none", label: "No preference" },
  { value: "quiet", label: "Quiet preferred" },
  { value: "chat", label: "Happy to chat" },
];

const temperatures: { value: TemperaturePreference; label: string }[] = [
  { value: "none", label: "No preference" },
  { value: "cooler", label: "Cooler" },
  { value: "warmer", label: "Warmer" },
];

/**
 * "Ride preferences" (ADR 0049): conversation, help with bags, temperature. Saved as they are chosen; each ride booked
 * from then on takes them (the driver sees them on the offer), rides already booked keep theirs.
 */
export function RidePreferencesSetting({ session }: { session: Session }) {
  const { data, setData, error: loadError } = useLoad(() => api.ridePreferences(session), [session], "Could not load your ride preferences.");
  // What is being saved shows at once, as the rider chose it; the answer replaces it.
  const [saving, setSaving] = useState<Required<RidePreferences> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const preferences = saving ?? (data ? fullPreferences(data) : null);

  async function save(change: Partial<RidePreferences>) {
    if (!preferences) return;
    const next = { ...preferences, ...change };
    setSaving(next);
    setError(null);
    try {
      setData(await api.setRidePreferences(session, next));
    } catch (e) {
      setError(failureText(e));
    } finally {
      setSaving(null);
    }
  }

  return (
    <Card title="Ride preferences" testId="prefs-settings">
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
          <p className="text-sm text-slate-600">Your driver sees these with each ride you book. They are wishes: any driver may take your ride.</p>
          <fieldset className="flex flex-wrap gap-x-4 gap-y-1" disabled={saving !== null}>
            <legend className="mb-1 text-sm font-medium">Conversation</legend>
            {conversations.map((choice) => (
              <label key={choice.value} className="flex items-center gap-2 text-sm">
                <input
                  type="radio"
                  name="prefs-conversation"
                  checked={preferences.conversation === choice.value}
                  onChange={() => void save({ conversation: choice.value })}
                  data-testid={`prefs-conversation-${choice.value}`}
                />
                {choice.label}
              </label>
            ))}
          </fieldset>
          <label className="flex items-center gap-2 text-sm font-medium">
            <input
              type="checkbox"
              checked={preferences.helpWithBags}
              disabled={saving !== null}
              onChange={(e) => void save({ helpWithBags: e.target.checked })}
              data-testid="prefs-help-with-bags"
            />
            Help with bags
          </label>
          <fieldset className="flex flex-wrap gap-x-4 gap-y-1" disabled={saving !== null}>
            <legend className="mb-1 text-sm font-medium">Temperature</legend>
            {temperatures.map((choice) => (
              <label key={choice.value} className="flex items-center gap-2 text-sm">
                <input
                  type="radio"
                  name="prefs-temperature"
                  checked={preferences.temperature === choice.value}
                  onChange={() => void save({ temperature: choice.value })}
                  data-testid={`prefs-temperature-${choice.value}`}
                />
                {choice.label}
              </label>
            ))}
          </fieldset>
          {saving && <p className="text-xs text-slate-600" data-testid="prefs-saving">Saving…</p>}
          {error && (
            <Notice kind="error" testId="account-error">
              {error}
            </Notice>
          )}
        </div>
      )}
    </Card>
  );
}
