"use client";

import { useEffect, useRef, useState } from "react";
import { api, ApiError, failureText } from "@/lib/api";
import { cardExpiry, cardsBeforeSetup, rememberCardsBeforeSetup } from "@/lib/cards";
import type { SavedCard, Session, Wallet } from "@/lib/types";
import { Button, Card, Notice } from "../ui";
import { RideCreditSummary } from "./RideCreditSummary";

/**
 * How many more times, a second apart, the cards are read after the provider sent the rider back with a card saved:
 * its confirmation (a webhook, with Stripe) may land a moment after the browser does.
 */
const readsAfterSetup = 5;

/** Back from the provider's page (?card=added|cancelled), with the cards there were before leaving; null: not back from there. */
type Arrival = { outcome: "added" | "cancelled"; before: string[] } | null;

/**
 * A rider's saved cards (ADR 0024): the default one is charged when a ride ends (the fare, a late cancellation's fee, a
 * tip after the ride); without one, each ride is paid by link. A card is added on the payment provider's page, which
 * sends the browser back here; one is made the default, or removed after a confirmation, here.
 */
export function PaymentMethods({ session }: { session: Session }) {
  const [wallet, setWallet] = useState<Wallet | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  /** undefined until the address was read (once: it is then cleaned, so a reload does not say it again). */
  const [arrival, setArrival] = useState<Arrival | undefined>(undefined);
  /** Back with a card saved that is not listed yet, after reading again for a while. */
  const [notListedYet, setNotListedYet] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const section = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const url = new URL(window.location.href);
    const outcome = url.searchParams.get("card");
    const back: Arrival = outcome === "added" || outcome === "cancelled" ? { outcome, before: outcome === "added" ? cardsBeforeSetup() : [] } : null;
    // Kept as first read: a second run of this effect finds the address already cleaned.
    setArrival((first) => (first === undefined ? back : first));
    if (!back) return;
    url.searchParams.delete("card");
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
    section.current?.scrollIntoView({ block: "start" });
  }, []);

  useEffect(() => {
    if (arrival === undefined) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async (readsLeft: number) => {
      let missing = false;
      try {
        const found = await api.cards(session);
        if (stopped) return;
        setWallet(found);
        setLoadError(null);
        missing = arrival?.outcome === "added" && !found.cards.some((c) => !arrival.before.includes(c.id));
      } catch (e) {
        if (stopped) return;
        setLoadError(failureText(e));
        missing = arrival?.outcome === "added";
      }
      if (missing && readsLeft > 0) timer = setTimeout(() => void read(readsLeft - 1), 1000);
      setNotListedYet(missing && readsLeft === 0);
    };
    void read(arrival?.outcome === "added" ? readsAfterSetup : 0);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [session, arrival]);

  async function change(action: () => Promise<Wallet>) {
    setBusy(true);
    setError(null);
    try {
      setWallet(await action());
      setConfirming(null);
    } catch (e) {
      setError(failureText(e));
      // Removed meanwhile (on another device): the list as it now is.
      if (e instanceof ApiError && e.status === 404) api.cards(session).then(setWallet, () => undefined);
    } finally {
      setBusy(false);
    }
  }

  async function add() {
    setBusy(true);
    setError(null);
    try {
      const setup = await api.addCard(session);
      rememberCardsBeforeSetup(wallet?.cards ?? []);
      window.location.assign(setup.url); // the provider's page: it sends the browser back to /account?card=…
    } catch (e) {
      setError(failureText(e));
      setBusy(false);
    }
  }

  const full = wallet !== null && wallet.cards.length >= wallet.maxCards;
  const defaultCard = wallet?.cards.find((c) => c.isDefault);
  return (
    <div ref={section} className="scroll-mt-4">
      <Card title="Payment methods" testId="payment-methods">
        <p className="text-sm text-slate-700">
          Your default card is charged when a ride ends: its fare, a late cancellation&apos;s fee, a tip after the ride. You enter a card on the payment
          provider&apos;s page; UberClone never keeps its number.
        </p>
        <div className="mt-3 flex flex-col gap-2">
          <RideCreditSummary session={session} />
          {arrival?.outcome === "added" && (
            <Notice kind="success" testId="card-added">
              Card saved. It is charged when your rides end.
              {notListedYet && " It is listed here in a moment: reload the page if it is not."}
            </Notice>
          )}
          {arrival?.outcome === "cancelled" && <Notice testId="card-cancelled">No card was added.</Notice>}
          {(error ?? loadError) && (
            <Notice kind="error" testId="card-error">
              {error ?? loadError}
            </Notice>
          )}
          {!wallet ? (
            !loadError && <p className="text-sm text-slate-600">Loading…</p>
          ) : wallet.cards.length === 0 ? (
            <p className="text-sm text-slate-600" data-testid="no-cards">
              No saved card: you pay by link after each ride.
            </p>
          ) : (
            <ul className="divide-y divide-slate-200 text-sm" aria-label="Your cards">
              {wallet.cards.map((card) => (
                <CardRow
                  key={card.id}
                  card={card}
                  busy={busy}
                  confirming={confirming === card.id}
                  nextDefault={card.isDefault ? wallet.cards.find((c) => c.id !== card.id) : undefined}
                  onConfirm={(asking) => setConfirming(asking ? card.id : null)}
                  onMakeDefault={() => void change(() => api.makeDefaultCard(session, card.id))}
                  onRemove={() => void change(() => api.removeCard(session, card.id))}
                />
              ))}
            </ul>
          )}
          {defaultCard?.expired && (
            <p className="text-sm text-red-800" data-testid="default-card-expired">
              Your default card has expired and is not charged: rides are paid by link until you make another card the default or add one.
            </p>
          )}
          <div className="flex flex-wrap items-center gap-2">
            <Button variant="secondary" disabled={busy || !wallet || full} onClick={() => void add()} data-testid="add-card">
              Add a card
            </Button>
            {full && (
              <span className="text-sm text-slate-600" data-testid="cards-full">
                {wallet.maxCards} cards are saved, the most there can be: remove one to add another.
              </span>
            )}
          </div>
        </div>
      </Card>
    </div>
  );
}

/** "Visa •••• 4242 · Expires 12/2030 · Default", with making it the default and removing it (asked twice). */
function CardRow(props: {
  card: SavedCard;
  /** The card that becomes the default if this one (the default) is removed: the newest of the others. */
  nextDefault?: SavedCard;
  busy: boolean;
  confirming: boolean;
  onConfirm: (asking: boolean) => void;
  onMakeDefault: () => void;
  onRemove: () => void;
}) {
  const { card } = props;
  return (
    <li className="flex flex-col gap-2 py-2" data-testid="saved-card" data-default={card.isDefault ? "true" : "false"}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{card.label}</span>
        <span className={card.expired ? "text-red-800" : "text-slate-600"}>{card.expired ? `Expired ${cardExpiry(card)}` : `Expires ${cardExpiry(card)}`}</span>
        {card.isDefault && (
          <span className="rounded-full bg-green-100 px-2 py-0.5 text-xs font-semibold text-green-900" data-testid="default-card">
            Default
          </span>
        )}
      </div>
      {!props.confirming ? (
        <div className="flex flex-wrap gap-2">
          {!card.isDefault && !card.expired && (
            <Button variant="secondary" disabled={props.busy} onClick={props.onMakeDefault}>
              Make default<span className="sr-only"> {card.label}</span>
            </Button>
          )}
          <Button variant="secondary" disabled={props.busy} onClick={() => props.onConfirm(true)}>
            Remove<span className="sr-only"> {card.label}</span>
          </Button>
        </div>
      ) : (
        <div className="flex flex-col gap-2 rounded-md border border-amber-200 p-3" role="group" aria-label={`Remove ${card.label}?`}>
          <p>
            Remove {card.label}? It is never charged again.
            {props.nextDefault && ` ${props.nextDefault.label} becomes your default card.`}
          </p>
          <div className="flex flex-wrap gap-2">
            <Button variant="danger" disabled={props.busy} onClick={props.onRemove}>
              Yes, remove it
            </Button>
            <Button variant="secondary" disabled={props.busy} onClick={() => props.onConfirm(false)}>
              Keep it
            </Button>
          </div>
        </div>
      )}
    </li>
  );
}
