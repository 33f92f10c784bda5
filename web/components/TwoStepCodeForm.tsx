"use client";

import { useState, type FormEvent } from "react";
import { ApiError, api, failureText } from "@/lib/api";
import { rememberBrowser } from "@/lib/rememberedBrowser";
import type { TokenPair, TwoStepChallenge } from "@/lib/types";
import { Button, Field, Notice, inputClass } from "./ui";

/**
 * The second step of signing in when 2-step verification is on (ADR 0052): the code the authenticator app shows, or a
 * recovery code for a lost phone. A sign-in that expired (five wrong codes, five minutes), or whose account had 2-step
 * verification turned off meanwhile (support, for a lost phone), goes back to the password. "Don't ask again on this
 * browser" (for as many days as the gateway says) keeps the token the gateway answers under <email>, for the next sign-ins here.
 */
export function TwoStepCodeForm({ challenge, email, intro, onSignedIn, onRestart }: {
  challenge: TwoStepChallenge;
  email: string;
  intro?: string;
  onSignedIn: (pair: TokenPair) => void;
  onRestart: (why: string) => void;
}) {
  const [code, setCode] = useState("");
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const pair = await api.signInTwoStep(challenge.challenge, code.trim(), remember);
      if (pair.trustedDevice) rememberBrowser(email, pair.trustedDevice);
      onSignedIn(pair);
    } catch (e) {
      if (e instanceof ApiError && (e.type.endsWith("/two-step-expired") || e.type.endsWith("/two-step-turned-off"))) {
        onRestart(e.message);
        return;
      }
      setCode("");
      setError(failureText(e));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-3" data-testid="two-step-form">
      <p className="text-sm text-slate-700">{intro ?? "2-step verification is on for this account."} Enter the 6-digit code your authenticator app shows for UberClone.</p>
      <Field label="Code">
        <input
          name="code"
          required
          maxLength={20}
          autoComplete="one-time-code"
          inputMode="text"
          autoFocus
          className={inputClass}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          data-testid="two-step-code"
        />
      </Field>
      <p className="text-xs text-slate-600">Lost your phone? Type one of your recovery codes instead (each works once).</p>
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} data-testid="two-step-remember" />
        Don&apos;t ask again on this browser{challenge.rememberDays !== null && ` for ${challenge.rememberDays} ${challenge.rememberDays === 1 ? "day" : "days"}`}
      </label>
      {error && (
        <Notice kind="error" testId="two-step-error">
          {error}
        </Notice>
      )}
      <Button type="submit" disabled={busy || !code.trim()} data-testid="two-step-submit">
        Verify
      </Button>
    </form>
  );
}
