"use client";

import { useState } from "react";
import { api, ApiError } from "@/lib/api";
import type { DriverState, Session } from "@/lib/types";

/**
 * "Pets welcome" (ADR 0041): a driver who ticks it is offered rides with a pet too (the rider pays a pet fee, which the
 * driver earns on like the fare); one who does not is never offered them. Kept across going offline and online, so it
 * is shown whenever the driver has a record (they went online once).
 */
export function PetsWelcome({ session, driver, onChanged, onError }: { session: Session; driver: DriverState; onChanged: (d: DriverState) => void; onError: (message: string | null) => void }) {
  const [busy, setBusy] = useState(false);

  async function change(welcome: boolean) {
    setBusy(true);
    onError(null);
    try {
      onChanged(await api.setPetsWelcome(session, welcome));
    } catch (e) {
      onError(e instanceof ApiError ? e.message : "Could not change whether you take pets.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <label className="mt-2 flex items-center gap-2 text-sm" data-testid="pet-welcome">
      <input type="checkbox" checked={driver.petsWelcome === true} disabled={busy} onChange={(e) => void change(e.target.checked)} data-testid="pet-welcome-toggle" />
      Pets welcome
      <span className="text-slate-600">(you are offered rides with a pet; the pet fee is part of your fare)</span>
    </label>
  );
}
