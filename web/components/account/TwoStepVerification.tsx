"use client";

import { useState, type FormEvent } from "react";
import { api, failureText } from "@/lib/api";
import { useLoad } from "@/lib/useLoad";
import type { Session, TwoStepSetup } from "@/lib/types";
import { Button, Card, Field, Notice, PasswordInput, inputClass } from "../ui";

/**
 * 2-step verification (ADR 0052): on, signing in asks for the password and then the code an authenticator app shows.
 * Turning it on: the password again, the secret for the app (typed, or the otpauth:// link opened on the phone), the
 * app's first code; then ten recovery codes, shown this once. Turning it off: the password and a code. New recovery
 * codes (the password and a code) replace those left, shown once too; browsers remembered at sign-in ("Don't ask again
 * on this browser") can all be forgotten. A support account must keep it on (`required`): turning it off signs it out on
 * every device, this one too, and the next sign-in reaches only setting it up again (with a new phone, say).
 */
export function TwoStepVerification({ session, onSignedOut }: { session: Session; onSignedOut: () => void }) {
  const { data: status, setData: setStatus, error: loadError } = useLoad(() => api.twoStep(session), [session], "Could not load 2-step verification.");
  const [step, setStep] = useState<"idle" | "password" | "code" | "off" | "codes">("idle");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [setup, setSetup] = useState<TwoStepSetup | null>(null);
  /** Recovery codes to show this once: when it was turned on, or new ones made. */
  const [recovery, setRecovery] = useState<{ codes: string[]; renewed: boolean } | null>(null);
  const [copied, setCopied] = useState(false);
  const [forgotten, setForgotten] = useState(false);
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
      setRecovery({ codes: await api.enableTwoStep(session, code.trim()), renewed: false });
      setCopied(false);
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
      if (status?.required) return onSignedOut();
      setPassword("");
      setCode("");
      setStep("idle");
      setRecovery(null);
      setTurnedOff(true);
      setStatus(await api.twoStep(session));
    });
  };

  const renewCodes = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void run(async () => {
      setRecovery({ codes: await api.newRecoveryCodes(session, password, code.trim()), renewed: true });
      setCopied(false);
      setPassword("");
      setCode("");
      setStep("idle");
      setStatus(await api.twoStep(session));
    });
  };

  const forgetBrowsers = () =>
    void run(async () => {
      setStatus(await api.forgetRememberedBrowsers(session));
      setForgotten(true);
    });

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(recovery!.codes.join("\n"));
      setCopied(true);
    } catch {
      setError("Could not copy: select the codes and copy them by hand.");
    }
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
            ? `On since ${new Date(status.enabledAt!).toLocaleDateString(undefined, { day: "numeric", month: "long", year: "numeric" })} · ${status.recoveryCodesLeft} recovery ${status.recoveryCodesLeft === 1 ? "code" : "codes"} left`
            : "Off"}
        </p>
      )}
      {status?.enabled && (
        <p className="text-sm text-slate-700" data-testid="two-step-remembered">
          {status.rememberedBrowsers === 0
            ? "Every browser asks for the code."
            : `${status.rememberedBrowsers} ${status.rememberedBrowsers === 1 ? "browser skips" : "browsers skip"} the code (remembered at sign-in for ${status.rememberDays} ${status.rememberDays === 1 ? "day" : "days"}).`}
        </p>
      )}
      {forgotten && (
        <Notice kind="success" testId="two-step-forgotten">
          Remembered browsers forgotten: each asks for the code at its next sign-in.
        </Notice>
      )}
      {turnedOff && (
        <Notice kind="success" testId="two-step-off">
          2-step verification is off: signing in asks for your password only.
        </Notice>
      )}
      {recovery && (
        <div className="mt-3 rounded border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="two-step-recovery">
          <p className="font-medium">
            {recovery.renewed ? "Your new recovery codes: the ones before no longer work." : "2-step verification is on."} Keep these recovery codes somewhere safe:
            each signs in once without your phone. They are not shown again.
          </p>
          <ul className="mt-2 grid grid-cols-2 gap-1 font-mono" data-testid="two-step-recovery-codes">
            {recovery.codes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
          <Button variant="secondary" className="mt-2" onClick={() => void copy()} data-testid="two-step-recovery-copy">
            {copied ? "Copied" : "Copy codes"}
          </Button>
        </div>
      )}
      {step === "idle" && status && (
        <div className="mt-3">
          {status.enabled ? (
            <div className="flex flex-wrap gap-2">
              <Button
                variant="secondary"
                onClick={() => {
                  setRecovery(null);
                  setStep("codes");
                }}
                data-testid="two-step-new-codes"
              >
                New recovery codes
              </Button>
              {status.rememberedBrowsers > 0 && (
                <Button variant="secondary" onClick={forgetBrowsers} disabled={busy} data-testid="two-step-forget-browsers">
                  Forget remembered browsers
                </Button>
              )}
              <Button variant="secondary" onClick={() => setStep("off")} data-testid="two-step-turn-off">
                Turn off
              </Button>
            </div>
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
          {status?.required && (
            <Notice kind="info" testId="two-step-off-signs-out">
              Support accounts must use 2-step verification: turning it off signs you out on every device, this one too. Sign in again with your password
              and set it up (on a new phone, say) before you use the desk again.
            </Notice>
          )}
          <OwnerProof password={password} setPassword={setPassword} code={code} setCode={setCode} testIds="two-step-off" />
          <FormActions submit="Turn off" testId="two-step-disable" disabled={busy || !password || !code.trim()} onCancel={cancel} />
        </form>
      )}
      {step === "codes" && (
        <form className="mt-3 flex flex-col gap-3" onSubmit={renewCodes}>
          <p className="text-sm text-slate-700">Ten new recovery codes replace the ones you have left, which stop working.</p>
          <OwnerProof password={password} setPassword={setPassword} code={code} setCode={setCode} testIds="two-step-codes" />
          <FormActions submit="Make new codes" testId="two-step-codes-make" disabled={busy || !password || !code.trim()} onCancel={cancel} />
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

/** What proves the owner asks (turning 2-step off, new recovery codes): the password again, and the app's code or a recovery code. */
function OwnerProof(props: { password: string; setPassword: (v: string) => void; code: string; setCode: (v: string) => void; testIds: string }) {
  return (
    <>
      <Field label="Your password">
        <PasswordInput value={props.password} onChange={props.setPassword} testId={`${props.testIds}-password`} kind="current" />
      </Field>
      <Field label="A code from the app (or a recovery code)">
        <input
          className={inputClass}
          value={props.code}
          onChange={(e) => props.setCode(e.target.value)}
          maxLength={20}
          autoComplete="one-time-code"
          data-testid={`${props.testIds}-code`}
        />
      </Field>
    </>
  );
}
