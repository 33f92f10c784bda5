using System.Globalization;
using UberClone.Gateway.DriverMail;

namespace UberClone.Gateway.Earnings;

/// <summary>
/// The months a CSV download covers (the drivers' earnings, the riders' business rides): <c>?month=YYYY-MM</c> in the
/// caller's time zone, this month so far by default, at most <see cref="YearsBack"/> years back.
/// </summary>
public static class ExportMonths
{
    public const int YearsBack = 2;

    /// <summary>The first day of the month asked for (<paramref name="month"/>; none: this one), or what is wrong with it.</summary>
    public static (DateOnly First, string? Problem) Parse(string? month, DateOnly today)
    {
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        if (month is not { Length: > 0 }) return (thisMonth, null);
        if (!DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
        {
            return (thisMonth, $"month must be a month like {today:yyyy-MM}.");
        }
        if (first > today) return (first, "That month has not started yet.");
        if (first < thisMonth.AddMonths(-12 * YearsBack)) return (first, "Downloads go back two years at most.");
        return (first, null);
    }

    /// <summary>The instants of <paramref name="months"/> months from <paramref name="first"/> in <paramref name="zone"/>, up to now at most.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Range(DateOnly first, int months, TimeZoneInfo zone, DateTimeOffset now)
    {
        var to = StatementWeek.Start(first.AddMonths(months), zone);
        return (StatementWeek.Start(first, zone), to > now ? now : to);
    }
}
