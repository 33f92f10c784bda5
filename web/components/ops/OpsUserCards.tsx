"use client";

import { api } from "@/lib/api";
import { cardExpiry } from "@/lib/cards";
import type { Session } from "@/lib/types";
import { useLoad } from "@/lib/useLoad";
import { Notice } from "../ui";

/**
 * A rider's saved cards on their card at the desk (ADR 0024), read-only: "which card do you charge?" is answered by the
 * default one; the rider adds and removes cards themselves (the numbers never reach support or UberClone).
 */
export function OpsUserCards({ session, userId, version }: { session: Session; userId: string; version: unknown }) {
  const { data: wallet, error } = useLoad(() => api.opsUserCards(session, userId), [session, userId, version], "Could not load their saved cards.");
  return (
    <div data-testid="ops-user-cards">
      <h3 className="mb-1 font-medium">Saved cards</h3>
      {error && <Notice kind="error">{error}</Notice>}
      {wallet?.cards.length === 0 && <p className="text-sm text-slate-600">None: they pay each ride by link.</p>}
      {wallet && wallet.cards.length > 0 && (
        <ul className="text-sm" aria-label="Their saved cards">
          {wallet.cards.map((card) => (
            <li key={card.id}>
              {card.label} · {card.expired ? `expired ${cardExpiry(card)}` : `expires ${cardExpiry(card)}`}
              {card.isDefault && " · charged when their rides end"}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
