"use client";

import { useState } from "react";
import { api } from "@/lib/api";
import { cardExpiry } from "@/lib/cards";
import type { SavedCard, Session } from "@/lib/types";
import { useLoad } from "@/lib/useLoad";
import { Button, Notice, inputClass } from "../ui";

/**
 * A rider's saved cards on their card at the desk (ADR 0024): "which card do you charge?" is answered by the default
 * one. The rider adds and removes cards themselves (the numbers never reach support or UberClone); support removes one
 * for them when they cannot (a card reported stolen), saying why — the rider's support trail keeps it.
 */
export function OpsUserCards({ session, userId, version, onChanged }: { session: Session; userId: string; version: unknown; onChanged?: () => void }) {
  const { data: wallet, setData: setWallet, error } = useLoad(() => api.opsUserCards(session, userId), [session, userId, version], "Could not load their saved cards.");
  return (
    <div data-testid="ops-user-cards">
      <h3 className="mb-1 font-medium">Saved cards</h3>
      {error && <Notice kind="error">{error}</Notice>}
      {wallet?.cards.length === 0 && <p className="text-sm text-slate-600">None: they pay each ride by link.</p>}
      {wallet && wallet.cards.length > 0 && (
        <ul className="text-sm" aria-label="Their saved cards">
          {wallet.cards.map((card) => (
            <OpsSavedCard
              key={card.id}
              card={card}
              onRemove={async (reason) => {
                setWallet(await api.opsRemoveUserCard(session, userId, card.id, reason));
                onChanged?.();
              }}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

/** One saved card, and removing it: asked first, with the reason the trail keeps. */
function OpsSavedCard({ card, onRemove }: { card: SavedCard; onRemove: (reason: string) => Promise<void> }) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <li data-testid="ops-user-card">
      {card.label} · {card.expired ? `expired ${cardExpiry(card)}` : `expires ${cardExpiry(card)}`}
      {card.isDefault && " · charged when their rides end"}{" "}
      {!asking && (
        <button type="button" className="text-blue-700 underline" onClick={() => setAsking(true)}>
          Remove
        </button>
      )}
      {asking && (
        <form
          className="mt-1 flex flex-wrap items-center gap-2"
          onSubmit={async (e) => {
            e.preventDefault();
            setBusy(true);
            setFailure(null);
            try {
              await onRemove(reason.trim());
            } catch (err) {
              setFailure(err instanceof Error ? err.message : "Could not remove the card.");
              setBusy(false);
            }
          }}
        >
          <input
            className={inputClass}
            aria-label={`Why remove ${card.label}`}
            placeholder="Why (e.g. reported stolen)"
            value={reason}
            maxLength={500}
            onChange={(e) => setReason(e.target.value)}
          />
          <Button type="submit" variant="danger" disabled={busy || reason.trim().length === 0}>
            Remove {card.label}
          </Button>
          <Button type="button" variant="secondary" onClick={() => setAsking(false)}>
            Keep it
          </Button>
          {failure && <Notice kind="error">{failure}</Notice>}
        </form>
      )}
    </li>
  );
}
