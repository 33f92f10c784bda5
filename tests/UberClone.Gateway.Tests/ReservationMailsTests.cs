using UberClone.Contracts.Common;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Contracts.Trips;
using UberClone.Gateway.RiderMail;

namespace UberClone.Gateway.Tests;

/// <summary>What a rider is mailed when a ride booked for later ends without a ride (ReservationMails has no I/O).</summary>
public sealed class ReservationMailsTests
{
    private static readonly MailRecipient Ana = new("ana@example.com", "Ana Lima", null);
    private static readonly DateTimeOffset At = new(2026, 12, 4, 17, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_ride_booked_for_later_that_trips_cancelled_says_why_and_that_nothing_was_charged()
    {
        var mail = ReservationMails.Cancelled(Ana, Reserved(), Cancelled("system", "You had a trip in progress when its time came."));

        Assert.NotNull(mail);
        Assert.Equal("Your UberClone ride for 4 Dec, 17:30 UTC was cancelled", mail.Subject);
        Assert.Equal(
            """
            Hello Ana Lima,

            We cancelled the ride you booked for 4 Dec 2026, 17:30 UTC: You had a trip in progress when its time came. Nothing was charged.

            Ride        Economy, 2.0 km, 6 min
            From        52.5200, 13.4050
            To          52.5380, 13.4050
            Trip        t9

            To ride, request one now in the app or book for later again.

            """.ReplaceLineEndings(), mail.Body.ReplaceLineEndings());
    }

    [Fact]
    public void Support_cancelling_it_is_named_and_a_fee_is_stated()
    {
        var mail = ReservationMails.Cancelled(Ana, Reserved(), Cancelled("operator", "duplicate booking", feeMinor: 500));
        Assert.Contains("Support cancelled the ride you booked for 4 Dec 2026, 17:30 UTC: duplicate booking. A cancellation fee of €5.00 applies", mail!.Body);
    }

    [Fact]
    public void Nothing_is_mailed_for_the_riders_own_cancellation_or_a_ride_requested_for_now()
    {
        Assert.Null(ReservationMails.Cancelled(Ana, Reserved(), Cancelled("rider", "plans changed")));
        var now = Reserved();
        now.ScheduledFor = "";
        Assert.Null(ReservationMails.Cancelled(Ana, now, Cancelled("system", "no payment")));
        Assert.Null(ReservationMails.NoDriverFound(Ana, now, new TripNoDriversFoundIntegrationEvent("t9", "r1", At)));
    }

    [Fact]
    public void No_driver_for_a_ride_booked_for_later_says_it_will_not_happen()
    {
        var mail = ReservationMails.NoDriverFound(Ana, Reserved(), new TripNoDriversFoundIntegrationEvent("t9", "r1", At));
        Assert.Equal("No driver for your UberClone ride at 4 Dec, 17:30 UTC", mail!.Subject);
        Assert.Contains("none took it, so it will not happen. Nothing was charged.", mail.Body);
    }

    [Fact]
    public void A_booking_is_confirmed_with_its_time_price_search_start_and_how_to_cancel()
    {
        var trip = Reserved();
        trip.Status = "scheduled";
        var booked = new TripScheduledIntegrationEvent("t9", "r1", "economy", new(52.52, 13.405), new(52.538, 13.405), 1_250, "EUR",
            new DateTimeOffset(2026, 12, 4, 17, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 4, 17, 15, 0, TimeSpan.Zero), At);

        var mail = ReservationMails.Booked(Ana, trip, booked);

        Assert.Equal("Your UberClone ride is booked for 4 Dec, 17:30 UTC", mail!.Subject);
        Assert.Contains("Your ride is booked for 4 Dec 2026, 17:30 UTC, at €12.50 (the price you were quoted). "
            + "We start looking for your driver at 17:15 UTC; the app tells you when one is on the way.", mail.Body);
        Assert.Contains("Cancel it in the app, free of charge, until we start looking for your driver.", mail.Body);
        // Cancelled (or already dispatching) before the mail went: no confirmation of something that is over.
        trip.Status = "cancelled";
        Assert.Null(ReservationMails.Booked(Ana, trip, booked));
    }

    [Fact]
    public void The_reminder_says_when_and_where_to_be_in_the_riders_time_zone_and_that_cancelling_is_still_free()
    {
        var trip = Reserved();
        trip.Status = "scheduled";
        var reminder = new TripReservationReminderIntegrationEvent("t9", "r1", "economy", new(52.52, 13.405), new(52.538, 13.405), 1_250, "EUR",
            new DateTimeOffset(2026, 12, 4, 17, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 4, 17, 15, 0, TimeSpan.Zero), At.AddMinutes(-30));
        var berlin = Ana with { Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin") };

        var mail = ReservationMails.Reminder(berlin, trip, reminder);

        Assert.Equal("Reminder: your UberClone ride at 18:30 Europe/Berlin, in 1 hour", mail!.Subject);
        Assert.Equal(
            """
            Hello Ana Lima,

            Your ride booked for 4 Dec 2026, 18:30 Europe/Berlin is in 1 hour, at €12.50. We start looking for your driver at 18:15 Europe/Berlin; please be at the pickup by 18:30 Europe/Berlin.

            Ride        Economy, 2.0 km, 6 min
            From        52.5200, 13.4050
            To          52.5380, 13.4050
            Trip        t9

            Plans changed? Cancel it in the app, free of charge, until we start looking for your driver.

            """.ReplaceLineEndings(), mail.Body.ReplaceLineEndings());
        Assert.Equal("ride-reminder", mail.Kind);
        // A reminder that went late (the service was down) says how long is left.
        Assert.EndsWith("in 20 minutes", ReservationMails.Reminder(berlin, trip, reminder with { RemindedAt = At.AddMinutes(10) })!.Subject);
        // Cancelled, or already searching, by the time the reminder is handled: nothing to remind of.
        trip.Status = "searching";
        Assert.Null(ReservationMails.Reminder(berlin, trip, reminder));
    }

    [Fact]
    public void A_ride_moved_to_another_time_is_confirmed_with_both_times_and_the_unchanged_price()
    {
        var trip = Reserved();
        trip.Status = "scheduled";
        trip.ScheduledFor = "2026-12-05T08:00:00Z";
        var moved = new TripRescheduledIntegrationEvent("t9", "r1", new DateTimeOffset(2026, 12, 4, 17, 30, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 5, 7, 45, 0, TimeSpan.Zero), 1_250, "EUR", At);

        var mail = ReservationMails.Rescheduled(Ana, trip, moved);

        Assert.Equal(("Your UberClone ride is moved to 5 Dec, 08:00 UTC", "ride-rescheduled"), (mail!.Subject, mail.Kind));
        Assert.Contains("Your ride booked for 4 Dec 2026, 17:30 UTC is now for 5 Dec 2026, 08:00 UTC, at the same price, €12.50. "
            + "We start looking for your driver at 07:45 UTC.", mail.Body);
        // Moved again since (a later event tells that), or no longer waiting: nothing.
        trip.ScheduledFor = "2026-12-05T09:00:00Z";
        Assert.Null(ReservationMails.Rescheduled(Ana, trip, moved));
        trip.ScheduledFor = "2026-12-05T08:00:00Z";
        trip.Status = "searching";
        Assert.Null(ReservationMails.Rescheduled(Ana, trip, moved));
    }

    [Fact]
    public void The_driver_of_a_ride_booked_for_later_is_named_with_the_car_to_look_for()
    {
        var trip = Reserved();
        trip.Status = "driver_assigned";
        trip.Driver = new AssignedDriver { DriverId = "d7" };
        var assigned = new TripDriverAssignedIntegrationEvent("t9", "r1", "d7", "economy", null, At);

        var mail = ReservationMails.DriverAssigned(Ana with { DriverFirstName = "Dora", DriverCar = "white Toyota Prius, plate B-UC 1234" }, trip, assigned);

        Assert.Equal("Dora is your UberClone driver for 17:30 UTC", mail!.Subject);
        Assert.Contains("Dora accepted the ride you booked for 4 Dec 2026, 17:30 UTC and is on the way to the pickup in a white Toyota Prius, plate B-UC 1234.", mail.Body);
        // Not for a ride requested now, nor for a driver who is no longer the one.
        Assert.Null(ReservationMails.DriverAssigned(Ana, trip, assigned with { DriverId = "d8" }));
        trip.ScheduledFor = "";
        Assert.Null(ReservationMails.DriverAssigned(Ana, trip, assigned));
    }

    [Fact]
    public void A_driver_who_reserved_the_ride_is_named_with_the_car_and_the_time_and_nothing_once_they_no_longer_hold_it()
    {
        var trip = Reserved();
        trip.Status = "scheduled";
        trip.Reservation = new DriverReservation { DriverId = "d7", ReservedAt = "2026-12-03T10:00:00Z" };
        var reserved = new TripReservedIntegrationEvent("t9", "r1", "d7", DateTimeOffset.Parse("2026-12-04T17:30:00Z"), At.AddDays(-1));

        var mail = ReservationMails.Reserved(Ana with { DriverFirstName = "Dora", DriverCar = "white Toyota Prius, plate B-UC 1234" }, trip, reserved);

        Assert.Equal("Dora will pick you up at 17:30 UTC", mail!.Subject);
        Assert.Contains("Dora (white Toyota Prius, plate B-UC 1234) reserved the ride you booked for 4 Dec 2026, 17:30 UTC", mail.Body);
        // Released (or another driver's) by the time this is handled, or its search started: nothing.
        Assert.Null(ReservationMails.Reserved(Ana, trip, reserved with { DriverId = "d8" }));
        trip.Status = "searching";
        Assert.Null(ReservationMails.Reserved(Ana, trip, reserved));
    }

    private static TripCancelledIntegrationEvent Cancelled(string by, string reason, long feeMinor = 0) =>
        new("t9", "r1", null, by, reason, feeMinor, "EUR", At);

    private static Trip Reserved() => new()
    {
        TripId = "t9",
        RiderId = "r1",
        Status = "cancelled",
        VehicleClass = "economy",
        Pickup = new LatLng { Lat = 52.52, Lng = 13.405 },
        Dropoff = new LatLng { Lat = 52.538, Lng = 13.405 },
        DistanceMeters = 2_000,
        DurationSeconds = 6 * 60,
        ScheduledFor = "2026-12-04T17:30:00Z",
    };
}
