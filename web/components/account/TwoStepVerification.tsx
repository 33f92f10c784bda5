"use client";

import { useState, type FormEvent } from "react";
import { api, failureText } from "@/lib/api";
import { useLoad } from "@/lib/useLoad";
import type { Session, TwoStepSetup } from "@/lib/types";
import { Button, Card, Field, Notice, PasswordInput, inputClass } from "../ui";

/**
 * 2-step verification (ADR 0052): on, signing in asks for the password and then the code an authenticator app shows.
 * Turning it on: the password again, the secret for the app (typed, or the otpauth:// link opened on the phone), the
 * app's first code; then ten recovery codes, shown this once. Turning it off: the password and a code.
 */
export function TwoStepVerification({ session }: { session: Session }) {
  const { data: status, setData: setStatus, error: loadError } = useLoad(() => api.twoStep(session), [session], "Could not load 2-step verification.");
  const [step, setStep] = useState<"idle" | "password" | "code" | "off">("idle");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [setup, setSetup] = useState<TwoStepSetup | null>(null);
  const [recovery, setRecovery] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [turnedOff, setTurnedOff] = useState(false);

  async function run(act: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await act();
    } catch (e) {
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  const setUp = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void run(async () => {
      setSetup(await api.setUpTwoStep(session, password));
      setPassword("");
      setStep("code");
    });
  };

  const enable = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void run(async () => {
      setRecovery(await api.enableTwoStep(session, code.trim()));
      setCode("");
      setSetup(null);
      setStep("idle");
      setTurnedOff(false);
      setStatus(await api.twoStep(session));
    });
  };

  const disable = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void run(async () => {
      await api.disableTwoStep(session, password, code.trim());
      setPassword("");
      setCode("");
      setStep("idle");
      setRecovery(null);
      setTurnedOff(true);
      setStatus(await api.twoStep(session));
    });
  };

  const cancel = () => {
    setStep("idle");
    setPassword("");
    setCode("");
    setSetup(null);
    setError(null);
  };

  return (
    <Card title="2-step verification" testId="two-step-section">
      <p className="text-sm text-slate-700">
        Signing in asks for your password and then a code from an authenticator app on your phone, so a stolen password is not enough.
      </p>
      {loadError && <Notice kind="error">{loadError}</Notice>}
      {status && (
        <p className="mt-2 text-sm font-medium" data-testid="two-step-status">
          {status.enabled
            ? `On since ${new Date(status.enabledAt!).toLocaleDateString(undefined, { day: "numeric", month: "long", year: "numeric" })} · ${status.recoveryCodesLeft} recovery codes left`
            : "Off"}
        </p>
      )}
      {turnedOff && (
        <Notice kind="success" testId="two-step-off">
          2-step verification is off: signing in asks for your password only.
        </Notice>
      )}
      {recovery && (
        <div className="mt-3 rounded border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="two-step-recovery">
          <p className="font-medium">2-step verification is on. Keep these recovery codes somewhere safe: each signs in once without your phone. They are not shown again.</p>
          <ul className="mt-2 grid grid-cols-2 gap-1 font-mono" data-testid="two-step-recovery-codes">
            {recovery.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </div>
      )}
      {step === "idle" && status && (
        <div className="mt-3">
          {status.enabled ? (
            <Button variant="secondary" onClick={() => setStep("off")} data-testid="two-step-turn-off">
              Turn off
            </Button>
          ) : (
            <Button onClick={() => setStep("password")} data-testid="two-step-turn-on">
              Turn on
            </Button>
          )}
        </div>
      )}
      {step === "password" && (
        <form className="mt-3 flex flex-col gap-3" onSubmit={setUp}>
          <Field label="Your password">
            <PasswordInput value={password} onChange={setPassword} testId="two-step-password" kind="current" />
          </Field>
          <FormActions submit="Continue" testId="two-step-continue" disabled={busy || !password} onCancel={cancel} />
        </form>
      )}
      {step === "code" && setup && (
        <form className="mt-3 flex flex-col gap-3" onSubmit={enable}>
          <p className="text-sm text-slate-700">
            In your authenticator app (Google Authenticator, 1Password, Authy…), add an account with this key, or{" "}
            <a href={setup.setupUri} className="text-blue-700 underline" data-testid="two-step-link">
              open this link on your phone
            </a>
            :
          </p>
          <p className="font-mono text-sm tracking-wide" data-testid="two-step-secret">
            {setup.secret}
          </p>
          <Field label="The 6-digit code the app shows">
            <input
              className={inputClass}
              value={code}
              onChange={(e) => setCode(e.target.value)}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              data-testid="two-step-setup-code"
            />
          </Field>
          <FormActions submit="Turn on" testId="two-step-enable" disabled={busy || code.trim().length !== 6} onCancel={cancel} />
        </form>
      )}
      {step === "off" && (
        <form className="mt-3 flex flex-col gap-3" onSubmit={disable}>
          <Field label="Your password">
            <PasswordInput value={password} onChange={setPassword} testId="two-step-off-password" kind="current" />
          </Field>
          <Field label="A code from the app (or a recovery code)">
            <input className={inputClass} value={code} onChange={(e) => setCode(e.target.value)} maxLength={20} autoComplete="one-time-code" data-testid="two-step-off-code" />
          </Field>
          <FormActions submit="Turn off" testId="two-step-disable" disabled={busy || !password || !code.trim()} onCancel={cancel} />
        </form>
      )}
      {error && (
        <Notice kind="error" testId="two-step-error">
          {error}
        </Notice>
      )}
    </Card>
  );
}

/** A step's buttons: the step's own (submitting its form) and Cancel, which goes back to where it started. */
function FormActions({ submit, testId, disabled, onCancel }: { submit: string; testId: string; disabled: boolean; onCancel: () => void }) {
  return (
    <div className="flex gap-2">
      <Button type="submit" disabled={disabled} data-testid={testId}>
        {submit}
      </Button>
      <Button type="button" variant="secondary" onClick={onCancel}>
        Cancel
      </Button>
    </div>
  );
}
