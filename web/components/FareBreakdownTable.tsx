import { money } from "@/lib/format";
import type { FareBreakdown } from "@/lib/types";

const rows: [keyof FareBreakdown, string][] = [
  ["baseMinor", "Base fare"],
  ["distanceMinor", "Distance"],
  ["timeMinor", "Time"],
  ["surgeMinor", "Surge"],
  ["minimumFareAdjustmentMinor", "Minimum fare adjustment"],
  ["bookingFeeMinor", "Booking fee"],
  ["waitMinor", "Waiting at the pickup"],
];

export function FareBreakdownTable({ fare }: { fare: FareBreakdown }) {
  const currency = fare.currency ?? "USD";
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
          <td className="text-right" data-testid="fare-total">{money({ amountMinor: fare.totalMinor ?? 0, currency })}</td>
        </tr>
      </tbody>
    </table>
  );
}
