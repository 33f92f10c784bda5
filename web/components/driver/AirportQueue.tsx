"use client";

import { clockTime, ordinal } from "@/lib/format";
import type { DriverQueueMessage, QueuePlace, QueueReturnPass } from "@/lib/types";

/**
 * What the status card says of the airport queue: the place while waiting in it, the pass back after a short trip from
 * it, or the queue just left (ADR 0036).
 */
export type QueueStatus = { place: QueuePlace } | { pass: QueueReturnPass } | { left: string } | null;

/** The status after a driver.queue message: a place, a pass back (position 0 with returnBy), or the queue they left. */
export function queueStatusFrom(message: DriverQueueMessage): QueueStatus {
  if (message.position) {
    return {
      place: {
        queueId: message.queueId,
        name: message.queueName,
        position: message.position,
        size: message.size ?? message.position,
        placeKept: message.placeKept,
        declinesAllowed: message.declinesAllowed,
        declinesUsed: message.declinesUsed,
      },
    };
  }
  return message.returnBy ? { pass: { queueId: message.queueId, name: message.queueName, until: message.returnBy } } : { left: message.queueName };
}

/** "1 decline left before you go to the back" where the airport allows some (null where it allows none). */
export function declinesLeft(place: QueuePlace): string | null {
  const allowed = place.declinesAllowed ?? 0;
  if (allowed <= 0) return null;
  const left = Math.max(0, allowed - (place.declinesUsed ?? 0));
  return left === 0
    ? "your next decline sends you to the back"
    : `${left} ${left === 1 ? "decline" : "declines"} left before you go to the back`;
}

function placeText(place: QueuePlace): string {
  return [
    `${place.name} queue: ${ordinal(place.position)} of ${place.size}`,
    place.placeKept ? "your place was kept" : null,
    declinesLeft(place),
  ]
    .filter(Boolean)
    .join(" · ");
}

/**
 * "BER Airport queue: 3rd of 7", updated live; "Short trip: come back to BER Airport's lot by 14:32 to keep your place
 * in line" after a short trip from it; "Left the queue at BER Airport" once they drive out.
 */
export function AirportQueueLine({ status }: { status: QueueStatus }) {
  if (!status) return null;
  return (
    <p className="mt-2 text-sm font-medium text-slate-800" data-testid="airport-queue">
      {"place" in status
        ? placeText(status.place)
        : "pass" in status
          ? `Short trip: come back to ${status.pass.name}'s lot by ${clockTime(status.pass.until)} to keep your place in line`
          : `Left the queue at ${status.left}`}
    </p>
  );
}
