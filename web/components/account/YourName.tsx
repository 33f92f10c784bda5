"use client";

import { useState, type FormEvent } from "react";
import { api, failureText } from "@/lib/api";
import { renameSession } from "@/lib/session";
import type { Me, Session } from "@/lib/types";
import { Button, Card, Field, Notice, inputClass } from "../ui";

/** The name riders and drivers are shown to each other (first name) and on receipts. */
export function YourName({ session, me, onSaved }: { session: Session; me: Me; onSaved: (me: Me) => void }) {
  const [name, setName] = useState(me.name);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const updated = await api.updateName(session, name.trim());
      await renameSession(session.userId, updated.name);
      onSaved(updated);
      setName(updated.name);
      setSaved(true);
    } catch (e) {
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="Your name" testId="account-name-section">
      <form className="flex flex-col gap-3" onSubmit={save}>
        <Field label="Name">
          <input
            className={inputClass}
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setSaved(false);
            }}
            required
            maxLength={80}
            autoComplete="name"
            data-testid="account-name"
          />
        </Field>
        {saved && (
          <Notice kind="success" testId="account-name-saved">
            Your name was saved.
          </Notice>
        )}
        {error && (
          <Notice kind="error" testId="account-error">
            {error}
          </Notice>
        )}
        <div>
          <Button type="submit" disabled={busy || !name.trim()} data-testid="account-name-save">
            Save
          </Button>
        </div>
      </form>
    </Card>
  );
}
