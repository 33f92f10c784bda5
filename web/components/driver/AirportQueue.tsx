"use client";

import { ordinal } from "@/lib/format";
import type { DriverQueueMessage, QueuePlace } from "@/lib/types";

/** What the status card says of the airport queue: the place while waiting in it, or the queue just left (ADR 0036). */
export type QueueStatus = { place: QueuePlace } | { left: string } | null;

/** The status after a driver.queue message: a place, or (position 0) the queue they left. */
export function queueStatusFrom(message: DriverQueueMessage): QueueStatus {
  return message.position
    ? { place: { queueId: message.queueId, name: message.queueName, position: message.position, size: message.size ?? message.position } }
    : { left: message.queueName };
}

/** "BER Airport queue: 3rd of 7", updated live; "Left the queue at BER Airport" once they drive out. */
export function AirportQueueLine({ status }: { status: QueueStatus }) {
  if (!status) return null;
  return (
    <p className="mt-2 text-sm font-medium text-slate-800" data-testid="airport-queue">
      {"place" in status
        ? `${status.place.name} queue: ${ordinal(status.place.position)} of ${status.place.size}`
        : `Left the queue at ${status.left}`}
    </p>
  );
}
