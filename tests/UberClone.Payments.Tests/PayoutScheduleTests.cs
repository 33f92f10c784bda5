using UberClone.Payments.Domain;

namespace UberClone.Payments.Tests;

/// <summary>
/// When a driver's weekly payout runs (ADR 0025): Monday 00:00 in their own time zone, the end of the week their
/// earnings statement covers, as one instant whatever the clocks do that night. Pure maths, no I/O.
/// </summary>
public sealed class PayoutScheduleTests
{
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
    private static readonly TimeZoneInfo LosAngeles = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0, int year = 2026) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    /// <summary>A zone without a real counterpart whose clocks change on a Monday at midnight: forward in March (00:00 never happens), back in November (00:00 happens twice).</summary>
    private static readonly TimeZoneInfo MondayMidnightChanges = TimeZoneInfo.CreateCustomTimeZone("Test/Monday_Midnight", TimeSpan.Zero, "Monday midnight", "MST", "MDT",
        [
            TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(DateTime.MinValue.Date, DateTime.MaxValue.Date, TimeSpan.FromHours(1),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 0, 0, 0), 3, 1, DayOfWeek.Monday),
                TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 1, 0, 0), 11, 1, DayOfWeek.Monday)),
        ]);

    [Fact]
    public void Without_a_time_zone_the_weekly_run_is_the_next_monday_at_midnight_utc()
    {
        Assert.Equal(Utc(11, 30, 0), PayoutSchedule.NextWeeklyRun(Utc(11, 25, 9), TimeZoneInfo.Utc));
        Assert.Equal(Utc(12, 7, 0), PayoutSchedule.NextWeeklyRun(Utc(11, 30, 0), TimeZoneInfo.Utc)); // strictly after: the run just made is not next
        Assert.Equal(Utc(11, 30, 0), PayoutSchedule.NextWeeklyRun(Utc(11, 29, 23, 59), TimeZoneInfo.Utc));
        Assert.Same(TimeZoneInfo.Utc, PayoutSchedule.ZoneOf(null));
        Assert.Same(TimeZoneInfo.Utc, PayoutSchedule.ZoneOf("Mars/Olympus_Mons"));
    }

    [Fact]
    public void In_tokyo_the_weekly_run_is_monday_midnight_there_which_is_sunday_afternoon_utc()
    {
        Assert.Equal(Utc(11, 29, 15), PayoutSchedule.NextWeeklyRun(Utc(11, 25, 9), Tokyo));
        // Sunday 16:00 UTC is already Monday in Tokyo: the next run is a week on.
        Assert.Equal(Utc(12, 6, 15), PayoutSchedule.NextWeeklyRun(Utc(11, 29, 16), Tokyo));
    }

    [Fact]
    public void In_los_angeles_the_weekly_run_follows_the_clock_change_so_the_week_it_ends_is_169_or_167_hours_long()
    {
        Assert.Equal(Utc(11, 30, 8), PayoutSchedule.NextWeeklyRun(Utc(11, 25, 9), LosAngeles)); // PST
        // Monday 26 October 00:00 PDT: the next run is Monday 2 November 00:00 PST, after the clocks went back on Sunday.
        var fallWeekStart = Utc(10, 26, 7);
        var fallRun = PayoutSchedule.NextWeeklyRun(fallWeekStart, LosAngeles);
        Assert.Equal(Utc(11, 2, 8), fallRun);
        Assert.Equal(TimeSpan.FromHours(169), fallRun - fallWeekStart);
        // Monday 2 March 00:00 PST, then Monday 9 March 00:00 PDT, after the clocks went forward on Sunday 8 March.
        var springRun = PayoutSchedule.NextWeeklyRun(Utc(3, 2, 8), LosAngeles);
        Assert.Equal(Utc(3, 9, 7), springRun);
        Assert.Equal(TimeSpan.FromHours(167), springRun - Utc(3, 2, 8));
    }

    [Fact]
    public void In_berlin_the_weekly_run_is_monday_midnight_central_european_time_or_summer_time()
    {
        Assert.Equal(Utc(11, 29, 23), PayoutSchedule.NextWeeklyRun(Utc(11, 25, 9), Berlin));
        Assert.Equal(Utc(3, 29, 22), PayoutSchedule.NextWeeklyRun(Utc(3, 25, 9), Berlin)); // summer time from Sunday 29 March
        Assert.Equal(Utc(10, 25, 23), PayoutSchedule.NextWeeklyRun(Utc(10, 21, 9), Berlin)); // winter time from Sunday 25 October
    }

    [Fact]
    public void A_monday_midnight_the_clocks_skip_or_repeat_is_still_one_instant()
    {
        // 2 March 2026: 00:00 jumps to 01:00 MDT, the first time Monday has (00:00 UTC).
        Assert.Equal(Utc(3, 2, 0), PayoutSchedule.NextWeeklyRun(Utc(2, 25, 12), MondayMidnightChanges));
        // 2 November 2026: 01:00 MDT goes back to 00:00 MST, so 00:00 happens twice; the later one (standard time) is the run.
        Assert.True(MondayMidnightChanges.IsAmbiguousTime(new DateTime(2026, 11, 2, 0, 0, 0)));
        Assert.Equal(Utc(11, 2, 0), PayoutSchedule.NextWeeklyRun(Utc(10, 28, 12), MondayMidnightChanges));
        Assert.Equal(Utc(11, 9, 0), PayoutSchedule.NextWeeklyRun(Utc(11, 2, 0), MondayMidnightChanges));
    }

    [Fact]
    public void After_a_change_of_zone_each_monday_is_paid_once_and_one_that_passed_unpaid_is_due_at_once()
    {
        // Paid for Monday 30 November in Tokyo (Sunday 15:00 UTC), then moved to Los Angeles that Sunday evening: not
        // again 17 hours later for Los Angeles' Monday 30 November, but on Monday 7 December there.
        Assert.Equal(Utc(12, 7, 8), PayoutSchedule.NextRunInZone(Utc(11, 29, 16), LosAngeles, new DateOnly(2026, 11, 30)));
        // Paid for Monday 30 November in Los Angeles, then moved to Tokyo once Monday 7 December began there: that
        // Monday's run is due now, for what was earned before Tokyo's midnight.
        Assert.Equal(Utc(12, 6, 15), PayoutSchedule.NextRunInZone(Utc(12, 6, 16), Tokyo, new DateOnly(2026, 11, 30)));
        // Moved before any weekly run was made: the next Monday there.
        Assert.Equal(Utc(12, 6, 15), PayoutSchedule.NextRunInZone(Utc(11, 29, 16), Tokyo, null));
        Assert.Equal(Utc(11, 30, 8), PayoutSchedule.NextRunInZone(Utc(11, 29, 16), LosAngeles, new DateOnly(2026, 11, 23)));
    }
}
