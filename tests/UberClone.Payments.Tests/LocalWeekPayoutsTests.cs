using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Payments.Domain;
using UberClone.Payments.IntegrationEvents.EventHandling;

namespace UberClone.Payments.Tests;

/// <summary>
/// Weekly payouts follow the driver's own week (ADR 0025): the gateway tells payments the driver's time zone
/// (<c>account.event.time_zone_set</c>), the payout account's run moves to Monday 00:00 there, and the run pays exactly
/// what was earned before that instant, whatever order the zone changes arrive in.
/// </summary>
public sealed class LocalWeekPayoutsTests : IDisposable
{
    private readonly PaymentsHarness _h = new();

    public void Dispose() => _h.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    private Task TellZoneAsync(string zone, DateTimeOffset at, string driver = "driver-1", string role = "driver") =>
        new AccountTimeZoneSetHandler(_h.Payouts).HandleAsync(new AccountTimeZoneSetIntegrationEvent(driver, role, zone, at),
            new MessageContext("m-" + Guid.NewGuid().ToString("N"), Topics.AccountTimeZoneSet, driver, nameof(AccountTimeZoneSetIntegrationEvent), at, 1), Ct);

    private async Task OnboardAsync(string driver = "driver-1")
    {
        var url = await _h.Payouts.StartOnboardingAsync(driver, Ct);
        await _h.Onboarding.SaveAsync(url["/connect/".Length..], "Dana Driver", "DE89 3704 0044 0532 0130 00", Ct);
    }

    private Task EarnAsync(string tripId, long earnings, DateTimeOffset at) =>
        _h.Payouts.RecordAsync(new TripEarningsChangedIntegrationEvent(tripId, "driver-1", "EUR", earnings, 0, 1, "fare", at), Ct);

    private async Task<PayoutAccount> AccountAsync() => (await _h.Payouts.Accounts.GetAsync("driver-1", Ct))!.Document;

    [Fact]
    public async Task A_zone_told_before_payouts_are_set_up_is_kept_and_the_first_weekly_run_is_monday_midnight_there()
    {
        await TellZoneAsync("Asia/Tokyo", Utc(11, 1, 10));

        await OnboardAsync(); // Wednesday 25 November

        var account = await AccountAsync();
        Assert.Equal(("Asia/Tokyo", Utc(11, 29, 15)), (account.TimeZone, account.NextPayoutAt)); // Monday 30 November 00:00 in Tokyo
        Assert.Equal("Asia/Tokyo", (await _h.Payouts.TimeZones.GetAsync("driver-1", Ct))!.Document.TimeZone);
    }

    [Fact]
    public async Task An_older_zone_change_arriving_late_or_one_delivered_twice_changes_nothing_and_riders_zones_are_not_kept()
    {
        await OnboardAsync();
        await TellZoneAsync("America/Los_Angeles", Utc(11, 25, 8));
        await TellZoneAsync("Asia/Tokyo", Utc(11, 20, 8));           // older: the driver was in Tokyo before
        await TellZoneAsync("America/Los_Angeles", Utc(11, 25, 8));  // redelivered
        await TellZoneAsync("Europe/Berlin", Utc(11, 25, 8), driver: "rider-1", role: "rider");

        var account = await AccountAsync();
        Assert.Equal(("America/Los_Angeles", Utc(11, 25, 8), Utc(11, 30, 8)), (account.TimeZone, account.TimeZoneAt, account.NextPayoutAt));
        Assert.Equal("America/Los_Angeles", (await _h.Payouts.TimeZones.GetAsync("driver-1", Ct))!.Document.TimeZone);
        Assert.Null(await _h.Payouts.TimeZones.GetAsync("rider-1", Ct));
        // Before the account existed, the same: the newest change is kept.
        await TellZoneAsync("Asia/Tokyo", Utc(11, 25, 8), driver: "driver-2");
        await TellZoneAsync("Europe/Berlin", Utc(11, 24, 8), driver: "driver-2");
        Assert.Equal("Asia/Tokyo", (await _h.Payouts.TimeZones.GetAsync("driver-2", Ct))!.Document.TimeZone);
    }

    [Fact]
    public async Task A_payout_account_whose_zone_changes_has_its_next_weekly_run_at_monday_midnight_in_the_new_zone()
    {
        await OnboardAsync();
        Assert.Equal(Utc(11, 30, 0), (await AccountAsync()).NextPayoutAt); // no zone known: UTC

        await TellZoneAsync("Asia/Tokyo", Utc(11, 25, 10));
        Assert.Equal(Utc(11, 29, 15), (await AccountAsync()).NextPayoutAt);
        await TellZoneAsync("America/Los_Angeles", Utc(11, 25, 11));
        Assert.Equal(Utc(11, 30, 8), (await AccountAsync()).NextPayoutAt);

        var view = await _h.Payouts.OfDriverAsync("driver-1", Ct);
        Assert.Equal("America/Los_Angeles", view.Account!.Zone().Id);
    }

    [Fact]
    public async Task The_weekly_run_pays_what_was_earned_before_monday_midnight_in_the_drivers_zone_and_leaves_what_came_after()
    {
        await TellZoneAsync("Asia/Tokyo", Utc(11, 1, 10));
        await OnboardAsync();
        await EarnAsync("sunday-night", 1_000, Utc(11, 29, 14, 59));  // Sunday 23:59 in Tokyo
        await EarnAsync("monday-morning", 400, Utc(11, 29, 15, 1));  // Monday 00:01 in Tokyo (still Sunday in UTC)

        _h.Clock.Now = Utc(11, 29, 14, 59);
        Assert.Equal(0, await _h.Payouts.PayOutDueAsync(100, Ct));
        _h.Clock.Now = Utc(11, 29, 15, 2);
        Assert.Equal(1, await _h.Payouts.PayOutDueAsync(100, Ct));

        var state = await _h.Payouts.OfDriverAsync("driver-1", Ct);
        var payout = Assert.Single(state.Recent);
        Assert.Equal((1_000L, 1, PayoutTriggers.Weekly, Utc(11, 29, 15)), (payout.AmountMinor, payout.Lines, payout.Trigger, payout.EarningsBefore));
        Assert.Equal(400, state.Owed["EUR"]);
        Assert.Equal((Utc(12, 6, 15), new DateOnly(2026, 11, 30)), (state.Account!.NextPayoutAt, state.Account.LastWeeklyRunDay));
    }

    [Fact]
    public async Task A_driver_who_moves_west_after_mondays_run_is_not_paid_that_week_again_and_one_who_moves_east_is_paid_at_once()
    {
        await TellZoneAsync("Asia/Tokyo", Utc(11, 1, 10));
        await OnboardAsync();
        await EarnAsync("t1", 1_000, Utc(11, 28, 12));
        _h.Clock.Now = Utc(11, 29, 15, 1);
        await _h.Payouts.PayOutDueAsync(100, Ct); // Tokyo's Monday 30 November

        // To Los Angeles on Sunday evening UTC: its Monday 30 November is 17 hours away, but that Monday was paid.
        await EarnAsync("t2", 500, Utc(11, 29, 20));
        _h.Clock.Now = Utc(11, 29, 16);
        await TellZoneAsync("America/Los_Angeles", _h.Clock.Now);
        Assert.Equal(Utc(12, 7, 8), (await AccountAsync()).NextPayoutAt);
        _h.Clock.Now = Utc(11, 30, 9);
        Assert.Equal(0, await _h.Payouts.PayOutDueAsync(100, Ct));

        // Back to Tokyo once its Monday 7 December began, before Los Angeles' run: that Monday is paid at once, up to Tokyo's midnight.
        await EarnAsync("t3", 300, Utc(12, 6, 15, 30));
        _h.Clock.Now = Utc(12, 6, 16);
        await TellZoneAsync("Asia/Tokyo", _h.Clock.Now);
        Assert.Equal(Utc(12, 6, 15), (await AccountAsync()).NextPayoutAt);
        Assert.Equal(1, await _h.Payouts.PayOutDueAsync(100, Ct));

        var state = await _h.Payouts.OfDriverAsync("driver-1", Ct);
        Assert.Equal([(500L, Utc(12, 6, 15)), (1_000L, Utc(11, 29, 15))],
            state.Recent.OrderByDescending(p => p.EarningsBefore).Select(p => (p.AmountMinor, p.EarningsBefore)));
        Assert.Equal(300, state.Owed["EUR"]);
        Assert.Equal(Utc(12, 13, 15), state.Account!.NextPayoutAt);
    }
}
