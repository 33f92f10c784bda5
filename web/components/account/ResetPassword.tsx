"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { api, ApiError, failureText, twoStepChallenge } from "@/lib/api";
import { saveSession, sessionFrom } from "@/lib/session";
import type { TokenPair, TwoStepChallenge } from "@/lib/types";
import { homeOf } from "@/lib/useSession";
import { TwoStepCodeForm } from "../TwoStepCodeForm";
import { Button, CodeInput, Card, Field, Notice, inputClass, PasswordInput } from "../ui";

/**
 * "Forgot your password?": a six-digit code mailed to the account's email, then the code and a new password, which sign
 * in here and end every other session of the account (whoever knew the old password is locked out).
 */
export function ResetPassword() {
  const router = useRouter();
  const [email, setEmail] = useState("");
  // The gateway's answer to asking for a code (the same whether or not an account has the email); null: not asked yet.
  const [sent, setSent] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The new password is set, and 2-step verification is on: the app's code signs in (ADR 0052). */
  const [challenge, setChallenge] = useState<TwoStepChallenge | null>(null);

  useEffect(() => {
    // The email typed on the sign-in form, carried here by its "Forgot your password?" link.
    setEmail(new URLSearchParams(window.location.search).get("email") ?? "");
  }, []);

  async function askForCode() {
    setBusy(true);
    setError(null);
    try {
      const answer = await api.requestPasswordReset(email.trim());
      setSent(answer.message);
      setCode("");
    } catch (e) {
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void askForCode();
  }

  async function confirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      signedIn(await api.confirmPasswordReset(email.trim(), code, newPassword));
    } catch (e) {
      // The new password is set; with 2-step verification on, the app's code still signs in (ADR 0052).
      const asked = twoStepChallenge(e);
      if (asked) {
        setChallenge(asked);
        setBusy(false);
        return;
      }
      if (e instanceof ApiError && e.type.endsWith("/reset-code-refused")) setCode("");
      setError(failureText(e));
      setBusy(false);
    }
  }

  function signedIn(pair: TokenPair) {
    saveSession(sessionFrom(pair));
    router.replace(pair.restored ? `${homeOf(pair.role)}?restored=1` : homeOf(pair.role));
  }

  function changeEmail() {
    setSent(null);
    setCode("");
    setError(null);
  }

  if (challenge) {
    return (
      <Card title="Reset your password" testId="reset-password">
        <TwoStepCodeForm
          challenge={challenge}
          email={email.trim()}
          intro="Your new password is set, and every device was signed out. 2-step verification is on for this account."
          onSignedIn={signedIn}
          onRestart={() => router.replace("/")}
        />
      </Card>
    );
  }

  return (
    <Card title="Reset your password" testId="reset-password">
      {sent === null ? (
        <form className="flex flex-col gap-3" onSubmit={send}>
          <p className="text-sm text-slate-700">We will mail a six-digit code to the email you signed up with.</p>
          <Field label="Email">
            <input
              type="email"
              className={inputClass}
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              required
              maxLength={200}
              autoComplete="email"
              data-testid="reset-email"
            />
          </Field>
          {error && (
            <Notice kind="error" testId="reset-error">
              {error}
            </Notice>
          )}
          <div>
            <Button type="submit" disabled={busy || !email.trim()} data-testid="reset-send">
              Send me a code
            </Button>
          </div>
        </form>
      ) : (
        <form className="flex flex-col gap-3" onSubmit={confirm}>
          <Notice kind="success" testId="reset-sent">
            {sent}
          </Notice>
          {/* The gateway mails at most one code a minute: a code asked for again sooner is the one already sent. */}
          <p className="text-sm text-slate-600">No mail? Check your spam folder. A new code can be sent once a minute; until then the last one works.</p>
          <p className="flex flex-wrap items-center gap-x-2 text-sm text-slate-700">
            <span className="break-all">{email.trim()}</span>
            <button type="button" className="text-blue-700 underline" onClick={changeEmail} data-testid="reset-other-email">
              Use another email
            </button>
          </p>
          {/* Tells a password manager which account the new password is for. */}
          <input type="email" value={email.trim()} readOnly hidden autoComplete="username" />
          <Field label="Code">
            <CodeInput value={code} onChange={setCode} testId="reset-code" />
          </Field>
          <Field label="New password (8 to 128 characters)">
            <PasswordInput value={newPassword} onChange={setNewPassword} testId="reset-new-password" kind="new" />
          </Field>
          {error && (
            <Notice kind="error" testId="reset-error">
              {error}
            </Notice>
          )}
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" disabled={busy || code.length !== 6 || !newPassword} data-testid="reset-confirm">
              Set the new password
            </Button>
            <Button type="button" variant="secondary" disabled={busy} onClick={() => void askForCode()} data-testid="reset-resend">
              Send a new code
            </Button>
          </div>
        </form>
      )}
      <div className="mt-4">
        <Link href="/" className="text-sm text-blue-700 underline" data-testid="reset-back">
          Back to sign in
        </Link>
      </div>
    </Card>
  );
}
