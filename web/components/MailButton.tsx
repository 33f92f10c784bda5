"use client";

import { useState } from "react";
import { failureText } from "@/lib/api";
import { Button, Notice } from "./ui";

/**
 * A button that has something mailed: "Email me this receipt" (the rider), "Email the receipt to the rider" (support),
 * "Email me this week's statement" (a driver). What the gateway answers is shown under it: on its way, one went less
 * than a minute ago, nothing to send, or why not (the email not confirmed yet). testId names the block; its result is
 * `${testId}-result`.
 */
export function MailButton(props: { label: string; send: () => Promise<{ message: string }>; testId: string }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  async function send() {
    setBusy(true);
    setResult(null);
    try {
      const answer = await props.send();
      setResult({ ok: true, text: answer.message });
    } catch (e) {
      setResult({ ok: false, text: failureText(e) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex flex-col gap-1" data-testid={props.testId}>
      <div>
        <Button variant="secondary" onClick={send} disabled={busy}>
          {busy ? "Sending…" : props.label}
        </Button>
      </div>
      {result && (
        <Notice kind={result.ok ? "success" : "error"} testId={`${props.testId}-result`}>
          <span className="break-all">{result.text}</span>
        </Notice>
      )}
    </div>
  );
}
