"use client";

import { useState } from "react";
import { api, failureText } from "@/lib/api";
import { saveFile } from "@/lib/saveFile";
import type { Session } from "@/lib/types";
import { Button, Card, Notice } from "../ui";

/** "Download my data": what UberClone keeps of the user, as one JSON file saved by the browser. */
export function DownloadData({ session }: { session: Session }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function download() {
    setBusy(true);
    setError(null);
    try {
      const data = await api.exportData(session);
      saveFile(`uberclone-data-${session.userId}.json`, JSON.stringify(data, null, 2), "application/json");
    } catch (e) {
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="Your data" testId="account-data-section">
      <p className="text-sm text-slate-700">
        One file with what UberClone keeps of you: your account, saved places, every trip with its receipt and messages, and your help requests.
      </p>
      {error && (
        <Notice kind="error" testId="account-error">
          {error}
        </Notice>
      )}
      <div className="mt-3">
        <Button variant="secondary" disabled={busy} onClick={() => void download()} data-testid="account-download-data">
          {busy ? "Preparing…" : "Download my data"}
        </Button>
      </div>
    </Card>
  );
}
