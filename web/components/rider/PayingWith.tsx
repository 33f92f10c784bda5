"use client";

import Link from "next/link";
import type { SavedCard, Trip, Wallet } from "@/lib/types";
import { inputClass } from "../ui";

/** The saved cards a ride can be paid with: those that have not expired. */
export const usableCards = (wallet: Wallet | undefined): SavedCard[] => wallet?.cards.filter((c) => !c.expired) ?? [];

/**
 * The saved card a ride is paid with (ADR 0032): the one the trip names, else the one its hold is on, else the default
 * (a ride booked without choosing). Undefined: that card is no longer saved, or the rider has none.
 */
export function rideCard(wallet: Wallet | undefined, trip: Pick<Trip, "cardId" | "paymentHold">): SavedCard | undefined {
  const cards = wallet?.cards ?? [];
  if (trip.cardId) return cards.find((c) => c.id === trip.cardId);
  return cards.find((c) => c.label === trip.paymentHold?.cardLabel) ?? cards.find((c) => c.isDefault);
}

/**
 * The card a booking names (ADR 0027), when the rider has a choice (two usable cards or more): the one they chose if it
 * is still usable, else the default, else the first usable one. Undefined: no choice to make — the booking names no
 * card, and the rider's default card pays (or they pay by link after the ride), as before.
 */
export function chosenCard(wallet: Wallet | undefined, choice: string | null): SavedCard | undefined {
  const usable = usableCards(wallet);
  if (usable.length < 2) return undefined;
  return usable.find((c) => c.id === choice) ?? usable.find((c) => c.isDefault) ?? usable[0];
}

/**
 * What the choice of card depends on: which cards are saved, which are usable, which is the default. A read of the
 * wallet that finds it as it was (the form shown again, a renewed session) keeps the rider's choice; another resets it.
 */
export const walletKey = (wallet: Wallet | undefined): string =>
  wallet ? `${wallet.defaultCardId ?? ""}|${wallet.cards.map((c) => `${c.id}${c.expired ? "!" : ""}`).join(",")}` : "";

/**
 * Paying the driver in cash (ADR 0042), where the prices take cash: "Pay in cash to the driver" next to the card line, so
 * a rider with no card (or one card) can choose it; nothing is held on a card then.
 */
function CashChoice({ cash, onCash }: { cash: boolean; onCash: (cash: boolean) => void }) {
  return (
    <label className="mt-1 flex items-center gap-2 text-sm text-slate-700" data-testid="cash-choice">
      <input type="checkbox" checked={cash} onChange={(e) => onCash(e.target.checked)} data-testid="cash-checkbox" />
      Pay in cash to the driver
    </label>
  );
}

/**
 * How a ride is paid: with two usable cards or more, the rider chooses which one ("Pay with", the default first chosen;
 * the upfront price is held on it when they book), or "Cash" where the prices take it (ADR 0042; <paramref name="cash"/>
 * undefined: they do not). With one, the rider's default card (ADR 0024); with none, a link to pay by after the ride;
 * either way "Pay in cash to the driver" where cash is taken. Account settings add or change cards. Nothing while the
 * cards are unknown (cash is still offered): booking works without them.
 */
export function PayingWith({ wallet, choice, onChoose, cash, onCash }: {
  wallet: Wallet | undefined;
  choice: string | null;
  onChoose: (cardId: string) => void;
  cash?: boolean;
  onCash: (cash: boolean) => void;
}) {
  const cashChoice = cash !== undefined ? <CashChoice cash={cash} onCash={onCash} /> : null;
  if (!wallet) return cashChoice;
  const link = "text-blue-700 underline";
  const chosen = chosenCard(wallet, choice);
  if (chosen) {
    return (
      <p className="mt-2 flex flex-wrap items-center gap-2 text-sm text-slate-700">
        <label className="flex items-center gap-2">
          <span>Pay with</span>
          <select
            className={inputClass}
            aria-label="Pay with"
            data-testid="pay-with"
            value={cash ? "cash" : chosen.id}
            onChange={(e) => {
              onCash(e.target.value === "cash");
              if (e.target.value !== "cash") onChoose(e.target.value);
            }}
          >
            {usableCards(wallet).map((card) => (
              <option key={card.id} value={card.id}>
                {card.label}
              </option>
            ))}
            {cash !== undefined && (
              <option value="cash" data-testid="cash-option">
                Cash
              </option>
            )}
          </select>
        </label>
        <Link href="/account" className={link}>
          Manage cards
        </Link>
      </p>
    );
  }
  const card = wallet.cards.find((c) => c.isDefault);
  return (
    <>
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
    {cashChoice}
    </>
  );
}
