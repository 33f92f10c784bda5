"use client";

import Link from "next/link";
import type { Wallet } from "@/lib/types";

/**
 * How a ride booked now is paid when it ends: the rider's default card (ADR 0024), or a link to pay by after the ride;
 * account settings add or change cards. Nothing while the cards are unknown: booking works without them.
 */
export function PayingWith({ wallet }: { wallet: Wallet | undefined }) {
  if (!wallet) return null;
  const card = wallet.cards.find((c) => c.isDefault);
  const link = "text-blue-700 underline";
  return (
    <p className="mt-2 text-sm text-slate-700">
      {card && !card.expired ? (
        <>
          <span data-testid="paying-with">Paying with {card.label}</span> ·{" "}
          <Link href="/account" className={link}>
            Change
          </Link>
        </>
      ) : (
        <span data-testid="paying-with">
          {card ? `${card.label} has expired: you pay by link after the ride` : "You pay by link after the ride"} ·{" "}
          <Link href="/account" className={link}>
            Add a card
          </Link>
        </span>
      )}
    </p>
  );
}
