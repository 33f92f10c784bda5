"use client";

import { useState, type FormEvent } from "react";
import { api, failureText } from "@/lib/api";
import type { OpsUser, Session } from "@/lib/types";
import { Button, Card, Field, Notice, inputClass } from "../ui";

/** A colleague's own support account, so every refund names who made it (nobody can sign up as support). */
export function OpsAddColleague({ session }: { session: Session }) {
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<OpsUser | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setAdded(null);
    try {
      setAdded(await api.addOperator(session, { email: email.trim(), name: name.trim(), password }));
      setEmail("");
      setName("");
      setPassword("");
    } catch (e) {
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="Add a colleague" testId="ops-add-colleague">
      <form onSubmit={submit} className="grid gap-2 sm:grid-cols-3">
        <Field label="Email">
          <input className={inputClass} type="email" value={email} onChange={(e) => setEmail(e.target.value)} required maxLength={254} autoComplete="off" />
        </Field>
        <Field label="Name">
          <input className={inputClass} value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} autoComplete="off" />
        </Field>
        <Field label="Password (8–128 characters)">
          <input className={inputClass} type="password" value={password} onChange={(e) => setPassword(e.target.value)} required minLength={8} maxLength={128} autoComplete="new-password" />
        </Field>
        <div className="sm:col-span-3 flex flex-col gap-2">
          {error && <Notice kind="error">{error}</Notice>}
          {added && (
            <Notice kind="success" testId="ops-colleague-added">
              {added.name} ({added.email}) can now sign in to the support desk.
            </Notice>
          )}
          <div>
            <Button type="submit" disabled={busy}>
              Add to the support desk
            </Button>
          </div>
        </div>
      </form>
    </Card>
  );
}
