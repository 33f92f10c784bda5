using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;
using UberClone.Trips.Pricing;
using UberClone.Trips.Schedules;

using static UberClone.Trips.Tests.TestPricing;

namespace UberClone.Trips.Tests;

/// <summary>
/// Wheelchair-accessible rides (ADR 0045): offered where the pickup's prices say so (an area never falls back to the
/// default's), at the same price; booking one elsewhere is refused naming the field; the trip and its search carry it,
/// booked now, for later or by a repeating ride; and waiting at the pickup is free longer.
/// </summary>
public sealed class WheelchairAccessibleTests : IDisposable
{
    private static readonly DateTimeOffset Now = TestTrips.Now;
    private static readonly GeoPoint Mitte = new(52.52, 13.40);
    private static readonly GeoPoint Kreuzberg = new(52.50, 13.45);
    private static readonly FareBreakdown Fare = new(250, 700, 350, 0, 0, 200);

    private readonly TripsDatabaseFile _file = new();
    private readonly TripRepository _repository;
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly TestMeters _meters = new();

    public WheelchairAccessibleTests() => _repository = new TripRepository(_file.Database);

    public void Dispose()
    {
        _meters.Dispose();
        _file.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Quote QuoteOffering(bool wheelchairAccessible) => new()
    {
        Id = "q1", RiderId = "r1", Pickup = Mitte, Dropoff = Kreuzberg, DistanceMeters = 5_000, DurationSeconds = 600,
        WheelchairAccessible = wheelchairAccessible, CreatedAt = Now, ExpiresAt = Now.AddMinutes(10),
        Options = [new QuoteOption("economy", Fare.TotalMinor, "USD", 1.0, Fare, 30)],
    };

    private static Trip Arrived(bool wheelchairAccessible)
    {
        var quote = QuoteOffering(true);
        return Trip.Request("t1", "r1", quote, quote.Options[0], "4321", Now, wheelchairAccessible: wheelchairAccessible)
            .AssignDriver("d1", null, Now.AddSeconds(10))
            .Arrive("d1", new GeoPoint(52.5201, 13.40), TestTrips.Rules, Now.AddMinutes(5));
    }

    private TripsApplication Trips(PricingOptions pricing)
    {
        var options = Options.Create(pricing);
        return TestApplications.Trips(_repository, _file.Database, options, _clock, _meters);
    }

    private RideSchedules Schedules(PricingOptions pricing) =>
        new(_repository, Trips(pricing), new CardChecks(), Options.Create(new RideScheduleRules()), Options.Create(new TripRules()), Options.Create(pricing), _clock,
            NullLogger<RideSchedules>.Instance);

    [Fact]
    public void Offered_where_the_pickups_prices_say_so_and_an_area_never_falls_back_to_the_defaults()
    {
        Assert.False(new PricingOptions().At(Mitte)!.WheelchairAccessible);

        var options = Bound([("Pricing:WheelchairAccessible", "true"), .. TokyoArea]);
        Assert.True(options.At(Mitte)!.WheelchairAccessible);
        Assert.False(options.At(Tokyo)!.WheelchairAccessible);
        Assert.True(Bound([.. TokyoArea, ("Pricing:Areas:0:WheelchairAccessible", "true")]).At(Tokyo)!.WheelchairAccessible);
    }

    [Fact]
    public void A_wheelchair_accessible_ride_costs_the_same_and_where_not_offered_is_refused_naming_the_field()
    {
        var quote = QuoteOffering(true);
        var plain = Trip.Request("t1", "r1", quote, quote.Options[0], "4321", Now);
        var accessible = Trip.Request("t2", "r1", quote, quote.Options[0], "4321", Now, wheelchairAccessible: true);

        Assert.True(accessible.WheelchairAccessible);
        Assert.False(plain.WheelchairAccessible);
        Assert.Equal((plain.FareMinor, plain.Breakdown, plain.UpfrontPriceMinor), (accessible.FareMinor, accessible.Breakdown, accessible.UpfrontPriceMinor));

        var refused = Assert.Throws<TripRuleException>(() =>
            Trip.Request("t3", "r1", QuoteOffering(false), QuoteOffering(false).Options[0], "4321", Now, wheelchairAccessible: true));
        Assert.StartsWith("wheelchairAccessible:", refused.Message);
        // A ride without it is booked anywhere.
        Assert.False(Trip.Request("t4", "r1", QuoteOffering(false), QuoteOffering(false).Options[0], "4321", Now).WheelchairAccessible);
    }

    [Fact]
    public void A_ride_booked_for_later_keeps_it_until_its_search_starts()
    {
        var quote = QuoteOffering(true);
        var reserved = Trip.Reserve("t1", "r1", quote, quote.Options[0], "4321", Now.AddHours(2), TestTrips.Rules, Now, wheelchairAccessible: true);

        Assert.True(reserved.WheelchairAccessible);
        Assert.True(reserved.StartDispatch(Now.AddHours(2) - TestTrips.Rules.ScheduledDispatchLead).WheelchairAccessible);
        Assert.Throws<TripRuleException>(() =>
            Trip.Reserve("t2", "r1", QuoteOffering(false), QuoteOffering(false).Options[0], "4321", Now.AddHours(2), TestTrips.Rules, Now, wheelchairAccessible: true));
    }

    [Fact]
    public void Waiting_at_the_pickup_is_free_longer_and_a_no_show_comes_that_much_later_only_for_a_wheelchair_accessible_ride()
    {
        var rules = TestTrips.Rules;
        var arrivedAt = Now.AddMinutes(5);
        var plain = Arrived(wheelchairAccessible: false);
        var accessible = Arrived(wheelchairAccessible: true);

        Assert.Equal(arrivedAt + rules.FreeWait, plain.FreeWaitUntil);
        Assert.Equal(arrivedAt + rules.FreeWait + rules.WheelchairExtraFreeWait, accessible.FreeWaitUntil);
        Assert.Equal(TimeSpan.FromMinutes(7), accessible.FreeWaitUntil - arrivedAt);

        // Six minutes after arriving: the plain ride's rider pays four minutes of waiting, the accessible ride's nothing.
        var sixMinutes = arrivedAt.AddMinutes(6);
        Assert.Equal(120, plain.WaitFeeAt(sixMinutes));
        Assert.Equal(0, accessible.WaitFeeAt(sixMinutes));
        Assert.Equal(0, accessible.Start("d1", "4321", sixMinutes, out _).Breakdown!.WaitMinor);

        Assert.Equal(arrivedAt + rules.NoShowWait, plain.NoShowFrom(rules));
        Assert.Equal(arrivedAt + rules.NoShowWait + rules.WheelchairExtraFreeWait, accessible.NoShowFrom(rules));
        Assert.Equal(TripStatus.Cancelled, plain.ReportNoShow("d1", rules, sixMinutes).Status);
        var early = Assert.Throws<TripRuleException>(() => accessible.ReportNoShow("d1", rules, sixMinutes));
        Assert.Contains("10 min after arriving", early.Message);
        Assert.Equal(TripStatus.Cancelled, accessible.ReportNoShow("d1", rules, arrivedAt.AddMinutes(10)).Status);
    }

    [Fact]
    public async Task The_quote_says_where_it_is_offered_and_the_search_asks_for_it()
    {
        var offering = Trips(new PricingOptions { WheelchairAccessible = true });
        var quote = await offering.QuoteAsync("r1", Mitte, Kreuzberg, Ct);
        Assert.True(quote.WheelchairAccessible);

        var trip = await offering.BookAsync("r1", quote.Id, "economy", null, null, null, null, RideProfile.PersonalRide, withPet: false, payInCash: false,
            wheelchairAccessible: true, Ct);

        Assert.True(trip.WheelchairAccessible);
        Assert.True(Assert.Single(await _file.PublishedAsync<TripCreatedIntegrationEvent>(Topics.TripCreated)).WheelchairAccessible);
        Assert.True((await _repository.Trips.GetAsync(trip.Id, Ct))!.Document.WheelchairAccessible);
    }

    [Fact]
    public async Task Where_the_prices_do_not_offer_it_booking_is_refused_and_nothing_is_created()
    {
        var plain = Trips(new PricingOptions());
        var quote = await plain.QuoteAsync("r1", Mitte, Kreuzberg, Ct);
        Assert.False(quote.WheelchairAccessible);

        var refused = await Assert.ThrowsAsync<TripRuleException>(() => plain.BookAsync("r1", quote.Id, "economy", null, null, null, null,
            RideProfile.PersonalRide, withPet: false, payInCash: false, wheelchairAccessible: true, Ct));

        Assert.StartsWith("wheelchairAccessible:", refused.Message);
        Assert.Empty(await _file.PublishedAsync<TripCreatedIntegrationEvent>(Topics.TripCreated));
        Assert.Null(await _repository.Trips.GetAsync("t" + quote.Id, Ct));
    }

    [Fact]
    public async Task A_repeating_ride_asks_for_it_on_every_ride_it_books_and_is_refused_where_it_is_not_offered()
    {
        await Assert.ThrowsAsync<TripRuleException>(() => Schedules(new PricingOptions()).CreateAsync("r1", [DayOfWeek.Monday], new TimeOnly(8, 15),
            "Europe/Berlin", Mitte, Kreuzberg, null, null, "economy", null, null, withPet: false, RideProfile.PersonalRide, wheelchairAccessible: true, Ct));

        var schedules = Schedules(new PricingOptions { WheelchairAccessible = true });
        var commute = await schedules.CreateAsync("r1", [DayOfWeek.Monday], new TimeOnly(8, 15), "Europe/Berlin", Mitte, Kreuzberg, null, null, "economy",
            null, null, withPet: false, RideProfile.PersonalRide, wheelchairAccessible: true, Ct);
        Assert.True(commute.WheelchairAccessible);

        _clock.SetUtcNow(commute.BookAt.AddSeconds(1));
        Assert.Equal(1, await schedules.BookDueAsync(50, Ct));

        var booked = Assert.Single((await _repository.Trips.QueryAsync("riderId", "r1", 10, Ct)).Select(t => t.Document));
        Assert.Equal((TripStatus.Scheduled, true), (booked.Status, booked.WheelchairAccessible));
    }
}
