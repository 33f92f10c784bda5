"use client";

import { useState } from "react";
import { api } from "@/lib/api";
import { runTripAction } from "@/lib/tripAction";
import { money } from "@/lib/format";
import type { Session, SplitInvitee, Trip } from "@/lib/types";
import { Button, inputClass } from "../ui";

const underWay = (t: Trip) => ["searching", "driver_assigned", "driver_arrived", "in_progress"].includes(t.status);

/** How an invitee's answer (and, after the ride, their share) reads to the rider who asked. */
function inviteeState(invitee: SplitInvitee): string {
  if (invitee.shareStatus === "paid" && invitee.share) return `paid ${money(invitee.share)}`;
  if (invitee.shareStatus === "declined") return "their card was declined: you paid their share";
  if (invitee.shareStatus === "pending") return "charging their card…";
  return invitee.status;
}

/** A completed ride's split on its rider's receipt: what they paid of the fare, and whose card declined its share. */
export function SplitReceipt({ trip }: { trip: Trip }) {
  const split = trip.split;
  if (trip.status !== "completed" || !split?.fare || !split.youPaid) return null;
  const invitees = split.invitees ?? [];
  const paidBy = invitees.filter((i) => i.shareStatus === "paid");
  return (
    <div className="mb-3 flex flex-col gap-1 text-sm" data-testid="split-receipt">
      <p>
        {paidBy.length > 0 ? `Split with ${paidBy.map((i) => i.name).join(", ")}: ` : "Not split: "}
        you paid <strong>{money(split.youPaid)}</strong> of {money(split.fare)}
      </p>
      {invitees
        .filter((i) => i.shareStatus === "declined")
        .map((i) => (
          <p key={i.riderId} className="text-amber-700" data-testid="split-declined">
            {i.name}&apos;s card was declined: you paid their share of {money(i.share)}.
          </p>
        ))}
    </div>
  );
}

/**
 * "Split fare" (ADR 0040): while the ride is under way the rider asks up to 3 other riders, by the email of their account,
 * sees each one's answer and may withdraw one not answered yet; once it ended, the receipt says what the rider paid of
 * the fare and who paid the rest.
 */
export function SplitFare(props: { session: Session; trip: Trip; onChanged: (trip: Trip) => void; onError: (message: string | null) => void }) {
  const { session, trip } = props;
  const [email, setEmail] = useState("");
  const [open, setOpen] = useState(false);
  const invitees = (trip.split?.invitees ?? []).filter((i) => i.status !== "withdrawn");
  const act = (action: () => Promise<Trip>) => runTripAction(action, props.onChanged, props.onError);
  const mayAsk = underWay(trip) && trip.profile !== "business";

  if (trip.status === "completed" && trip.split?.fare) return <SplitReceipt trip={trip} />;
  if (!mayAsk && invitees.length === 0) return null;

  return (
    <div className="mb-3 flex flex-col gap-2 text-sm" data-testid="split-fare">
      {invitees.length > 0 && (
        <ul className="flex flex-col gap-1" data-testid="split-invitees">
          {invitees.map((i) => (
            <li key={i.riderId} className="flex items-center gap-2" data-testid="split-invitee">
              <span>
                {i.name}: <span data-testid="split-invitee-status">{inviteeState(i)}</span>
              </span>
              {i.status === "invited" && underWay(trip) && (
                <button type="button" className="text-blue-700 underline" data-testid="split-withdraw"
                  onClick={() => act(() => api.withdrawSplitInvitation(session, trip.tripId, i.riderId))}>
                  Withdraw
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {mayAsk && !open && invitees.filter((i) => i.status === "invited" || i.status === "accepted" || i.status === "declined").length < 3 && (
        <Button variant="secondary" className="self-start" data-testid="split-open" onClick={() => setOpen(true)}>
          Split fare
        </Button>
      )}
      {mayAsk && open && (
        <form
          className="flex flex-wrap items-center gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              const changed = await api.inviteToSplit(session, trip.tripId, email.trim());
              setEmail("");
              setOpen(false);
              return changed;
            });
          }}
        >
          <input className={inputClass} type="email" required placeholder="Their UberClone email" aria-label="Email of the rider to split with"
            value={email} onChange={(e) => setEmail(e.target.value)} data-testid="split-email" />
          <Button type="submit" data-testid="split-invite">Ask to split</Button>
          <Button type="button" variant="secondary" onClick={() => setOpen(false)}>Cancel</Button>
        </form>
      )}
    </div>
  );
}
