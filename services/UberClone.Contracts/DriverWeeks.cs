namespace UberClone.Contracts;

/// <summary>
/// A driver's week runs from Monday 00:00 to the next Monday 00:00 in their time zone (UTC without one). The gateway's
/// earnings statement and payments' weekly payout both cut weeks here, so a payout pays exactly a statement's week (ADR 0025).
/// </summary>
public static class DriverWeeks
{
    /// <summary>The local date at <paramref name="at"/> in <paramref name="zone"/>.</summary>
    public static DateOnly LocalDay(DateTimeOffset at, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);

    /// <summary>The Monday of the week holding <paramref name="day"/>.</summary>
    public static DateOnly MondayOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    /// <summary>
    /// Midnight at the start of <paramref name="day"/> in <paramref name="zone"/> as one instant: where the clock jumps
    /// over midnight, the first local time that exists after it; where midnight happens twice, the later one (the
    /// standard offset's), as <see cref="TimeZoneInfo.GetUtcOffset(DateTime)"/> reads it.
    /// </summary>
    public static DateTimeOffset Start(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(30);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
