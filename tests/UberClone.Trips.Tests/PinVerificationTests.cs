using UberClone.Contracts;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Tests;

/// <summary>"Verify my rides with a PIN" (ADR 0044): which rides get one, and starting a ride with or without it.</summary>
public class PinVerificationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly GeoPoint Pickup = new(43.7731, 11.2560);
    private static readonly TripRules Rules = new();

    private static Trip Arrived(string pin)
    {
        var quote = new Quote
        {
            Id = "q1", RiderId = "r1", Pickup = Pickup, Dropoff = new GeoPoint(43.7696, 11.2558),
            DistanceMeters = 2_000, DurationSeconds = 400, CreatedAt = Now, ExpiresAt = Now.AddMinutes(10),
            Options = [new QuoteOption("economy", 1_200, "EUR", 1.0)],
        };
        return Trip.Request("t1", "r1", quote, quote.Options[0], pin, Now)
            .AssignDriver("d1", null, Now.AddSeconds(10))
            .Arrive("d1", Pickup, Rules, Now.AddMinutes(3));
    }

    private static Trip WrongTimes(Trip trip, int times, DateTimeOffset at)
    {
        for (var i = 0; i < times; i++) trip = trip.Start("d1", "0000", Rules, at, out _);
        return trip;
    }

    [Fact]
    public void A_ride_without_a_pin_starts_without_one()
    {
        var started = Arrived("").Start("d1", "", Rules, Now.AddMinutes(4), out var accepted);
        Assert.True(accepted);
        Assert.False(started.PinRequired);
        Assert.Equal(TripStatus.InProgress, started.Status);
    }

    [Fact]
    public void A_ride_with_a_pin_is_not_started_without_it()
    {
        var arrived = Arrived("4821");
        Assert.True(arrived.PinRequired);
        var ex = Assert.Throws<PinMissingException>(() => arrived.Start("d1", "", Rules, Now.AddMinutes(4), out _));
        Assert.StartsWith("pin", ex.Message);
    }

    [Fact]
    public void Five_wrong_pins_lock_the_start_for_a_minute_even_with_the_right_pin()
    {
        var at = Now.AddMinutes(4);
        var fourWrong = WrongTimes(Arrived("4821"), 4, at);
        Assert.Null(fourWrong.PinLockedUntil);
        var fiveWrong = fourWrong.Start("d1", "0000", Rules, at, out var accepted);
        Assert.False(accepted);
        Assert.Equal(5, fiveWrong.WrongPinAttempts);
        Assert.Equal(at + Rules.PinLockout, fiveWrong.PinLockedUntil);

        var ex = Assert.Throws<PinAttemptsExceededException>(() => fiveWrong.Start("d1", "4821", Rules, at.AddSeconds(20), out _));
        Assert.Equal(TimeSpan.FromSeconds(40), ex.RetryAfter);
    }

    [Fact]
    public void The_right_pin_starts_the_ride_once_the_lockout_passed()
    {
        var at = Now.AddMinutes(4);
        var locked = WrongTimes(Arrived("4821"), 5, at);
        var started = locked.Start("d1", "4821", Rules, at + Rules.PinLockout, out var accepted);
        Assert.True(accepted);
        Assert.Equal(TripStatus.InProgress, started.Status);
    }

    [Fact]
    public void Each_wrong_pin_after_the_fifth_locks_again()
    {
        var at = Now.AddMinutes(4);
        var sixth = WrongTimes(Arrived("4821"), 5, at).Start("d1", "1111", Rules, at + Rules.PinLockout, out _);
        Assert.Equal(6, sixth.WrongPinAttempts);
        Assert.Equal(at + 2 * Rules.PinLockout, sixth.PinLockedUntil);
    }

    [Fact]
    public void A_lockout_takes_its_length_from_the_rules()
    {
        var rules = new TripRules { PinLockout = TimeSpan.FromSeconds(5) };
        var locked = WrongTimes(Arrived("4821"), 4, Now).Start("d1", "0000", rules, Now, out _);
        Assert.Equal(Now.AddSeconds(5), locked.PinLockedUntil);
    }

    [Fact]
    public void Off_gives_no_pin_and_always_gives_four_random_digits()
    {
        Assert.Equal("", new PinVerification(PinMode.Off, "").PinFor(Now));
        var pins = Enumerable.Range(0, 50).Select(_ => new PinVerification(PinMode.Always, "").PinFor(Now)).ToList();
        Assert.All(pins, pin => Assert.Matches("^[0-9]{4}$", pin));
        Assert.True(pins.Distinct().Count() > 1, "PINs must not repeat for every ride");
    }

    [Fact]
    public void A_rider_who_never_chose_has_a_pin_on_every_ride() =>
        Assert.True(PinVerification.Default.RequiresPinAt(Now));

    [Theory]
    [InlineData("2026-11-25T19:59:00Z", false)] // 20:59 in Florence (CET, UTC+1)
    [InlineData("2026-11-25T20:00:00Z", true)]  // 21:00
    [InlineData("2026-11-26T04:59:00Z", true)]  // 05:59
    [InlineData("2026-11-26T05:00:00Z", false)] // 06:00
    [InlineData("2026-07-15T19:00:00Z", true)]  // 21:00 in summer (CEST, UTC+2)
    [InlineData("2026-07-15T04:30:00Z", false)] // 06:30 in summer
    [InlineData("2026-03-28T19:30:00Z", false)] // 20:30 the evening before the clocks go forward
    [InlineData("2026-03-29T19:30:00Z", true)]  // 21:30 the evening they went forward: the same UTC hour is night now
    [InlineData("2026-03-29T00:30:00Z", true)]  // 01:30, just before the skipped hour
    [InlineData("2026-10-24T04:30:00Z", false)] // 06:30 the morning before the clocks go back (CEST)
    [InlineData("2026-10-25T04:30:00Z", true)]  // 05:30 the morning they went back (CET): the same UTC hour is still night
    public void At_night_means_21_to_6_on_the_phones_clock_daylight_saving_included(string utc, bool needsPin)
    {
        var setting = PinVerification.Parse("night", "Europe/Rome");
        Assert.Equal(needsPin, setting.RequiresPinAt(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("sometimes", "Europe/Rome", "mode")]
    [InlineData("", "Europe/Rome", "mode")]
    [InlineData("night", "", "timeZone")]
    [InlineData("night", "Mars/Olympus", "timeZone")]
    [InlineData("always", "Not/AZone", "timeZone")]
    public void A_setting_that_is_not_one_names_its_field(string mode, string timeZone, string field)
    {
        var ex = Assert.Throws<PinVerificationInvalidException>(() => PinVerification.Parse(mode, timeZone));
        Assert.StartsWith(field, ex.Message);
    }

    [Fact]
    public void Off_and_always_need_no_time_zone()
    {
        Assert.Equal(new PinVerification(PinMode.Off, ""), PinVerification.Parse("off", ""));
        Assert.Equal(new PinVerification(PinMode.Always, "Europe/Rome"), PinVerification.Parse(" Always ", "Europe/Rome"));
    }
}
