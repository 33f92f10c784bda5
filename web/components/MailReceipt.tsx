"use client";

import { useState } from "react";
import { api, failureText } from "@/lib/api";
import type { Session } from "@/lib/types";
import { Button, Notice } from "./ui";

/**
 * "Email me this receipt" (the rider, for expenses or a mail that went astray) or "Email the receipt to the rider"
 * (support, for a caller): a copy of a paid ride's receipt goes to the rider's confirmed address. What the gateway
 * answers is shown: on its way, a copy went less than a minute ago, or why not (the email not confirmed yet).
 */
export function MailReceipt(props: { session: Session; tripId: string; label: string }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  async function send() {
    setBusy(true);
    setResult(null);
    try {
      const answer = await api.mailReceipt(props.session, props.tripId);
      setResult({ ok: true, text: answer.message });
    } catch (e) {
      setResult({ ok: false, text: failureText(e) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex flex-col gap-1" data-testid="mail-receipt">
      <div>
        <Button variant="secondary" onClick={send} disabled={busy}>
          {busy ? "Sending…" : props.label}
        </Button>
      </div>
      {result && (
        <Notice kind={result.ok ? "success" : "error"} testId="mail-receipt-result">
          <span className="break-all">{result.text}</span>
        </Notice>
      )}
    </div>
  );
}
