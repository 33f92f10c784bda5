"use client";

import { useState } from "react";
import { api, ApiError } from "@/lib/api";
import { useLoad } from "@/lib/useLoad";
import { money, point } from "@/lib/format";
import type { Session, SplitInvitation } from "@/lib/types";
import { Button, Card, Notice, inputClass } from "../ui";
import { usableCards } from "./PayingWith";

/**
 * The rides other riders asked this rider to split (ADR 0040): an open invitation with the card to pay the share with,
 * Accept or Decline; after the ride, what they paid. Nothing while there is none.
 */
export function SplitInvitations(props: { session: Session; version: number; walletVersion: number }) {
  const { session } = props;
  const { data, setData } = useLoad(() => api.splitInvitations(session), [session, props.version], "");
  const shown = (data?.invitations ?? []).filter((i) => i.status !== "withdrawn" && (i.status !== "lapsed" || i.tripStatus === "completed"));
  if (shown.length === 0) return null;
  const answered = (changed: SplitInvitation) =>
    setData({ invitations: (data?.invitations ?? []).map((i) => (i.tripId === changed.tripId ? changed : i)) });
  return (
    <Card title="Split fare" testId="split-invitations">
      <ul className="flex flex-col gap-3">
        {shown.map((invitation) => (
          <li key={invitation.tripId} data-testid="split-invitation">
            <InvitationItem session={session} invitation={invitation} walletVersion={props.walletVersion} onAnswered={answered} />
          </li>
        ))}
      </ul>
    </Card>
  );
}

function InvitationItem(props: { session: Session; invitation: SplitInvitation; walletVersion: number; onAnswered: (i: SplitInvitation) => void }) {
  const { session, invitation } = props;
  const open = invitation.status === "invited";
  const { data: wallet } = useLoad(open ? () => api.cards(session) : null, [session, open, props.walletVersion], "");
  const cards = usableCards(wallet);
  const [choice, setChoice] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const card = cards.find((c) => c.id === choice) ?? cards.find((c) => c.isDefault) ?? cards[0];

  const answer = async (accept: boolean) => {
    setRefusal(null);
    try {
      props.onAnswered(await api.answerSplitInvitation(session, invitation.tripId, accept, accept ? card?.id : undefined));
    } catch (e) {
      setRefusal(e instanceof ApiError ? e.message : "Something went wrong. Try again.");
    }
  };

  if (invitation.shareStatus === "paid" && invitation.share) {
    return (
      <p className="text-sm" data-testid="split-invitee-receipt">
        {invitation.requesterName} split this ride with you: you paid <strong>{money(invitation.share)}</strong>
        {invitation.cardLabel ? ` with ${invitation.cardLabel}` : ""}.
        {invitation.refunded && <span data-testid="split-invitee-refunded"> {money(invitation.refunded)} of it was refunded to your card.</span>}
      </p>
    );
  }
  if (invitation.shareStatus === "declined") {
    return (
      <Notice kind="error" testId="split-invitee-declined">
        Your card declined your share of {money(invitation.share)} of {invitation.requesterName}&apos;s ride
        {invitation.declineCode ? ` (${invitation.declineCode.replaceAll("_", " ")})` : ""}: {invitation.requesterName} paid it.
      </Notice>
    );
  }
  return (
    <div className="flex flex-col gap-2 text-sm">
      <p data-testid="split-invitation-text">
        {invitation.requesterName} asked you to split the fare of a ride to {point(invitation.dropoff)} ({money(invitation.fare)} in all).
      </p>
      {invitation.status === "accepted" && <p data-testid="split-invitation-accepted">You accepted: your share is charged to your card when the ride ends.</p>}
      {invitation.status === "declined" && <p>You declined.</p>}
      {invitation.status === "lapsed" && <p>The ride ended before you answered.</p>}
      {open && (
        <div className="flex flex-wrap items-center gap-2">
          {cards.length > 0 ? (
            <select className={inputClass} aria-label="Card to pay your share with" data-testid="split-card" value={card?.id ?? ""}
              onChange={(e) => setChoice(e.target.value)}>
              {cards.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          ) : (
            <span className="text-slate-600" data-testid="split-no-card">Save a card under Account settings → Payment methods to accept.</span>
          )}
          <Button data-testid="split-accept" disabled={!card} onClick={() => void answer(true)}>
            Accept
          </Button>
          <Button variant="secondary" data-testid="split-decline" onClick={() => void answer(false)}>
            Decline
          </Button>
        </div>
      )}
      {refusal && <Notice kind="error">{refusal}</Notice>}
    </div>
  );
}
