"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { api, browserTimeZone, failureText, twoStepChallenge } from "@/lib/api";
import { forgetBrowser, rememberedBrowser } from "@/lib/rememberedBrowser";
import { saveSession, sessionFrom } from "@/lib/session";
import { homeOf } from "@/lib/useSession";
import type { SignUpRole, TokenPair, TwoStepChallenge, VehicleClass } from "@/lib/types";
import { TwoStepCodeForm } from "./TwoStepCodeForm";
import { Button, Card, ClassOptions, Field, Notice, inputClass } from "./ui";

export function AuthForm() {
  const router = useRouter();
  const [mode, setMode] = useState<"signin" | "signup">("signup");
  const [role, setRole] = useState<SignUpRole>("rider");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Until the page's script runs, the form is the server's HTML: submitting it would be the browser's own GET, with the
  // password in the address (history, logs). The button waits for the script (and Enter with it disabled sends nothing),
  // and so do the tabs and the role: a choice clicked before it runs would be undone when the page hydrates.
  const [ready, setReady] = useState(false);
  const [arrival, setArrival] = useState<"ended" | "deleted" | null>(null);
  /** When the account just asked to be deleted will be erased (from the account page's redirect). */
  const [eraseAt, setEraseAt] = useState<Date | null>(null);
  // Only to carry it to the reset page: the form itself is read when submitted.
  const [typedEmail, setTypedEmail] = useState("");
  /** The password was right and 2-step verification is on (ADR 0052): the app's code is asked next. */
  const [challenge, setChallenge] = useState<TwoStepChallenge | null>(null);
  /** Whose sign-in asks for the code: "Don't ask again on this browser" keeps its token under this email. */
  const [signingIn, setSigningIn] = useState("");

  useEffect(() => {
    setReady(true);
    const query = new URLSearchParams(window.location.search);
    // Sent here because the session could no longer be renewed (see lib/session.ts): say so, and offer to sign in.
    if (query.get("ended") !== null) {
      setArrival("ended");
      setMode("signin");
    } else if (query.get("deleted") !== null) {
      // Sent here by the account page, once the gateway took the request: the account is erased at that date.
      setArrival("deleted");
      const at = new Date(query.get("deleted") ?? "");
      if (!Number.isNaN(at.getTime())) setEraseAt(at);
      setMode("signin");
    }
  }, []);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? "").trim();
    setBusy(true);
    setError(null);
    const trusted = mode === "signin" ? rememberedBrowser(value("email")) : undefined;
    try {
      const pair =
        mode === "signin"
          ? await api.signIn(value("email"), value("password"), trusted)
          : await api.signUp({
              email: value("email"),
              password: value("password"),
              role,
              name: value("name"),
              vehicle:
                role === "driver"
                  ? { make: value("make"), model: value("model"), plate: value("plate"), colour: value("colour"), class: value("class") as VehicleClass }
                  : undefined,
              timeZone: browserTimeZone(),
            });
      signedIn(pair);
    } catch (e) {
      const asked = twoStepChallenge(e);
      if (asked) {
        // A remembered browser asked for the code again was forgotten at the gateway (or expired): so here too.
        if (trusted) forgetBrowser(value("email"));
        setSigningIn(value("email"));
        setChallenge(asked);
      } else setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  function signedIn(pair: TokenPair) {
    const session = sessionFrom(pair);
    saveSession(session);
    // Signed in on this device: mails give times in its time zone from now on (best effort; it changes nothing else).
    const zone = browserTimeZone();
    if (mode === "signin" && zone) void api.updateTimeZone(session, zone).catch(() => {});
    // Signing in called off a deletion: home says so once.
    router.push(pair.restored ? `${homeOf(session.role)}?restored=1` : homeOf(session.role));
  }

  if (challenge) {
    return (
      <Card title="2-step verification">
        <TwoStepCodeForm
          challenge={challenge}
          email={signingIn}
          onSignedIn={signedIn}
          onRestart={(why) => {
            setChallenge(null);
            setError(why);
          }}
        />
        <button type="button" className="mt-3 text-sm text-blue-700 underline" onClick={() => setChallenge(null)} data-testid="two-step-back">
          Back to sign in
        </button>
      </Card>
    );
  }

  return (
    <Card>
      <div role="tablist" aria-label="Sign in or sign up" className="mb-4 flex gap-2">
        <Button type="button" role="tab" aria-selected={mode === "signup"} variant={mode === "signup" ? "primary" : "secondary"} disabled={!ready} onClick={() => setMode("signup")}>
          Sign up
        </Button>
        <Button type="button" role="tab" aria-selected={mode === "signin"} variant={mode === "signin" ? "primary" : "secondary"} disabled={!ready} onClick={() => setMode("signin")}>
          Sign in
        </Button>
      </div>
      {arrival && !error && (
        <div className="mb-3">
          {arrival === "ended" ? (
            <Notice>Your session has ended. Sign in again to continue.</Notice>
          ) : (
            <Notice testId="account-deleted">
              {eraseAt
                ? `Your account will be deleted on ${eraseAt.toLocaleDateString(undefined, { day: "numeric", month: "long", year: "numeric" })}. Every device was signed out. Sign in before then to keep it.`
                : "Your account will be deleted. Every device was signed out. Sign in before it is erased to keep it."}
            </Notice>
          )}
        </div>
      )}
      <form onSubmit={submit} method="post" className="flex flex-col gap-3">
        {mode === "signup" && (
          // Disabled until the script runs: a choice made on the server's HTML would be undone when the page hydrates.
          <fieldset className="flex gap-4" disabled={!ready}>
            <legend className="mb-1 text-sm font-medium">I want to</legend>
            {(["rider", "driver"] as const).map((r) => (
              <label key={r} className="flex items-center gap-1 text-sm">
                <input type="radio" name="role" value={r} checked={role === r} onChange={() => setRole(r)} />
                {r === "rider" ? "Ride" : "Drive"}
              </label>
            ))}
          </fieldset>
        )}
        {mode === "signup" && (
          <Field label="Name">
            <input name="name" required maxLength={80} autoComplete="name" className={inputClass} />
          </Field>
        )}
        <Field label="Email">
          <input name="email" type="email" required maxLength={200} autoComplete="email" className={inputClass} onChange={(e) => setTypedEmail(e.target.value.trim())} />
        </Field>
        <Field label="Password">
          <input name="password" type="password" required minLength={8} maxLength={200} autoComplete={mode === "signup" ? "new-password" : "current-password"} className={inputClass} />
        </Field>
        {mode === "signin" && (
          <Link
            href={typedEmail ? `/reset-password?email=${encodeURIComponent(typedEmail)}` : "/reset-password"}
            className="self-start text-sm text-blue-700 underline"
            data-testid="forgot-password"
          >
            Forgot your password?
          </Link>
        )}
        {mode === "signup" && role === "driver" && (
          <div className="grid grid-cols-2 gap-3">
            <Field label="Make">
              <input name="make" required maxLength={40} className={inputClass} />
            </Field>
            <Field label="Model">
              <input name="model" required maxLength={40} className={inputClass} />
            </Field>
            <Field label="Plate">
              <input name="plate" required maxLength={15} className={inputClass} />
            </Field>
            <Field label="Colour">
              <input name="colour" required maxLength={20} className={inputClass} />
            </Field>
            <Field label="Vehicle class">
              <select name="class" className={inputClass} defaultValue="economy">
                <ClassOptions />
              </select>
            </Field>
          </div>
        )}
        {error && <Notice kind="error">{error}</Notice>}
        <Button type="submit" disabled={busy || !ready}>
          {mode === "signup" ? "Create account" : "Sign in"}
        </Button>
      </form>
    </Card>
  );
}
