"use client";

import { useState } from "react";
import { cashPausedText } from "@/lib/cash";
import { api, ApiError } from "@/lib/api";
import type { DriverState, Session } from "@/lib/types";

/**
 * "Accept cash rides" (ADR 0042): on by default; a driver who unticks it is no longer offered rides the rider pays in
 * cash. Kept across going offline and online, so it is shown whenever the driver has a record (they went online once).
 */
export function AcceptCash({ session, driver, onChanged, onError }: { session: Session; driver: DriverState; onChanged: (d: DriverState) => void; onError: (message: string | null) => void }) {
  const [busy, setBusy] = useState(false);

  async function change(accept: boolean) {
    setBusy(true);
    onError(null);
    try {
      onChanged(await api.setAcceptCash(session, accept));
    } catch (e) {
      onError(e instanceof ApiError ? e.message : "Could not change whether you take cash rides.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <label className="mt-2 flex items-center gap-2 text-sm" data-testid="cash-accept">
        <input type="checkbox" checked={driver.acceptsCash !== false} disabled={busy} onChange={(e) => void change(e.target.checked)} data-testid="cash-accept-toggle" />
        Accept cash rides
        <span className="text-slate-600">(the rider pays you; the platform&apos;s part is taken from your payouts)</span>
      </label>
      {driver.cashPaused && (
        <p className="mt-1 text-sm text-red-800" data-testid="cashcap-driver-paused">
          {cashPausedText({ currency: driver.cashOwedCurrency ?? "USD", owedMinor: Number(driver.cashOwedMinor ?? 0), limitMinor: Number(driver.cashLimitMinor ?? 0) })}
        </p>
      )}
    </>
  );
}
