"use client";

import { useEffect, useState } from "react";
import { distance, duration, money } from "@/lib/format";
import { stopsOnTheWay } from "@/lib/stops";
import type { Offer } from "@/lib/types";
import { RidePreferenceLabels } from "../RidePreferenceLabels";
import { Button, Card } from "../ui";

export function OfferCard({ offer, onAccept, onDecline }: { offer: Offer; onAccept: () => void; onDecline: () => void }) {
  const secondsLeft = () => Math.max(0, Math.round((new Date(offer.expiresAt).getTime() - Date.now()) / 1000));
  const [left, setLeft] = useState(secondsLeft);
  useEffect(() => {
    const timer = setInterval(() => setLeft(secondsLeft()), 250);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [offer.offerId]);

  return (
    <Card title={offer.reserved ? "Your reserved ride" : "New trip request"}>
      {offer.reserved && (
        <p className="text-sm font-medium text-emerald-900" data-testid="reserve-offer">
          Your reserved ride: the rider is waiting for you.
        </p>
      )}
      <p>
        {money({ amountMinor: offer.fareMinor, currency: offer.currency })} · pickup {distance(offer.pickupDistanceMeters)} away · {offer.vehicleClass}
      </p>
      <p className="text-sm text-slate-700" data-testid="offer-rider">
        {offer.riderRatingCount ? `Rider ★ ${(offer.riderRatingAverage ?? 0).toFixed(1)} (${offer.riderRatingCount})` : "New rider"}
      </p>
      {offer.tripDistanceMeters ? (
        <p className="text-sm text-slate-700" data-testid="offer-trip">
          Trip {distance(offer.tripDistanceMeters)}
          {offer.tripDurationSeconds ? ` · about ${duration(offer.tripDurationSeconds)}` : ""}
        </p>
      ) : null}
      {offer.passengerName && (
        <p className="text-sm text-slate-700" data-testid="offer-passenger">
          Pick up <strong>{offer.passengerName}</strong> (booked by the rider for them)
        </p>
      )}
      {offer.payInCash && (
        <p className="text-sm font-medium text-emerald-900" data-testid="cash-offer">
          Cash
        </p>
      )}
      {offer.wheelchairAccessible && (
        <p className="text-sm font-medium text-sky-900" data-testid="wav-offer">
          Wheelchair accessible: the rider needs your ramp or lift
        </p>
      )}
      {offer.withPet && (
        <p className="text-sm font-medium text-amber-900" data-testid="pet-offer">
          With a pet
        </p>
      )}
      <RidePreferenceLabels preferences={offer.preferences} testId="prefs-offer" />
      {offer.pickupNote && (
        <p className="text-sm text-amber-900" data-testid="offer-pickup-note">
          Note: {offer.pickupNote}
        </p>
      )}
      {offer.stops?.length ? (
        <p className="text-sm text-slate-700" data-testid="offer-stops">
          {stopsOnTheWay(offer.stops.length)}
        </p>
      ) : null}
      <p className="mb-3 text-sm" aria-live="polite" data-testid="offer-countdown">
        {left > 0 ? `${left} s to answer` : "Expired"}
      </p>
      <div className="flex gap-2">
        <Button onClick={onAccept} disabled={left === 0}>
          Accept
        </Button>
        <Button variant="secondary" onClick={onDecline} disabled={left === 0}>
          Decline
        </Button>
      </div>
    </Card>
  );
}
