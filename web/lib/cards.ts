import type { SavedCard, TripPayment } from "./types";

/** "12/2030": the month and year a card expires (it is valid through that month). */
export function cardExpiry(card: Pick<SavedCard, "expMonth" | "expYear">): string {
  return `${String(card.expMonth).padStart(2, "0")}/${card.expYear}`;
}

/** Banks' decline codes, in the rider's words (null: declined without a reason); another code is shown without underscores. */
const declines: Record<string, string | null> = {
  card_declined: null,
  generic_decline: null,
  insufficient_funds: "insufficient funds",
  authentication_required: "your bank wants to approve each payment itself",
};

/**
 * Why a saved card did not pay: "Visa •••• 0341 was declined (insufficient funds)", that it was removed before it
 * was charged, or that the payment provider never answered.
 */
export function cardFailure(payment: Pick<TripPayment, "cardLabel" | "failureReason">): string {
  const card = payment.cardLabel || "Your card";
  const code = payment.failureReason ?? "";
  if (code === "card_removed") return `${card} was removed before it was charged`;
  if (code === "provider_unavailable") return `${card} could not be charged: the payment provider did not answer`;
  const why = Object.hasOwn(declines, code) ? declines[code] : code.replaceAll("_", " ") || null;
  return `${card} was declined${why ? ` (${why})` : ""}`;
}

const setupKey = "uberclone.cardSetup";

/**
 * Before the browser leaves for the provider's page: the cards saved so far, so that back on /account?card=added the
 * page knows the new one when it is listed (the provider's confirmation may land a moment after the browser does).
 */
export function rememberCardsBeforeSetup(cards: SavedCard[]): void {
  try {
    sessionStorage.setItem(setupKey, JSON.stringify(cards.map((c) => c.id)));
  } catch {
    // Private mode without storage: the page then waits for any card.
  }
}

/** The ids remembered by rememberCardsBeforeSetup (forgotten as they are read); none when nothing was remembered. */
export function cardsBeforeSetup(): string[] {
  try {
    const ids: unknown = JSON.parse(sessionStorage.getItem(setupKey) ?? "[]");
    sessionStorage.removeItem(setupKey);
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === "string") : [];
  } catch {
    return [];
  }
}
