"use client";

import { useState, type FormEvent } from "react";
import { api, ApiError, failureText } from "@/lib/api";
import type { Me, Session } from "@/lib/types";
import { Button, CodeInput, Card, Field, Notice } from "../ui";
import { ChangeEmail } from "./ChangeEmail";

/**
 * Confirming the email given at sign-up with the six-digit code mailed to it (a new one on request): receipts and ride
 * notices are mailed only to a confirmed address. Below it, a rider or driver moves the account to a new email (a
 * support account's email is its sign-in at the desk, and stays).
 */
export function ConfirmEmail({ session, me, onConfirmed }: { session: Session; me: Me; onConfirmed: (me: Me) => void }) {
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  // The gateway's answer to "Mail a new code" (whether it mailed one now or the last one still works).
  const [sent, setSent] = useState<{ message: string; mailed: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);

  /** 409: confirmed meanwhile (another tab, a password reset through a mailed code): the account as it is now. */
  async function alreadyConfirmed(e: unknown): Promise<boolean> {
    if (!(e instanceof ApiError && e.status === 409)) return false;
    try {
      onConfirmed(await api.me(session));
      return true;
    } catch {
      return false;
    }
  }

  async function confirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSent(null);
    try {
      onConfirmed(await api.verifyEmail(session, code));
      setCode("");
    } catch (e) {
      if (await alreadyConfirmed(e)) return;
      if (e instanceof ApiError && e.status === 400) setCode("");
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  async function mailNewCode() {
    setBusy(true);
    setError(null);
    setSent(null);
    try {
      const answer = await api.sendEmailCode(session);
      setSent({ message: answer.message, mailed: answer.mailed });
      setCode("");
    } catch (e) {
      if (await alreadyConfirmed(e)) return;
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  // A gateway that does not say whether the address is confirmed: nothing to show.
  if (me.emailVerified === undefined) return null;
  return (
    <Card title="Your email" testId="account-email-section">
      {me.emailVerified ? (
        <div className="flex flex-col gap-3">
          <p className="break-all text-sm text-slate-700">{me.email}</p>
          <Notice kind="success" testId="account-email-confirmed">
            Confirmed
          </Notice>
        </div>
      ) : (
        <form className="flex flex-col gap-3" onSubmit={confirm}>
          <p className="text-sm text-slate-700">
            <span className="break-all font-medium">{me.email}</span> is not confirmed yet. Receipts and ride notices are mailed only once it is: type the
            six-digit code we mailed to it.
          </p>
          <Field label="Code from the email">
            <CodeInput value={code} onChange={setCode} testId="account-email-code" />
          </Field>
          {sent && (
            <Notice kind={sent.mailed ? "success" : "info"} testId="account-email-code-sent">
              {sent.message}
            </Notice>
          )}
          {error && (
            <Notice kind="error" testId="account-error">
              {error}
            </Notice>
          )}
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" disabled={busy || code.length !== 6} data-testid="account-email-confirm">
              Confirm email
            </Button>
            <Button type="button" variant="secondary" disabled={busy} onClick={() => void mailNewCode()} data-testid="account-email-resend">
              Mail a new code
            </Button>
          </div>
        </form>
      )}
      {me.role !== "operator" && (
        <div className="mt-4 border-t border-slate-200 pt-4">
          <ChangeEmail session={session} email={me.email} onChanged={onConfirmed} />
        </div>
      )}
    </Card>
  );
}
