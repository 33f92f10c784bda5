using System.Globalization;
using System.Text;
using UberClone.Contracts;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Mail;

namespace UberClone.Gateway.DriverMail;

/// <summary>
/// A driver's earnings statement for a week by mail: what riders paid, what the platform kept (booking fees, the
/// service fee) or passed on (place fees: an airport's, ADR 0037), tips and fare adjustments, lost items' return fees (ADR
/// 0035), quest bonuses (ADR 0038), what the driver earned, and day by day; per currency when they earned in several. The same numbers as the app's receipts and earnings card (trips' <c>GetEarnings</c>). No I/O.
/// </summary>
public static class StatementMails
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// The statement of <paramref name="week"/> from <paramref name="earned"/> (null: nothing earned, nothing to send).
    /// <paramref name="until"/>: for a week not over yet, the statement says "so far" and up to when.
    /// </summary>
    public static OutgoingMail? Weekly(string email, string name, StatementWeek week, EarningsSummary earned, DateTimeOffset? until = null)
    {
        if (earned.Items.Count == 0 && earned.QuestBonuses.Count == 0) return null;
        var zone = week.Zone;
        var span = $"{week.Monday.ToString("d MMM", Invariant)} – {week.Monday.AddDays(6).ToString("d MMM yyyy", Invariant)}";
        var totals = string.Join(" + ", earned.Totals.Select(t => Currencies.Display(t.AmountMinor, t.Currency)));
        var subject = $"Your UberClone week{(until is null ? "" : " so far")}: {totals} from {Count(earned.Trips, "trip")} ({span})";

        var body = new StringBuilder()
            .AppendLine($"Hello {name},").AppendLine()
            .AppendLine(until is { } at
                ? $"Here is what you have earned driving with UberClone this week so far, from Monday {week.Monday.ToString("d MMMM", Invariant)} until {Local(at, zone).ToString("dddd d MMMM, HH:mm", Invariant)} ({zone.Id})."
                : $"Here is what you earned driving with UberClone from Monday {week.Monday.ToString("d MMMM", Invariant)} to Sunday {week.Monday.AddDays(6).ToString("d MMMM yyyy", Invariant)} ({zone.Id}).")
            .AppendLine();

        var currencies = earned.Items.Select(i => i.Earnings.Earnings.Currency).Concat(earned.QuestBonuses.Select(b => b.Bonus.Currency));
        foreach (var currency in currencies.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var items = earned.Items.Where(i => i.Earnings.Earnings.Currency == currency).Select(i => i.Earnings).ToList();
            var bonuses = earned.QuestBonuses.Where(b => b.Bonus.Currency == currency).ToList();
            long Sum(Func<DriverEarnings, Contracts.Common.Money?> part) => items.Sum(e => part(e)?.AmountMinor ?? 0);
            var rows = new List<(string, string)>
            {
                ("Riders paid", Currencies.Display(Sum(e => e.Amount), currency)),
            };
            Minus(rows, "Fare adjustments", Sum(e => e.FareAdjustment), currency);
            Minus(rows, "Booking fees", Sum(e => e.BookingFee), currency);
            Minus(rows, "Place fees (passed on)", Sum(e => e.PlaceFees), currency);
            var percent = items.Select(e => e.ServiceFeePercent).Distinct().ToList();
            Minus(rows, percent.Count == 1 ? $"Service fee ({percent[0].ToString("0.##", Invariant)} %)" : "Service fees", Sum(e => e.ServiceFee), currency);
            var tips = Sum(e => e.Tip);
            if (tips != 0) rows.Add(("Tips (all yours)", "+" + Currencies.Display(tips, currency)));
            var itemReturns = Sum(e => e.ItemReturn);
            if (itemReturns != 0) rows.Add(("Lost item returns (all yours)", "+" + Currencies.Display(itemReturns, currency)));
            foreach (var bonus in bonuses) rows.Add(($"Quest bonus: {bonus.Name}", "+" + Currencies.Display(bonus.Bonus.AmountMinor, currency)));
            rows.Add(("You earned", Currencies.Display(Sum(e => e.Earnings) + bonuses.Sum(b => b.Bonus.AmountMinor), currency)));
            RiderMail.ReceiptMails.Table(body, rows);
            // Rides paid in cash (ADR 0042): the driver holds those fares, so the platform's part is taken from their payouts.
            var cash = items.Where(e => e.CashCollected is { AmountMinor: > 0 }).ToList();
            if (cash.Count > 0)
            {
                var collected = cash.Sum(e => e.CashCollected.AmountMinor);
                var platformPart = collected - cash.Sum(e => e.Earnings?.AmountMinor ?? 0);
                body.AppendLine().AppendLine($"Cash collected  {Currencies.Display(collected, currency)} from {Count(cash.Count, "ride")} paid in cash: you hold it, and the platform's part of it, "
                    + $"{Currencies.Display(platformPart, currency)}, is taken from your payouts.");
            }
            body.AppendLine();

            // A day's bonus is in its total; the count is of its trips.
            var days = items.Select(e => (At: e.EarnedAt, Minor: e.Earnings.AmountMinor, Trip: true))
                .Concat(bonuses.Select(b => (At: b.EarnedAt, Minor: b.Bonus.AmountMinor, Trip: false)))
                .GroupBy(e => StatementWeek.LocalDay(Time(e.At), zone)).OrderBy(g => g.Key)
                .Select(g => ($"{g.Key.ToString("ddd d MMM", Invariant)} ({Count(g.Count(e => e.Trip), "trip")})", Currencies.Display(g.Sum(e => e.Minor), currency)))
                .ToList();
            body.AppendLine(earned.Totals.Count > 1 ? $"Day by day, in {currency}:" : "Day by day:").AppendLine();
            RiderMail.ReceiptMails.Table(body, days, ruleAboveLast: false);
            body.AppendLine();
        }

        var fees = earned.CancellationFees > 0 ? $" {Count(earned.CancellationFees, "late cancellation")} paid you a fee; it is counted above." : "";
        body.AppendLine($"{Count(earned.Trips, "trip")} completed.{fees} Each trip's receipt, with what you earned from it, is in the app under \"Your trips\".");
        return new OutgoingMail(email, name, subject, body.ToString(), "driver-statement");
    }

    private static void Minus(List<(string, string)> rows, string label, long amountMinor, string currency)
    {
        if (amountMinor != 0) rows.Add((label, Currencies.Display(-amountMinor, currency)));
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private static DateTimeOffset Local(DateTimeOffset at, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(at, zone);

    private static DateTimeOffset Time(string iso) =>
        DateTimeOffset.TryParse(iso, Invariant, DateTimeStyles.AssumeUniversal, out var at) ? at.ToUniversalTime() : DateTimeOffset.UnixEpoch;
}
