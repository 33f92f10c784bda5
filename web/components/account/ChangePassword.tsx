"use client";

import { useState, type FormEvent } from "react";
import { api, failureText } from "@/lib/api";
import { loadSession, saveSession, sessionFrom } from "@/lib/session";
import type { Session } from "@/lib/types";
import { Button, Card, Field, Notice, PasswordInput } from "../ui";

/** A new password; every other device is signed out (someone who knew the old one is locked out at once). */
export function ChangePassword({ session }: { session: Session }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [busy, setBusy] = useState(false);
  const [changed, setChanged] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function change(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setChanged(false);
    try {
      const pair = await api.changePassword(session, current, next);
      // The gateway ended this device's session too: the pair it answered is the only one that still works.
      saveSession(sessionFrom(pair, loadSession() ?? session));
      setCurrent("");
      setNext("");
      setChanged(true);
    } catch (e) {
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="Change password" testId="account-password-section">
      <form className="flex flex-col gap-3" onSubmit={change}>
        <Field label="Current password">
          <PasswordInput value={current} onChange={setCurrent} testId="account-current-password" kind="current" />
        </Field>
        <Field label="New password (8 to 128 characters)">
          <PasswordInput value={next} onChange={setNext} testId="account-new-password" kind="new" />
        </Field>
        {changed && (
          <Notice kind="success" testId="account-password-changed">
            Password changed. You were signed out on every other device.
          </Notice>
        )}
        {error && (
          <Notice kind="error" testId="account-error">
            {error}
          </Notice>
        )}
        <div>
          <Button type="submit" disabled={busy || !current || !next} data-testid="account-password-save">
            Change password
          </Button>
        </div>
      </form>
    </Card>
  );
}
