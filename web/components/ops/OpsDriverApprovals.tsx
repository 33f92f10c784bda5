"use client";

import { useEffect, useState } from "react";
import { api } from "@/lib/api";
import { age } from "@/lib/format";
import { useLoad } from "@/lib/useLoad";
import { useNow } from "@/lib/useNow";
import type { Session } from "@/lib/types";
import { Card, Notice } from "../ui";
import { documentsText, vehicleText } from "./OpsDriverApproval";

/** The list follows driver.approval messages; it is read again this often too, in case the socket missed one. */
const rereadMs = 30_000;

/**
 * Drivers waiting for support to check their documents, longest waiting first: who, their car, their documents and how
 * long they have waited; a row opens their card, where support approves or refuses. Read again when version changes
 * (Refresh, a driver.approval message: documents sent or decided on by anyone), every 30 s, and each time the desk comes
 * back here (after a decision on a card).
 */
export function OpsDriverApprovals({ session, version, onOpenUser }: { session: Session; version: number; onOpenUser: (userId: string) => void }) {
  const [tick, setTick] = useState(0);
  const now = useNow(true);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), rereadMs);
    return () => clearInterval(timer);
  }, []);
  const { data: drivers, error } = useLoad(() => api.opsDriverApprovals(session), [session, version, tick], "Could not load the drivers to approve.");

  return (
    <Card title="Drivers to approve" testId="driver-approvals">
      {error && <Notice kind="error">{error}</Notice>}
      {drivers === undefined ? (
        !error && <p className="text-sm text-slate-600">Loading…</p>
      ) : drivers.length === 0 ? (
        <p className="text-sm text-slate-600">Nobody is waiting.</p>
      ) : (
        <ul className="divide-y divide-slate-200 text-sm" aria-label="Drivers waiting for approval">
          {drivers.map((d) => {
            const vehicle = d.approval.newVehicle ?? d.vehicle ?? d.approval.vehicle;
            return (
              <li key={d.userId}>
                <button
                  type="button"
                  className="flex w-full flex-col gap-0.5 px-1 py-2 text-left hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500"
                  onClick={() => onOpenUser(d.userId)}
                  data-testid="driver-approvals-row"
                  data-user-id={d.userId}
                >
                  <span className="flex flex-wrap justify-between gap-2">
                    <span>
                      <span className="font-medium">{d.name}</span> · {d.email}
                    </span>
                    {d.approval.submittedAt && <span>waiting {age(d.approval.submittedAt, now)}</span>}
                  </span>
                  {vehicle && (
                    <span>
                      {d.approval.newVehicle ? "New car: " : ""}
                      {vehicleText(vehicle)}
                      {d.approval.documents ? `, from ${d.approval.documents.vehicleYear}` : ""}
                    </span>
                  )}
                  {d.approval.documents && <span className="text-slate-600">{documentsText(d.approval.documents)}</span>}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
