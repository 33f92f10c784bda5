"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { api, failureText } from "@/lib/api";
import { clearSession } from "@/lib/session";
import type { Session } from "@/lib/types";
import { useDeletionGrace } from "@/lib/useLoad";
import { Button, Card, Field, Notice, PasswordInput } from "../ui";

/** Deleting the account, with the password and a confirmation: what goes, what the law makes UberClone keep. */
export function DeleteAccount({ session }: { session: Session }) {
  const router = useRouter();
  const [password, setPassword] = useState("");
  const [understood, setUnderstood] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const grace = useDeletionGrace();

  async function remove(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    let eraseAt: string;
    try {
      eraseAt = (await api.deleteAccount(session, password)).eraseAt;
    } catch (e) {
      setError(failureText(e));
      setBusy(false);
      return;
    }
    // The gateway has revoked every token of the account: there is nothing to sign out of, only this device's copy.
    clearSession();
    router.replace(`/?deleted=${encodeURIComponent(eraseAt)}`);
  }

  return (
    <Card title="Delete account" testId="account-delete-section">
      <div className="flex flex-col gap-2 text-sm text-slate-700">
        <p>
          Deleting your account signs you out on every device at once and cancels rides you booked ahead. {grace ? `${grace} later` : "After a grace period"} your name, email, password,
          vehicle and saved places are erased; until then, signing in keeps your account as it is. Once it is erased you can sign up again with the
          same email, as a new account.
        </p>
        <p>
          Your trips, payments, messages and help requests are kept for as long as everyone&apos;s are, without your name or email: receipts, tax
          records and safety reports need them.
        </p>
        <p>A ride under way must be finished or cancelled first, and an unpaid trip paid.</p>
      </div>
      <form className="mt-3 flex flex-col gap-3" onSubmit={remove}>
        <Field label="Your password">
          <PasswordInput value={password} onChange={setPassword} testId="account-delete-password" kind="current" />
        </Field>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} data-testid="account-delete-confirm" />
          I understand that after {grace ?? "the grace period"} this cannot be undone
        </label>
        {error && (
          <Notice kind="error" testId="account-error">
            {error}
          </Notice>
        )}
        <div>
          <Button type="submit" variant="danger" disabled={busy || !password || !understood} data-testid="account-delete">
            Delete my account
          </Button>
        </div>
      </form>
    </Card>
  );
}
