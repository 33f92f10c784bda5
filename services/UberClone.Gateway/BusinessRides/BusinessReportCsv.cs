using System.Globalization;
using System.Text;
using UberClone.Contracts;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Earnings;

namespace UberClone.Gateway.BusinessRides;

/// <summary>
/// A rider's business rides of a month as a CSV file (ADR 0034; RFC 4180, a header row, one row per ride, oldest first)
/// for an expense report, shaped like the drivers' <see cref="EarningsCsv"/>: when it ended (in the rider's time zone,
/// with its offset), where from and to, and each amount in the currency's major unit (12.50), so fare + tip - refunded =
/// total: what the ride cost the rider, the figure an expense claim wants. The fare is what the rider was charged for the
/// ride (after a promotion); a tip counts once paid; refunded is all support gave back of the fare and the tip, whenever
/// (a report downloaded again after a refund shows it). No I/O.
/// </summary>
public static class BusinessReportCsv
{
    public const string Header = "ridden_at,pickup,dropoff,distance_km,fare,tip,refunded,total,currency,memo,trip_id";

    public static string Render(IEnumerable<Trip> rides, TimeZoneInfo? zone)
    {
        var csv = new StringBuilder().Append(Header).Append("\r\n");
        foreach (var trip in rides)
        {
            var receipt = trip.Receipt ?? new Receipt();
            var currency = receipt.AmountDue?.Currency ?? trip.Fare?.Currency ?? "";
            var tipMinor = receipt.Tip?.AmountMinor ?? 0;
            var tipWithFare = receipt.TipPaymentStatus.Length == 0 ? tipMinor : 0;
            var fareMinor = (receipt.AmountDue?.AmountMinor ?? 0) - tipWithFare;
            var tipPaid = receipt.TipPaymentStatus is "" or "paid" ? tipMinor : 0;
            var refundedMinor = receipt.Refunded?.AmountMinor ?? 0;
            var at = DateTimeOffset.TryParse(trip.CompletedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var completedAt)
                ? TimeZoneInfo.ConvertTime(completedAt, zone ?? TimeZoneInfo.Utc).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)
                : "";
            string[] cells =
            [
                at, Point(trip.Pickup), Point(trip.Dropoff), (trip.DistanceMeters / 1000.0).ToString("0.0", CultureInfo.InvariantCulture),
                Currencies.FormatMajor(fareMinor, currency), Currencies.FormatMajor(tipPaid, currency), Currencies.FormatMajor(refundedMinor, currency),
                Currencies.FormatMajor(fareMinor + tipPaid - refundedMinor, currency),
                currency.ToUpperInvariant(), trip.ExpenseMemo, trip.TripId,
            ];
            csv.AppendJoin(',', cells.Select(EarningsCsv.Cell)).Append("\r\n");
        }
        return csv.ToString();
    }

    /// <summary>"52.5200 13.4050" (no comma: one cell unquoted); trips keep coordinates, not addresses.</summary>
    private static string Point(Contracts.Common.LatLng? point) => point is null ? ""
        : $"{point.Lat.ToString("0.0000", CultureInfo.InvariantCulture)} {point.Lng.ToString("0.0000", CultureInfo.InvariantCulture)}";
}
