"use client";

import { useRef, useState } from "react";
import { api, ApiError } from "@/lib/api";
import { money } from "@/lib/format";
import type { Invite, Session } from "@/lib/types";
import { useLoad } from "@/lib/useLoad";
import { Button, Card } from "../ui";

/**
 * A rider's invite code, to share with friends who have not ridden: what it gives them, what the rider gets off a ride
 * for each friend who takes one with it, and how many friends added it. Nothing is shown when inviting is turned off.
 */
export function InviteFriends({ session }: { session: Session }) {
  const { data: invite, error } = useLoad(
    () =>
      api.myInvite(session).catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 400) return null; // inviting is turned off
        throw e;
      }),
    [session],
    "Could not load your invite code.",
  );
  const code = useRef<HTMLSpanElement>(null);
  const [copied, setCopied] = useState<"copied" | "selected" | null>(null);

  async function copy(text: string) {
    try {
      await navigator.clipboard.writeText(text);
      setCopied("copied");
    } catch {
      // No clipboard here (a page not served securely, a browser that refuses): the code is selected, to copy by hand.
      const selection = window.getSelection();
      if (code.current && selection) {
        const range = document.createRange();
        range.selectNodeContents(code.current);
        selection.removeAllRanges();
        selection.addRange(range);
      }
      setCopied("selected");
    }
  }

  if (invite === null || (invite === undefined && !error)) return null;
  return (
    <Card title="Invite friends" testId="invite">
      {!invite ? (
        <p className="text-sm text-slate-600">{error}</p>
      ) : (
        <div className="flex flex-col gap-2 text-sm">
          <p>{offer(invite)}</p>
          <div className="flex flex-wrap items-center gap-3">
            <span ref={code} className="select-all font-mono text-2xl font-semibold tracking-wider" data-testid="invite-code">
              {invite.code}
            </span>
            <Button variant="secondary" onClick={() => void copy(invite.code)} data-testid="invite-copy">
              {copied === "copied" ? "Copied" : "Copy"}
            </Button>
          </div>
          {copied === "selected" && <p className="text-slate-600">The code is selected: copy it from your phone&apos;s menu (or Ctrl+C).</p>}
          <p className="text-slate-600" data-testid="invite-friends">
            {friends(invite.friendsAdded ?? 0)}
          </p>
        </div>
      )}
    </Card>
  );
}

/**
 * "Friends who have not ridden get 50% off their first ride (up to $10.00); you get $5.00 off a ride when they take
 * it, to use within 90 days."
 */
function offer(invite: Invite): string {
  const rides = invite.rides ?? 1;
  const first = rides > 1 ? `their first ${rides} rides` : "their first ride";
  const { terms } = invite;
  const welcome = terms.amountOff?.amountMinor
    ? `${money(terms.amountOff)} off ${first}`
    : `${terms.percentOff ?? 0}% off ${first}${terms.maxDiscount?.amountMinor ? ` (up to ${money(terms.maxDiscount)}${rides > 1 ? " a ride" : ""})` : ""}`;
  const when = rides > 1 ? "when they take the first" : "when they take it";
  const within = invite.rewardValidDays ? `, to use within ${invite.rewardValidDays} days` : "";
  return `Friends who have not ridden get ${welcome}; you get ${money(invite.reward)} off a ride ${when}${within}.`;
}

function friends(added: number): string {
  if (added === 0) return "No friend has added it yet.";
  return `${added} ${added === 1 ? "friend" : "friends"} added it.`;
}
