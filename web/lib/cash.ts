import type { Money, Trip } from "./types";

/** What payments names a fare paid to the driver in cash (ADR 0042), in a receipt's paidWith. */
export const paidInCash = (paidWith: string | undefined): boolean => paidWith === "cash";

/** What the rider of a ride paid in cash hands the driver (ADR 0042): what the driver collected, else the amount due, else the fare. */
export const cashToCollect = (trip: Trip): Partial<Money> | undefined => trip.driverEarnings?.cashCollected ?? trip.receipt?.amountDue ?? trip.fare;
