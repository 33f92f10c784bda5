"use client";

import { useState, type FormEvent } from "react";
import { api, ApiError, failureText } from "@/lib/api";
import type { EmailCodeRequested, Me, Session } from "@/lib/types";
import { Button, CodeInput, Field, Notice, inputClass, PasswordInput } from "../ui";

/**
 * A rider or driver moves the account to a new email: the password again, then the six-digit code mailed to the new
 * address. The account keeps its email until the code is typed; then it signs in with the new one (confirmed), and the
 * old address is told.
 */
export function ChangeEmail({ session, email, onChanged }: { session: Session; email: string; onChanged: (me: Me) => void }) {
  const [open, setOpen] = useState(false);
  const [newEmail, setNewEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  // The gateway's answer to "Mail a code to the new address": the code field shows once there is one.
  const [requested, setRequested] = useState<EmailCodeRequested | null>(null);
  const [changedTo, setChangedTo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function clear() {
    setNewEmail("");
    setPassword("");
    setCode("");
    setRequested(null);
    setError(null);
  }

  function start() {
    clear();
    setChangedTo(null);
    setOpen(true);
  }

  function cancel() {
    clear();
    setOpen(false);
  }

  async function mailCode() {
    setBusy(true);
    setError(null);
    try {
      setRequested(await api.requestEmailChange(session, newEmail.trim(), password));
      setCode("");
    } catch (e) {
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      const me = await api.confirmEmailChange(session, code);
      onChanged(me);
      clear();
      setOpen(false);
      setChangedTo(me.email);
    } catch (e) {
      // A refused code is typed again; an address another account took meanwhile needs another address (and a new code).
      if (e instanceof ApiError && e.status === 400) setCode("");
      if (e instanceof ApiError && e.status === 409) setRequested(null);
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void (requested ? confirm() : mailCode());
  }

  if (!open) {
    return (
      <div className="flex flex-col items-start gap-3">
        {changedTo && (
          <Notice kind="success" testId="account-email-changed">
            Your email is now <span className="break-all">{changedTo}</span>.
          </Notice>
        )}
        <Button type="button" variant="secondary" onClick={start} data-testid="account-email-change">
          Change email
        </Button>
      </div>
    );
  }
  return (
    <form className="flex flex-col gap-3" onSubmit={submit} data-testid="account-email-change-form">
      <p className="text-sm text-slate-700">
        We mail a code to the new address; your email stays <span className="break-all font-medium">{email}</span> until you type it here.
      </p>
      <Field label="New email">
        <input
          type="email"
          className={inputClass}
          value={newEmail}
          onChange={(e) => {
            setNewEmail(e.target.value);
            // A code mailed to the address as it was does not move the account to this one: ask again.
            if (requested) {
              setRequested(null);
              setCode("");
            }
          }}
          required
          maxLength={200}
          autoComplete="email"
          autoFocus
          data-testid="account-email-change-new"
        />
      </Field>
      <Field label="Your account's password">
        <PasswordInput value={password} onChange={setPassword} testId="account-email-change-password" kind="current" />
      </Field>
      <div>
        {/* Once a code was mailed, Enter confirms it; this button mails another (to a corrected address, or one that did not arrive). */}
        <Button
          type={requested ? "button" : "submit"}
          variant={requested ? "secondary" : "primary"}
          disabled={busy || !newEmail.trim() || !password}
          onClick={requested ? () => void mailCode() : undefined}
          data-testid="account-email-change-send"
        >
          Mail a code to the new address
        </Button>
      </div>
      {requested && (
        <>
          <Notice kind={requested.mailed ? "success" : "info"} testId="account-email-change-sent">
            {requested.message}
          </Notice>
          <Field label="Code from the new address">
            <CodeInput value={code} onChange={setCode} testId="account-email-change-code" autoFocus />
          </Field>
        </>
      )}
      {error && (
        <Notice kind="error" testId="account-email-change-error">
          {error}
        </Notice>
      )}
      <div className="flex flex-wrap items-center gap-3">
        {requested && (
          <Button type="submit" disabled={busy || code.length !== 6} data-testid="account-email-change-confirm">
            Confirm new email
          </Button>
        )}
        <Button type="button" variant="secondary" disabled={busy} onClick={cancel} data-testid="account-email-change-cancel">
          Cancel
        </Button>
      </div>
    </form>
  );
}
