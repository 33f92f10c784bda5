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

/** This year and the two before it: how far back earnings go. */
function recentYears(): [string, string, string] {
  const year = new Date().getFullYear();
  return [String(year), String(year - 1), String(year - 2)];
}

/**
 * A month's or a whole year's earnings (what a tax return asks for) as a CSV file the browser saves (a row per trip or
 * fee: for a spreadsheet or an accountant).
 */
export function EarningsCsv({ session }: { session: Session }) {
  const [month, setMonth] = useState(thisMonth);
  const [period, setPeriod] = useState<"month" | "year">("month");
  const [year, setYear] = useState(() => recentYears()[0]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function download() {
    setBusy(true);
    setError(null);
    try {
      const chosen: { month: string } | { year: string } = period === "year" ? { year } : { month };
      saveFile(`uberclone-earnings-${period === "year" ? year : month}.csv`, await api.earningsCsv(session, chosen), "text/csv");
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
          Period
          <select className="rounded-md border border-slate-300 px-2 py-1" value={period} onChange={(e) => setPeriod(e.target.value === "year" ? "year" : "month")} data-testid="earnings-csv-period">
            <option value="month">A month</option>
            <option value="year">A whole year</option>
          </select>
        </label>
        {period === "month" ? (
          <label className="flex items-center gap-2">
            Month
            <input type="month" className="rounded-md border border-slate-300 px-2 py-1" value={month} max={thisMonth()} onChange={(e) => setMonth(e.target.value)} data-testid="earnings-csv-month" />
          </label>
        ) : (
          <label className="flex items-center gap-2">
            Year
            <select className="rounded-md border border-slate-300 px-2 py-1" value={year} onChange={(e) => setYear(e.target.value)} data-testid="earnings-csv-year">
              {recentYears().map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </label>
        )}
        <Button variant="secondary" disabled={busy || (period === "month" && !month)} onClick={() => void download()} data-testid="earnings-csv">
          {busy ? "Preparing…" : "Download CSV"}
        </Button>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
    </div>
  );
}
