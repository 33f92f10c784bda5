"use client";

import { useEffect, useState } from "react";
import { api } from "@/lib/api";
import { money } from "@/lib/format";
import type { Session, Trip } from "@/lib/types";
import { Card } from "./ui";

export function TripHistory({ session, version }: { session: Session; version: number }) {
  const [trips, setTrips] = useState<Trip[]>([]);
  useEffect(() => {
    api.history(session).then(setTrips, () => setTrips([]));
  }, [session, version]);
  const earnings = trips.filter((t) => t.status === "completed").reduce((sum, t) => sum + t.fare.amountMinor, 0);
  return (
    <Card title={session.role === "driver" ? "Trips and earnings" : "Your trips"}>
      {session.role === "driver" && <p className="mb-2 text-sm">Completed fares: <strong>{money({ amountMinor: earnings, currency: trips[0]?.fare.currency ?? "USD" })}</strong></p>}
      {trips.length === 0 ? (
        <p className="text-sm text-slate-600">No trips yet.</p>
      ) : (
        <ul className="divide-y divide-slate-200 text-sm" aria-label="Trip history">
          {trips.map((t) => (
            <li key={t.tripId} className="flex justify-between py-2">
              <span>
                {new Date(t.createdAt).toLocaleString()} · {t.vehicleClass} · {t.status.replaceAll("_", " ")}
              </span>
              <span>{money(t.receipt?.amountDue?.amountMinor ? t.receipt.amountDue : t.fare)}{t.receipt?.paymentStatus === "paid" ? " · paid" : ""}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
