"use client";

import { useState } from "react";
import { api, browserTimeZone, failureText } from "@/lib/api";
import type { PinMode, Session } from "@/lib/types";
import { useLoad } from "@/lib/useLoad";
import { Card, Notice } from "../ui";

const choices: { mode: PinMode; label: string; about: string }[] = [
  { mode: "off", label: "Off", about: "Your driver starts the ride without a PIN." },
  { mode: "always", label: "Always", about: "Every ride: tell your driver the 4 digits your app shows before they start." },
  { mode: "night", label: "At night only", about: "Rides picking you up between 9 pm and 6 am, on this phone's clock." },
];

/**
 * "Verify my rides with a PIN" (ADR 0044): off, always, or at night only, in the phone's time zone. Saved as it is
 * chosen; rides already booked keep what they were booked with.
 */
export function PinVerification({ session }: { session: Session }) {
  const { data: setting, setData: setSetting, error: loadError } = useLoad(
    () => api.pinVerification(session),
    [session],
    "Could not load your PIN setting.",
  );
  const [saving, setSaving] = useState<PinMode | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function choose(mode: PinMode) {
    setSaving(mode);
    setError(null);
    try {
      setSetting(await api.setPinVerification(session, { mode, timeZone: browserTimeZone() ?? "UTC" }));
    } catch (e) {
      setError(failureText(e));
    } finally {
      setSaving(null);
    }
  }

  return (
    <Card title="Verify my rides with a PIN" testId="pin-verification">
      {!setting ? (
        loadError ? (
          <Notice kind="error" testId="account-error">
            {loadError}
          </Notice>
        ) : (
          <p className="text-sm text-slate-600">Loading…</p>
        )
      ) : (
        <fieldset className="flex flex-col gap-3" disabled={saving !== null}>
          <legend className="sr-only">Verify my rides with a PIN</legend>
          {choices.map((choice) => (
            <div key={choice.mode}>
              <label className="flex items-center gap-2 text-sm font-medium">
                <input
                  type="radio"
                  name="pin-mode"
                  checked={(saving ?? setting.mode) === choice.mode}
                  onChange={() => void choose(choice.mode)}
                  aria-describedby={`pin-mode-${choice.mode}-about`}
                  data-testid={`pin-mode-${choice.mode}`}
                />
                {choice.label}
              </label>
              <p id={`pin-mode-${choice.mode}-about`} className="pl-6 text-sm text-slate-600">
                {choice.about}
              </p>
            </div>
          ))}
          {setting.mode === "night" && setting.timeZone && (
            <p className="text-xs text-slate-600" data-testid="pin-time-zone">
              Night is 9 pm to 6 am in {setting.timeZone}.
            </p>
          )}
          {error && (
            <Notice kind="error" testId="account-error">
              {error}
            </Notice>
          )}
        </fieldset>
      )}
    </Card>
  );
}
