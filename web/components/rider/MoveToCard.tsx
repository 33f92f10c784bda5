"use client";

import { useState } from "react";
import { api, ApiError } from "@/lib/api";
import { useLoad } from "@/lib/useLoad";
import type { SavedCard, Session, Trip } from "@/lib/types";
import { Button, inputClass } from "../ui";
import { rideCard, usableCards } from "./PayingWith";

/**
 * "Pay with another card" until the ride ends (ADR 0032): the rider's other usable saved cards, and the hold moves to the
 * one chosen — what is held, or the price now if more ("Pay with a saved card" when the ride's card is not saved any
 * more). A ride booked for later just takes the card, held on it when its search starts. A card whose bank declines it
 * changes nothing, and the bank's reason is said here. Nothing while the rider has no other card to move to.
 */
export function MoveToCard({ session, trip, walletVersion, onChanged, showCard = false }: {
  session: Session;
  trip: Trip;
  /** Changes when the rider's cards changed elsewhere: they are read again. */
  walletVersion: number;
  onChanged: (trip: Trip) => void;
  /** Say which card pays ("Pays with Visa •••• 4242") where nothing else does: a ride booked for later has no hold yet. */
  showCard?: boolean;
}) {
  const { data: wallet } = useLoad(() => api.cards(session), [session, walletVersion], "");
  const [open, setOpen] = useState(false);
  const [choice, setChoice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const current = rideCard(wallet, trip);
  const others = usableCards(wallet).filter((card) => card.id !== current?.id);
  const chosen = others.find((card) => card.id === choice) ?? others[0];
  const paysWith = showCard && current && (
    <>
      <span data-testid="ride-card">Pays with {current.label}</span>
      {chosen ? " · " : ""}
    </>
  );
  if (!chosen) return paysWith ? <p className="mb-3 text-sm">{paysWith}</p> : null;

  const move = async (card: SavedCard) => {
    setBusy(true);
    setRefusal(null);
    try {
      onChanged(await api.payTripWithCard(session, trip.tripId, card.id));
      setOpen(false);
    } catch (e) {
      setRefusal(e instanceof ApiError ? e.message : "Something went wrong. Try again.");
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return (
      <p className="mb-3 text-sm">
        {paysWith}
        <button type="button" className="text-blue-700 underline" data-testid="move-card-open" onClick={() => setOpen(true)}>
          {current ? "Pay with another card" : "Pay with a saved card"}
        </button>
      </p>
    );
  }
  return (
    <div className="mb-3 flex flex-wrap items-center gap-2 text-sm text-slate-700" data-testid="move-card">
      <label className="flex items-center gap-2">
        <span>Pay this ride with</span>
        <select className={inputClass} aria-label="Pay this ride with" data-testid="move-card-choice" value={chosen.id} onChange={(e) => setChoice(e.target.value)}>
          {others.map((card) => (
            <option key={card.id} value={card.id}>
              {card.label}
            </option>
          ))}
        </select>
      </label>
      <Button variant="secondary" disabled={busy} data-testid="move-card-confirm" onClick={() => void move(chosen)}>
        {busy ? "Asking your bank…" : "Use this card"}
      </Button>
      <button type="button" className="text-blue-700 underline" onClick={() => setOpen(false)}>
        Keep {current?.label ?? "the card"}
      </button>
      {refusal && (
        <p className="w-full text-red-700" data-testid="move-card-refused">
          {refusal}
        </p>
      )}
    </div>
  );
}
