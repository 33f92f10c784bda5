using Microsoft.Extensions.Configuration;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Payments.Domain;
using UberClone.Payments.Payouts;
using UberClone.Payments.Sandbox;

namespace UberClone.Payments.Tests;

/// <summary>
/// A driver's cash balance limit (ADR 0042): when what they owe from rides paid in cash goes past the limit in a
/// currency, payments says so once; when card-ride earnings (or a payout) bring the net back, it says so once again.
/// Decided from the ledger after each write, so redeliveries say nothing new.
/// </summary>
public sealed class CashLimitTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private readonly PaymentsHarness _h = new(provider: null, new CashLimitOptions { CashOwedLimitMinor = 2_000, CashOwedLimits = new Dictionary<string, long> { ["JPY"] = 500 } });

    public void Dispose() => _h.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A cash ride's completion line (kind cash_collected, negative: the platform's part the driver holds).</summary>
    private Task CashRideAsync(string tripId, long platformPart, string driver = "driver-1", string currency = "EUR") =>
        _h.Payouts.RecordAsync(new TripEarningsChangedIntegrationEvent(tripId, driver, currency, -platformPart, 0, 1, "cash_collected", _h.Clock.Now), Ct);

    private Task CardRideAsync(string tripId, long earnings, string driver = "driver-1", string currency = "EUR") =>
        _h.Payouts.RecordAsync(new TripEarningsChangedIntegrationEvent(tripId, driver, currency, earnings, 0, 1, "fare", _h.Clock.Now), Ct);

    private async Task<IReadOnlyList<(string Driver, string Currency, long Owed, long Limit, bool Reached, int Crossing)>> CrossingsAsync() =>
        (await _h.OutboxAsync()).Where(m => m.Topic == Topics.PaymentDriverCashLimit)
            .Select(m => ((string)m.Data["driverId"]!, (string)m.Data["currency"]!, (long)m.Data["owedMinor"]!, (long)m.Data["limitMinor"]!,
                (bool)m.Data["reached"]!, (int)m.Data["crossing"]!)).ToList();

    [Fact]
    public void Past_the_limit_means_owing_more_than_it_and_a_state_changes_only_when_the_net_crosses_it()
    {
        Assert.False(DriverCashLimit.IsPast(-2_000, 2_000));
        Assert.True(DriverCashLimit.IsPast(-2_001, 2_000));
        Assert.False(DriverCashLimit.IsPast(500, 2_000));
        Assert.Null(DriverCashLimit.First("d", "EUR", -2_000, 2_000, T0)); // never past: nothing to remember

        var reached = DriverCashLimit.First("d", "EUR", -2_500, 2_000, T0)!;
        Assert.Equal(("d:EUR", true, 2_500L, 2_000L, 1), (reached.Id, reached.Reached, reached.OwedMinor, reached.LimitMinor, reached.Crossings));
        Assert.Same(reached, reached.After(-9_000, 2_000, T0.AddHours(1))); // owing more: still past, nothing new

        var back = reached.After(-1_500, 2_000, T0.AddHours(2));
        Assert.Equal((false, 1_500L, 2, T0.AddHours(2)), (back.Reached, back.OwedMinor, back.Crossings, back.ChangedAt));
        Assert.Same(back, back.After(300, 2_000, T0.AddHours(3)));
        var again = back.After(-2_100, 2_000, T0.AddHours(4));
        Assert.Equal((true, 2_100L, 3), (again.Reached, again.OwedMinor, again.Crossings));
        Assert.Equal(0, back.After(-3_000, 2_000, T0).After(700, 2_000, T0).OwedMinor); // a positive net owes nothing
    }

    [Fact]
    public void The_limit_is_read_from_configuration_per_currency_and_must_be_positive()
    {
        static CashLimitOptions Read(params (string Key, string Value)[] settings) =>
            CashLimitOptions.From(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

        Assert.Equal(5_000, Read().LimitMinor("EUR"));
        var options = Read(("Payouts:CashOwedLimitMinor", "4000"), ("Payouts:CashOwedLimits:jpy", "6000"));
        Assert.Equal((4_000L, 6_000L, 6_000L), (options.LimitMinor("EUR"), options.LimitMinor("JPY"), options.LimitMinor("jpy")));
        Assert.Contains("Payouts:CashOwedLimitMinor", Assert.Throws<InvalidOperationException>(() => Read(("Payouts:CashOwedLimitMinor", "0"))).Message);
        Assert.Contains("Payouts:CashOwedLimits:USD", Assert.Throws<InvalidOperationException>(() => Read(("Payouts:CashOwedLimits:USD", "-1"))).Message);
    }

    [Fact]
    public async Task Cash_rides_past_the_limit_are_said_once_however_often_delivered_and_card_earnings_that_cover_it_once_again()
    {
        await CashRideAsync("c1", 900);
        await CashRideAsync("c2", 1_100); // owes exactly the limit: not past it
        Assert.Empty(await CrossingsAsync());

        await CashRideAsync("c3", 450);
        await CashRideAsync("c3", 450); // redelivered
        await CashRideAsync("c4", 300); // owing more while past: nothing new
        Assert.Equal([("driver-1", "EUR", 2_450L, 2_000L, true, 1)], await CrossingsAsync());

        var state = await _h.Payouts.OfDriverAsync("driver-1", Ct);
        Assert.Equal(new CashBalance("EUR", 2_750, 2_000, true), Assert.Single(state.CashBalances!));

        await CardRideAsync("k1", 700); // net −2050: still past
        Assert.Single(await CrossingsAsync());
        await CardRideAsync("k2", 800); // net −1250: covered
        await CardRideAsync("k2", 800);
        Assert.Equal(("driver-1", "EUR", 1_250L, 2_000L, false, 2), (await CrossingsAsync())[1]);
        Assert.Equal(2, (await CrossingsAsync()).Count);
        Assert.Equal(new CashBalance("EUR", 1_250, 2_000, false), Assert.Single((await _h.Payouts.OfDriverAsync("driver-1", Ct)).CashBalances!));

        await CashRideAsync("c5", 1_000);
        Assert.Equal(("driver-1", "EUR", 2_250L, 2_000L, true, 3), (await CrossingsAsync())[2]);
    }

    [Fact]
    public async Task Each_currency_and_driver_has_its_own_limit_and_state()
    {
        await CashRideAsync("y1", 600, currency: "JPY");
        await CashRideAsync("e1", 1_500);
        await CashRideAsync("e2", 1_500, driver: "driver-2");
        await CardRideAsync("u1", 100, currency: "USD");

        Assert.Equal([("driver-1", "JPY", 600L, 500L, true, 1)], await CrossingsAsync());
        var state = await _h.Payouts.OfDriverAsync("driver-1", Ct);
        Assert.Equal([new CashBalance("EUR", 1_500, 2_000, false), new CashBalance("JPY", 600, 500, true)], state.CashBalances!);
        Assert.Empty((await _h.Payouts.OfDriverAsync("driver-3", Ct)).CashBalances!);
    }

    [Fact]
    public async Task A_lost_decision_is_made_by_the_redelivery_of_the_line()
    {
        await CashRideAsync("c1", 2_500);
        var written = Assert.Single(await CrossingsAsync());
        // As if the process had crashed after writing the line and before deciding: the decision and its message are gone.
        var stored = (await _h.Payouts.CashLimits.GetAsync("driver-1:EUR", Ct))!;
        await _h.Payouts.CashLimits.DeleteAsync(stored.Id, stored.Version, Ct);
        await _h.Database.Outbox.MarkPublishedAsync((await _h.Database.Outbox.GetPendingAsync(100, Ct)).Select(m => m.Id).ToList(), Ct);

        await CashRideAsync("c1", 2_500); // redelivered

        Assert.Equal([written], await CrossingsAsync());
    }

    [Fact]
    public async Task A_weekly_payout_of_older_card_earnings_can_leave_a_newer_cash_debt_past_the_limit()
    {
        var url = await _h.Payouts.StartOnboardingAsync("driver-1", Ct);
        await _h.Onboarding.SaveAsync(url["/connect/".Length..], "Dana Driver", "DE89 3704 0044 0532 0130 00", Ct);
        await CardRideAsync("k1", 3_000);                 // Wednesday
        _h.Clock.Now = new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero);
        await CashRideAsync("c1", 4_000);                 // Monday after the week's end: net −1000
        Assert.Empty(await CrossingsAsync());

        await _h.Payouts.PayOutDueAsync(10, Ct);          // pays the week's 3000; the cash debt stays

        Assert.Equal([("driver-1", "EUR", 4_000L, 2_000L, true, 1)], await CrossingsAsync());
    }
}
