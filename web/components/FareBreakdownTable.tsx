import { less, money } from "@/lib/format";
import type { AppliedPromotion, FareBreakdown } from "@/lib/types";

const rows: [keyof FareBreakdown, string][] = [
  ["baseMinor", "Base fare"],
  ["distanceMinor", "Distance"],
  ["timeMinor", "Time"],
  ["surgeMinor", "Surge"],
  ["minimumFareAdjustmentMinor", "Minimum fare adjustment"],
  ["bookingFeeMinor", "Booking fee"],
  ["waitMinor", "Waiting at the pickup"],
];

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
        {rows
          .filter(([key]) => (fare[key] as number | undefined) !== undefined && fare[key] !== 0)
          .map(([key, label]) => (
            <tr key={key}>
              <td>{label}</td>
              <td className="text-right">{money({ amountMinor: fare[key] as number, currency })}</td>
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
