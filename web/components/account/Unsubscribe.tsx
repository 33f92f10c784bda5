"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { api, failureText } from "@/lib/api";
import type { MailLinkState } from "@/lib/types";
import { Button, Card, Notice } from "../ui";

/**
 * What a mail's "To stop these mails" link opens, signed in or not (its token names the account and the kind of mail).
 * Opening it changes nothing, since mail scanners open every link: it says what it would turn off, and only the button
 * does that; Undo turns it on again. A link that is not valid (cut short, altered) or of an account gone says so.
 */
export function Unsubscribe() {
  const [token, setToken] = useState<string | null>(null);
  const [state, setState] = useState<MailLinkState | null>(null);
  // What a button here last did: "Undo" follows an unsubscribe; a link opened when the mail was already off offers "Mail them again".
  const [done, setDone] = useState<"unsubscribed" | "resubscribed" | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const t = new URLSearchParams(window.location.search).get("t") ?? "";
    setToken(t);
    let current = true;
    api.mailLink(t).then(
      (answer) => current && setState(answer),
      (e: unknown) => current && setError(failureText(e)),
    );
    return () => {
      current = false;
    };
  }, []);

  async function follow(on: boolean) {
    if (token === null) return;
    setBusy(true);
    setError(null);
    try {
      setState(await (on ? api.resubscribe(token) : api.unsubscribe(token)));
      setDone(on ? "resubscribed" : "unsubscribed");
    } catch (e) {
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="Mail from UberClone" testId="unsubscribe">
      <div className="flex flex-col gap-3">
        {error || state ? (
          <Notice kind={error ? "error" : done ? "success" : "info"} testId="unsubscribe-message">
            <span className="break-words">{error ?? state?.message}</span>
          </Notice>
        ) : (
          <p className="text-sm text-slate-600" data-testid="unsubscribe-message">
            Loading…
          </p>
        )}
        {state && (
          <div>
            {state.on ? (
              <Button disabled={busy} onClick={() => void follow(false)} data-testid="unsubscribe-confirm">
                Unsubscribe
              </Button>
            ) : (
              <Button variant="secondary" disabled={busy} onClick={() => void follow(true)} data-testid="unsubscribe-undo">
                {done === "unsubscribed" ? "Undo" : "Mail them again"}
              </Button>
            )}
          </div>
        )}
        <p className="text-sm text-slate-600">
          Every kind of mail you get is in your{" "}
          <Link href="/account" className="text-blue-700 underline" data-testid="unsubscribe-account">
            account settings
          </Link>{" "}
          once you sign in.
        </p>
      </div>
    </Card>
  );
}
