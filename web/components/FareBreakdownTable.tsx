import { less, money } from "@/lib/format";
import type { AppliedPromotion, FareBreakdown } from "@/lib/types";

type Row = { key: string; label: string; amountMinor: number | undefined; testId?: string };

/**
 * The fare's parts in the order the receipt lists them, each place fee (ADR 0037) a line of its own after the booking fee,
 * then a ride with a pet's fee (ADR 0041).
 */
function rowsOf(fare: FareBreakdown): Row[] {
  const part = (key: keyof FareBreakdown, label: string): Row => ({ key, label, amountMinor: fare[key] as number | undefined });
  return [
    part("baseMinor", "Base fare"),
    part("distanceMinor", "Distance"),
    part("timeMinor", "Time"),
    part("surgeMinor", "Surge"),
    part("minimumFareAdjustmentMinor", "Minimum fare adjustment"),
    part("bookingFeeMinor", "Booking fee"),
    ...(fare.placeFees ?? []).map((fee, i) => ({ key: `place-fee-${i}`, label: fee.name, amountMinor: fee.amountMinor, testId: `place-fee-line-${i}` })),
    { ...part("petFeeMinor", "Pet fee"), testId: "pet-fee-line" },
    part("waitMinor", "Waiting at the pickup"),
  ];
}

/**
 * The fare's parts and its total; with the rider's promotion (the rider's and support's view: the driver earns on the
 * whole fare), what it takes off and the fare after it, which is what the rider owes for the ride.
 */
export function FareBreakdownTable({ fare, promotion }: { fare: FareBreakdown; promotion?: AppliedPromotion }) {
  const currency = fare.currency ?? "USD";
  const total = { amountMinor: fare.totalMinor ?? 0, currency };
  return (
    <table className="w-full text-sm" aria-label="Fare breakdown">
      <tbody>
        {rowsOf(fare)
          .filter((row) => row.amountMinor !== undefined && row.amountMinor !== 0)
          .map((row) => (
            <tr key={row.key} data-testid={row.testId}>
              <td>{row.label}</td>
              <td className="text-right">{money({ amountMinor: row.amountMinor!, currency })}</td>
            </tr>
          ))}
        <tr className="font-semibold">
          <td>Total</td>
          <td className="text-right" data-testid="fare-total">{money(total)}</td>
        </tr>
        {promotion && (
          <>
            <tr data-testid="fare-promotion">
              <td>
                Promotion <span className="font-mono">{promotion.code}</span>
              </td>
              <td className="text-right">−{money({ ...promotion.discount, currency })}</td>
            </tr>
            <tr className="font-semibold">
              <td>After the promotion</td>
              <td className="text-right" data-testid="fare-after-promotion">{money(less(total, promotion.discount))}</td>
            </tr>
          </>
        )}
      </tbody>
    </table>
  );
}
