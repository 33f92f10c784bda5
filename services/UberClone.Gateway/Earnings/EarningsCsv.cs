using System.Globalization;
using System.Text;
using UberClone.Contracts;
using UberClone.Contracts.Trips;

namespace UberClone.Gateway.Earnings;

/// <summary>
/// A driver's earnings as a CSV file (RFC 4180, a header row, one row per trip, cancellation fee or quest bonus earned
/// (kind <c>quest_bonus</c>, its trip the ride that reached the target, the quest's name in <c>quest</c>), oldest first),
/// for a spreadsheet or an accountant: when (in the driver's time zone, with its offset), what, and each part in the
/// currency's major unit (12.50), so the columns add up: rider_paid − booking_fee − place_fees − service_fee −
/// fare_adjustment + tip + item_return = earned. place_fees (an airport's or a zone's fee, passed on; ADR 0037), quest
/// (ADR 0038) and item_return (a lost item's return fee the driver earned, less what support gave back of it; ADR 0035)
/// came later and are the last columns, in that order, so a spreadsheet that reads the others by position still finds
/// them. No I/O.
/// </summary>
public static class EarningsCsv
{
    public const string Header = "earned_at,trip_id,kind,vehicle_class,distance_km,rider_paid,booking_fee,service_fee,fare_adjustment,tip,earned,currency,place_fees,quest,item_return";

    public static string Render(EarningsSummary summary, TimeZoneInfo? zone)
    {
        var csv = new StringBuilder().Append(Header).Append("\r\n");
        var rows = summary.Items.Select(item =>
        {
            var e = item.Earnings;
            var currency = e.Amount?.Currency ?? e.Earnings?.Currency ?? "";
            return (At: e.EarnedAt, Cells: new[]
            {
                Local(e.EarnedAt, zone), item.TripId, e.Kind, item.VehicleClass, (item.DistanceMeters / 1000.0).ToString("0.0", CultureInfo.InvariantCulture),
                Major(e.Amount, currency), Major(e.BookingFee, currency), Major(e.ServiceFee, currency), Major(e.FareAdjustment, currency),
                Major(e.Tip, currency), Major(e.Earnings, currency), currency.ToUpperInvariant(), Major(e.PlaceFees, currency), "",
                Major(e.ItemReturn, currency),
            });
        }).Concat(summary.QuestBonuses.Select(b =>
        {
            // A bonus is no rider's payment: nothing paid, no fees; earned is the bonus, so the columns still add up.
            var currency = b.Bonus.Currency;
            var zero = Currencies.FormatMajor(0, currency);
            return (At: b.EarnedAt, Cells: new[]
            {
                Local(b.EarnedAt, zone), b.TripId, QuestBonusKind, "", "", zero, zero, zero, zero, zero, Currencies.FormatMajor(b.Bonus.AmountMinor, currency),
                currency.ToUpperInvariant(), zero, b.Name, zero,
            });
        }));
        foreach (var row in rows.OrderBy(r => r.At, StringComparer.Ordinal)) csv.AppendJoin(',', row.Cells.Select(Cell)).Append("\r\n");
        return csv.ToString();
    }

    public const string QuestBonusKind = "quest_bonus";

    private static string Local(string iso, TimeZoneInfo? zone) =>
        DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var earnedAt)
            ? TimeZoneInfo.ConvertTime(earnedAt, zone ?? TimeZoneInfo.Utc).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)
            : "";

    private static string Major(UberClone.Contracts.Common.Money? money, string currency) => Currencies.FormatMajor(money?.AmountMinor ?? 0, currency);

    /// <summary>A cell quoted when it holds a comma, quote or line break; one that a spreadsheet would run as a formula is prefixed with '.</summary>
    internal static string Cell(string value)
    {
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0]) && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}
