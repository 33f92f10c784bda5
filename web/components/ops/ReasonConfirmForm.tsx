"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import { failureText } from "@/lib/api";
import { Button, Field, Notice, inputClass } from "../ui";

/** What the form says: its field, its button, the question and the two answers. */
export interface ReasonConfirmWords {
  testId: string;
  label: string;
  button: string;
  ask: string;
  confirm: string;
  keep: string;
  missing: string;
}

/**
 * A desk action that needs a reason and a second click (cancelling a trip, ending a ride, waiving what a rider owes):
 * the reason field, the button, then the question (<paramref name="question"/>) with "yes" and "keep"; the action's
 * failure is shown in the form. <paramref name="act"/> gets the trimmed reason; the field empties once it succeeds.
 */
export function ReasonConfirmForm(props: {
  words: ReasonConfirmWords;
  maxLength: number;
  question: ReactNode;
  act: (reason: string) => Promise<void>;
  /** More fields of the action (waiving: how much), after the reason. */
  children?: ReactNode;
}) {
  const { words } = props;
  const [reason, setReason] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function ask(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    if (!reason.trim()) {
      setError(words.missing);
      return;
    }
    setConfirming(true);
  }

  async function act() {
    setBusy(true);
    setError(null);
    try {
      await props.act(reason.trim());
      setConfirming(false);
      setReason("");
    } catch (e) {
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={ask} className="flex flex-col gap-3">
      <Field label={words.label}>
        <input
          className={inputClass}
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
            setConfirming(false);
          }}
          required
          maxLength={props.maxLength}
          autoComplete="off"
          data-testid={`${words.testId}-reason`}
        />
      </Field>
      {props.children}
      {error && <Notice kind="error">{error}</Notice>}
      {!confirming ? (
        <Button type="submit" variant="danger" className="self-start" data-testid={`${words.testId}-submit`}>
          {words.button}
        </Button>
      ) : (
        <div className="flex flex-col gap-2 rounded-md border border-red-200 p-3" role="group" aria-label={words.ask}>
          <p className="text-sm">{props.question}</p>
          <div className="flex gap-2">
            <Button type="button" variant="danger" disabled={busy} onClick={() => void act()} data-testid={`${words.testId}-confirm`}>
              {words.confirm}
            </Button>
            <Button type="button" variant="secondary" disabled={busy} onClick={() => setConfirming(false)}>
              {words.keep}
            </Button>
          </div>
        </div>
      )}
    </form>
  );
}
