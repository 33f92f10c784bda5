"use client";

import { useState } from "react";
import { api, failureText } from "@/lib/api";
import { saveFile } from "@/lib/saveFile";
import type { Session } from "@/lib/types";
import { Button, Notice } from "../ui";

/** "2026-12": this month on the phone's calendar. */
function thisMonth(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}`;
}

/** A month's earnings as a CSV file the browser saves (a row per trip or fee: for a spreadsheet or an accountant). */
export function EarningsCsv({ session }: { session: Session }) {
  const [month, setMonth] = useState(thisMonth);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function download() {
    setBusy(true);
    setError(null);
    try {
      saveFile(`uberclone-earnings-${month}.csv`, await api.earningsCsv(session, month), "text/csv");
    } catch (e) {
      setError(failureText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="mt-2 flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <label className="flex items-center gap-2">
          Month
          <input type="month" className="rounded-md border border-slate-300 px-2 py-1" value={month} max={thisMonth()} onChange={(e) => setMonth(e.target.value)} data-testid="earnings-csv-month" />
        </label>
        <Button variant="secondary" disabled={busy || !month} onClick={() => void download()} data-testid="earnings-csv">
          {busy ? "Preparing…" : "Download CSV"}
        </Button>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
    </div>
  );
}
