using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;
using UberClone.Trips.Pricing;
using UberClone.Trips.Schedules;

namespace UberClone.Trips.Tests;

/// <summary>
/// Ride preferences (ADR 0049): the rider's setting, read and checked naming the field; copied onto each trip when it is
/// booked (now, for later, by a repeating ride); changed on the ride until it ends, the driver told through the outbox.
/// </summary>
public sealed class RidePreferencesTests : IDisposable
{
    private static readonly DateTimeOffset Now = TestTrips.Now;
    private static readonly GeoPoint Mitte = new(52.52, 13.40);
    private static readonly GeoPoint Kreuzberg = new(52.50, 13.45);
    private static readonly RidePreferences QuietWithBags = new(Conversation.Quiet, true, Temperature.Cooler);

    private readonly TripsDatabaseFile _file = new();
    private readonly TripRepository _repository;
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly TestMeters _meters = new();

    public RidePreferencesTests() => _repository = new TripRepository(_file.Database);

    public void Dispose()
    {
        _meters.Dispose();
        _file.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TripsApplication Trips()
    {
        var options = Options.Create(new PricingOptions());
        return TestApplications.Trips(_repository, _file.Database, options, _clock, _meters);
    }

    private Task<Trip> BookAsync(TripsApplication trips, Quote quote, DateTimeOffset? scheduledFor = null) =>
        trips.BookAsync("r1", quote.Id, "economy", scheduledFor, null, null, null, RideProfile.PersonalRide, withPet: false, payInCash: false,
            wheelchairAccessible: false, Ct);

    [Theory]
    [InlineData("quiet", true, "cooler", Conversation.Quiet, Temperature.Cooler)]
    [InlineData(" Chat ", false, "WARMER", Conversation.Chat, Temperature.Warmer)]
    [InlineData("none", false, "none", Conversation.NoPreference, Temperature.NoPreference)]
    [InlineData("", false, null, Conversation.NoPreference, Temperature.NoPreference)]
    public void Preferences_are_read_in_any_case_and_missing_means_no_preference(string? conversation, bool bags, string? temperature,
        Conversation expectedConversation, Temperature expectedTemperature) =>
        Assert.Equal(new RidePreferences(expectedConversation, bags, expectedTemperature), RidePreferences.Parse(conversation, bags, temperature));

    [Theory]
    [InlineData("silent", "cooler", "conversation")]
    [InlineData("quiet", "freezing", "temperature")]
    [InlineData("quiet ride", "none", "conversation")]
    public void A_preference_that_is_not_one_names_its_field(string conversation, string temperature, string field)
    {
        var ex = Assert.Throws<RidePreferencesInvalidException>(() => RidePreferences.Parse(conversation, false, temperature));
        Assert.StartsWith(field, ex.Message);
    }

    [Fact]
    public void The_wire_names_round_trip_and_no_preference_is_none()
    {
        Assert.Equal(new TripPreferences("quiet", true, "cooler"), QuietWithBags.ToEvent());
        Assert.Equal(new TripPreferences("none", false, "none"), RidePreferences.None.ToEvent());
        var back = QuietWithBags.ToEvent();
        Assert.Equal(QuietWithBags, RidePreferences.Parse(back.Conversation, back.HelpWithBags, back.Temperature));
    }

    [Fact]
    public void The_rider_changes_them_on_the_ride_until_it_ends()
    {
        var assigned = TestTrips.Assigned();
        Assert.Equal(RidePreferences.None, assigned.Preferences);

        var quiet = assigned.ChangePreferences("r1", QuietWithBags, Now.AddMinutes(1));
        Assert.Equal(QuietWithBags, quiet.Preferences);
        Assert.Same(quiet, quiet.ChangePreferences("r1", QuietWithBags, Now.AddMinutes(2))); // the same again

        // "Quiet ride" in the middle of the ride.
        var riding = TestTrips.InProgress().ChangePreferences("r1", QuietWithBags, Now.AddMinutes(10));
        Assert.Equal(Conversation.Quiet, riding.Preferences.Conversation);

        Assert.Throws<TripNotYoursException>(() => assigned.ChangePreferences("r2", QuietWithBags, Now));
        Assert.Throws<TripNotYoursException>(() => assigned.ChangePreferences("d1", QuietWithBags, Now));
        Assert.Throws<RidePreferencesClosedException>(() => TestTrips.Completed().ChangePreferences("r1", QuietWithBags, Now.AddMinutes(30)));
        var cancelled = assigned.CancelByRider("r1", "changed my mind", TestTrips.Rules, Now.AddMinutes(1));
        Assert.Throws<RidePreferencesClosedException>(() => cancelled.ChangePreferences("r1", QuietWithBags, Now.AddMinutes(2)));
    }

    [Fact]
    public async Task Booking_copies_the_riders_setting_and_a_later_change_of_the_setting_leaves_the_trip_as_booked()
    {
        var trips = Trips();
        Assert.Equal(RidePreferences.None, await trips.RidePreferencesAsync("r1", Ct));
        await trips.SetRidePreferencesAsync("r1", QuietWithBags, Ct);

        var booked = await BookAsync(trips, await trips.QuoteAsync("r1", Mitte, Kreuzberg, Ct));
        Assert.Equal(QuietWithBags, booked.Preferences);
        Assert.Equal(new TripPreferences("quiet", true, "cooler"), Assert.Single(await _file.PublishedAsync<TripCreatedIntegrationEvent>(Topics.TripCreated)).Preferences);

        await trips.SetRidePreferencesAsync("r1", RidePreferences.None, Ct);
        Assert.Equal(QuietWithBags, (await _repository.Trips.GetAsync(booked.Id, Ct))!.Document.Preferences);
        Assert.Equal(RidePreferences.None, await trips.RidePreferencesAsync("r1", Ct));
        Assert.Equal(RidePreferences.None, await trips.RidePreferencesAsync("r2", Ct)); // another rider's are their own
    }

    [Fact]
    public async Task A_rider_without_a_setting_books_without_preferences_and_the_offer_carries_none()
    {
        var trips = Trips();
        var booked = await BookAsync(trips, await trips.QuoteAsync("r1", Mitte, Kreuzberg, Ct));
        Assert.Equal(RidePreferences.None, booked.Preferences);
        Assert.Null(Assert.Single(await _file.PublishedAsync<TripCreatedIntegrationEvent>(Topics.TripCreated)).Preferences);
    }

    [Fact]
    public async Task A_ride_booked_for_later_and_a_repeating_ride_take_the_setting_as_it_is_when_they_are_booked()
    {
        var trips = Trips();
        await trips.SetRidePreferencesAsync("r1", QuietWithBags, Ct);
        var later = await BookAsync(trips, await trips.QuoteAsync("r1", Mitte, Kreuzberg, Ct), Now.AddHours(3));
        Assert.Equal((TripStatus.Scheduled, QuietWithBags), (later.Status, later.Preferences));

        var pricing = new PricingOptions();
        var schedules = new RideSchedules(_repository, trips, new CardChecks(), Options.Create(new RideScheduleRules()), Options.Create(new TripRules()),
            Options.Create(pricing), _clock, NullLogger<RideSchedules>.Instance);
        var commute = await schedules.CreateAsync("r1", [DayOfWeek.Monday], new TimeOnly(8, 15), "Europe/Berlin", Mitte, Kreuzberg, null, null, "economy",
            null, null, withPet: false, RideProfile.PersonalRide, wheelchairAccessible: false, Ct);
        // The setting changed after the schedule was made: its ride takes it as it is when booked.
        var chatty = new RidePreferences(Conversation.Chat, false, Temperature.Warmer);
        await trips.SetRidePreferencesAsync("r1", chatty, Ct);
        _clock.SetUtcNow(commute.BookAt.AddSeconds(1));
        Assert.Equal(1, await schedules.BookDueAsync(50, Ct));

        var booked = (await _repository.Trips.QueryAsync("riderId", "r1", 10, Ct)).Select(t => t.Document).Single(t => t.Id != later.Id);
        Assert.Equal(chatty, booked.Preferences);
    }

    [Fact]
    public async Task A_change_on_the_ride_is_written_with_the_event_for_the_driver_and_the_same_again_publishes_nothing()
    {
        var trips = Trips();
        var booked = await BookAsync(trips, await trips.QuoteAsync("r1", Mitte, Kreuzberg, Ct));

        var changed = await trips.ChangePreferencesAsync("r1", booked.Id, QuietWithBags, Ct);
        await trips.ChangePreferencesAsync("r1", booked.Id, QuietWithBags, Ct);

        Assert.Equal(QuietWithBags, changed.Preferences);
        var told = Assert.Single(await _file.PublishedAsync<TripPreferencesChangedIntegrationEvent>(Topics.TripPreferencesChanged));
        Assert.Equal((booked.Id, "r1", (string?)null, new TripPreferences("quiet", true, "cooler")), (told.TripId, told.RiderId, told.DriverId, told.Preferences));
        // Another rider's trip does not exist for them; the rider's own setting is untouched.
        await Assert.ThrowsAsync<TripNotFoundException>(() => trips.ChangePreferencesAsync("r2", booked.Id, RidePreferences.None, Ct));
        Assert.Equal(RidePreferences.None, await trips.RidePreferencesAsync("r1", Ct));
    }

    [Fact]
    public async Task An_erased_riders_setting_goes()
    {
        var trips = Trips();
        await trips.SetRidePreferencesAsync("r1", QuietWithBags, Ct);
        await trips.ForgetRidePreferencesAsync("r1", Ct);
        Assert.Null(await _repository.RidePreferences.GetAsync("r1", Ct));
    }
}
