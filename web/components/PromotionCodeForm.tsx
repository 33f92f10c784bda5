"use client";

import { useState, type FormEvent } from "react";
import { failureText } from "@/lib/api";
import { Button, Field, inputClass } from "./ui";

/**
 * A promotion code typed in (kept as typed; the service reads any case) and sent with <paramref name="submit"/>: cleared
 * when it went through, the service's words shown (by the caller, through onError) when it did not.
 */
export function PromotionCodeForm(props: {
  label: string;
  action: string;
  testIds: { input: string; submit: string };
  submit: (code: string) => Promise<void>;
  onError: (message: string | null) => void;
}) {
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);

  async function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    props.onError(null);
    try {
      await props.submit(code.trim());
      setCode("");
    } catch (e) {
      props.onError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="flex flex-wrap items-end gap-2" onSubmit={send}>
      <div className="min-w-48 flex-1">
        <Field label={props.label}>
          <PromotionCodeInput value={code} onChange={setCode} testId={props.testIds.input} />
        </Field>
      </div>
      <Button type="submit" disabled={busy || !code.trim()} data-testid={props.testIds.submit}>
        {props.action}
      </Button>
    </form>
  );
}

/** A promotion code's field: shown in capitals, as codes are kept (4–20 letters and digits). */
export function PromotionCodeInput(props: { value: string; onChange: (code: string) => void; testId: string }) {
  return (
    <input
      className={`${inputClass} font-mono uppercase`}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      required
      maxLength={20}
      autoComplete="off"
      autoCapitalize="characters"
      spellCheck={false}
      data-testid={props.testId}
    />
  );
}
