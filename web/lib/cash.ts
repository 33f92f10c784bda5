import { money } from "./format";
import type { Money, Trip } from "./types";

/** What payments names a fare paid to the driver in cash (ADR 0042), in a receipt's paidWith. */
export const paidInCash = (paidWith: string | undefined): boolean => paidWith === "cash";

/** What the rider of a ride paid in cash hands the driver (ADR 0042): what the driver collected, else the amount due, else the fare. */
export const cashToCollect = (trip: Trip): Partial<Money> | undefined => trip.driverEarnings?.cashCollected ?? trip.receipt?.amountDue ?? trip.fare;

/**
 * A driver's cash balance against the limit (ADR 0042), in one currency: what they owe from rides paid in cash and the
 * most they may owe; `paused` while they owe more, when no cash rides are offered to them. (payouts' cashLimits.)
 */
export type CashLimit = { currency: string; owedMinor: number; limitMinor: number; paused: boolean };

/** "Cash rides paused: you owe €62.40 from cash rides (limit €50.00). They resume when your card-ride earnings cover it." */
export function cashPausedText(limit: Pick<CashLimit, "currency" | "owedMinor" | "limitMinor">, whose: "you" | "they" = "you"): string {
  const owed = money({ amountMinor: Number(limit.owedMinor), currency: limit.currency });
  const most = money({ amountMinor: Number(limit.limitMinor), currency: limit.currency });
  return whose === "you"
    ? `Cash rides paused: you owe ${owed} from cash rides (limit ${most}). They resume when your card-ride earnings cover it.`
    : `Cash rides paused: they owe ${owed} from cash rides (limit ${most}), until their card-ride earnings cover it.`;
}

/** The driver.cash_limit socket message: the driver went past the limit (reached) or back under it. */
export type CashLimitMessage = { driverId: string; currency: string; owedMinor: number; limitMinor: number; reached: boolean };

/** What the driver's app says when driver.cash_limit arrives. */
export function cashLimitNotice(message: CashLimitMessage): string {
  return message.reached ? cashPausedText(message) : "Cash rides resumed: your card-ride earnings cover what you owed from cash rides.";
}
