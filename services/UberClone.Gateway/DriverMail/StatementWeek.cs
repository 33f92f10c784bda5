namespace UberClone.Gateway.DriverMail;

/// <summary>
/// A driver's statement week: Monday 00:00 to the next Monday 00:00 in the driver's time zone (UTC without one), as
/// instants (a week with a clock change is 167 or 169 hours long). No I/O.
/// </summary>
public sealed record StatementWeek(DateOnly Monday, DateTimeOffset From, DateTimeOffset To, TimeZoneInfo Zone)
{
    /// <summary>When last week's statement is due: Monday morning, once the night's late rides are paid.</summary>
    public static readonly TimeSpan DueAfterWeekEnds = TimeSpan.FromHours(6);

    /// <summary>The week (Monday to Monday, in <paramref name="zone"/>) that contains <paramref name="day"/>.</summary>
    public static StatementWeek Containing(DateOnly day, TimeZoneInfo? zone)
    {
        zone ??= TimeZoneInfo.Utc;
        var monday = day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
        return new StatementWeek(monday, Start(monday, zone), Start(monday.AddDays(7), zone), zone);
    }

    /// <summary>The driver's local date at <paramref name="at"/>.</summary>
    public static DateOnly LocalDay(DateTimeOffset at, TimeZoneInfo? zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone ?? TimeZoneInfo.Utc).DateTime);

    /// <summary>
    /// The last whole week whose statement is due at <paramref name="now"/>: the week before this one, from Monday 06:00
    /// local; before that, the week before it (whose statement went out last Monday).
    /// </summary>
    public static StatementWeek LastDue(DateTimeOffset now, TimeZoneInfo? zone)
    {
        var thisWeek = Containing(LocalDay(now, zone), zone);
        var previous = Containing(thisWeek.Monday.AddDays(-7), zone);
        return now >= thisWeek.From + DueAfterWeekEnds ? previous : Containing(previous.Monday.AddDays(-7), zone);
    }

    /// <summary>Midnight at the start of <paramref name="day"/> in <paramref name="zone"/>: where payments' weekly payout cuts the week too.</summary>
    public static DateTimeOffset Start(DateOnly day, TimeZoneInfo zone) => UberClone.Contracts.DriverWeeks.Start(day, zone);
}
