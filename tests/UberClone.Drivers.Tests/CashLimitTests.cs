using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Domain;
using UberClone.Drivers.IntegrationEvents.EventHandling;
using UberClone.Messaging;

namespace UberClone.Drivers.Tests;

/// <summary>
/// The cash balance limit (ADR 0042): a driver payments says owes more than the limit from cash rides is offered no cash
/// ride, however near, until payments says it is covered; rides paid in the app still are, and their own "Accept cash
/// rides" stays as they set it. Payments' decisions are kept per currency, in the order of their crossings.
/// </summary>
public sealed class CashLimitTests : StoreBackedTest
{
    private static readonly GeoPoint Pickup = new(48.137, 11.575);
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private readonly DriversProcess _process;
    private readonly DriverCashLimitIntegrationEventHandler _handler;

    public CashLimitTests()
        : base("cashlimit", Now)
    {
        _process = DriversProcess.Open(StoreFile, Clock, Options.Create(new DispatchOptions()), Meters);
        _handler = new DriverCashLimitIntegrationEventHandler(_process.Drivers, NullLogger<DriverCashLimitIntegrationEventHandler>.Instance);
    }

    public override void Dispose()
    {
        _process.Dispose();
        base.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static GeoPoint North(double meters) => new(Pickup.Lat + meters / 111_195.0, Pickup.Lng);

    private TripCreatedIntegrationEvent Trip(string id, bool payInCash) =>
        new(id, "r-" + id, "economy", Pickup, North(5_000), 1_800, "EUR", 5_000, 600, Clock.GetUtcNow(), PayInCash: payInCash);

    private Task TellAsync(string driverId, bool reached, int crossing, string currency = "EUR", long owed = 6_240) =>
        _handler.HandleAsync(new DriverCashLimitIntegrationEvent(driverId, currency, owed, 5_000, reached, crossing, Clock.GetUtcNow()),
            new MessageContext("m-" + Guid.NewGuid().ToString("N"), Topics.PaymentDriverCashLimit, driverId, nameof(DriverCashLimitIntegrationEvent), Clock.GetUtcNow(), 1), Ct);

    private static CashLimitState Limit(bool reached, int crossing, string currency = "EUR") => new(currency, reached, 6_240, 5_000, crossing, Now);

    [Fact]
    public void A_driver_past_the_limit_takes_no_cash_ride_until_a_newer_crossing_says_it_is_covered_and_keeps_their_own_setting()
    {
        var driver = Driver.New("d1", "economy", Now).GoOnline("economy", Pickup, Now);
        Assert.False(driver.CashPaused);

        var paused = driver.WithCashLimit(Limit(reached: true, crossing: 1), Now.AddMinutes(1));
        Assert.True(paused.CashPaused);
        Assert.True(paused.AcceptsCash); // their own setting is untouched
        Assert.False(paused.Takes(Needs.Cash));
        Assert.True(paused.Takes(RideNeeds.None));
        Assert.Equal(driver.Revision + 1, paused.Revision); // announced to the other replicas

        Assert.Same(paused, paused.WithCashLimit(Limit(reached: true, crossing: 1), Now.AddMinutes(2))); // redelivered
        var resumed = paused.WithCashLimit(Limit(reached: false, crossing: 2), Now.AddMinutes(3));
        Assert.True(resumed.Takes(Needs.Cash));
        Assert.Same(resumed, resumed.WithCashLimit(Limit(reached: true, crossing: 1), Now.AddMinutes(4))); // the older one, late

        // Past the limit in one currency is enough; a driver who declines cash is not offered it when covered either.
        var twoCurrencies = resumed.WithCashLimit(Limit(reached: true, crossing: 1, currency: "JPY"), Now.AddMinutes(5));
        Assert.False(twoCurrencies.Takes(Needs.Cash));
        Assert.Equal(["EUR", "JPY"], twoCurrencies.CashLimits!.Select(c => c.Currency).Order());
        Assert.False(resumed.AcceptCash(false, Now.AddMinutes(6)).Takes(Needs.Cash));

        var afterOffline = paused.GoOffline(Now.AddHours(1)).GoOnline("economy", Pickup, Now.AddHours(2));
        Assert.True(afterOffline.CashPaused); // owing does not end by going offline
    }

    [Fact]
    public async Task A_ride_paid_in_cash_passes_over_a_nearer_driver_past_the_limit_until_payments_says_it_is_covered()
    {
        await _process.Drivers.GoOnlineAsync("near-owing", "economy", North(100), Ct);
        await _process.Drivers.GoOnlineAsync("far", "economy", North(2_000), Ct);
        await TellAsync("near-owing", reached: true, crossing: 1);
        await TellAsync("near-owing", reached: true, crossing: 1); // redelivered

        var stored = await _process.Drivers.GetAsync("near-owing", Ct);
        Assert.Equal((true, true, 6_240L), (stored.CashPaused, stored.AcceptsCash, stored.CashLimits!.Single().OwedMinor));
        Assert.True(_process.Registry.Get("near-owing")!.CashPaused);

        await _process.Dispatcher.StartAsync(Trip("cash-1", payInCash: true), Ct);
        Assert.Equal(DriverStates.Available, _process.Registry.Get("near-owing")!.State);
        Assert.Equal("cash-1", _process.Registry.Get("far")!.Offer?.TripId);
        await _process.Drivers.DeclineAsync("far", "cash-1", "busy", Ct);

        // A ride paid in the app still goes to them.
        await _process.Dispatcher.StartAsync(Trip("card-1", payInCash: false), Ct);
        Assert.Equal("card-1", _process.Registry.Get("near-owing")!.Offer?.TripId);
        await _process.Drivers.DeclineAsync("near-owing", "card-1", "busy", Ct);

        await TellAsync("near-owing", reached: false, crossing: 2, owed: 1_200);
        await _process.Dispatcher.StartAsync(Trip("cash-2", payInCash: true), Ct);
        Assert.Equal(("cash-2", true), (_process.Registry.Get("near-owing")!.Offer?.TripId, _process.Registry.Get("near-owing")!.Offer?.PayInCash));
    }

    [Fact]
    public async Task A_driver_who_never_went_online_is_not_written_by_a_crossing()
    {
        await TellAsync("nobody", reached: true, crossing: 1);

        Assert.Null(await _process.Repository.Drivers.GetAsync("nobody", Ct));
    }

    [Fact]
    public void A_driver_past_the_limit_who_becomes_available_does_not_wake_a_waiting_ride_paid_in_cash()
    {
        var waiting = new WaitingSearches(Clock);
        waiting.Wait(Search("t-cash", payInCash: true), 3_000, Now.AddSeconds(2));
        var wake = Extensions.Extensions.WakeSearchesNear(waiting);
        var paused = Driver.New("d1", "economy", Now).GoOnline("economy", North(500), Now).WithCashLimit(Limit(reached: true, crossing: 1), Now);

        wake(paused, North(500));
        Assert.Equal(1, waiting.Count);
        Assert.False(waiting.Woken.TryRead(out _));

        wake(paused.WithCashLimit(Limit(reached: false, crossing: 2), Now), North(500));
        Assert.True(waiting.Woken.TryRead(out var woken));
        Assert.Equal(("t-cash", 0), (woken, waiting.Count));
    }

    private static TripDispatch Search(string id, bool payInCash) => new()
    {
        Id = id, RiderId = "r-" + id, VehicleClass = "economy", Pickup = Pickup, Dropoff = North(4_000), FareMinor = 1_500,
        Currency = "EUR", Status = DispatchStatus.Searching, StartedAt = Now.AddSeconds(-30), GiveUpAt = Now.AddSeconds(90),
        NextAttemptAt = Now.AddSeconds(2), EmptySearches = 1, PayInCash = payInCash,
    };
}
