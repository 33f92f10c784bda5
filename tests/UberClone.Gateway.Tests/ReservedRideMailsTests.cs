using Microsoft.Extensions.DependencyInjection;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.DriverMail;
using UberClone.Gateway.Mail;
using UberClone.Gateway.RiderMail;
using UberClone.Messaging;
using UberClone.Storage;

namespace UberClone.Gateway.Tests;

public sealed class ReservedRideMailsTests
{
    [Fact]
    public void A_reserving_driver_is_reminded_when_and_where_the_pickup_is_and_by_when_to_be_online()
    {
        var vienna = TimeZoneInfo.FindSystemTimeZoneById("Europe/Vienna");
        var to = new MailRecipient("dana@example.com", "Dana", null, vienna);
        var pickupAt = new DateTimeOffset(2026, 12, 14, 7, 15, 0, TimeSpan.Zero); // 08:15 in Vienna
        var reminder = new TripReservationDriverReminderIntegrationEvent("t1", "r1", "d1", "economy", new GeoPoint(48.31, 14.29),
            pickupAt, pickupAt.AddMinutes(-15), pickupAt.AddMinutes(-60));

        var mail = ReservedRideMails.Reminder(to, reminder);

        Assert.Equal(("dana@example.com", "Reserved ride at 08:15 Europe/Vienna, in 60 min: be online by 08:00", "driver-reserved-ride-reminder"), (mail.To, mail.Subject, mail.Kind));
        Assert.Contains("The economy ride you reserved picks up at 14 Dec 2026, 08:15 Europe/Vienna, near 48.31, 14.29.", mail.Body);
        Assert.Contains("Be online by 08:00", mail.Body);
    }

    [Fact]
    public void The_reminder_names_whom_to_pick_up_by_first_name()
    {
        var vienna = TimeZoneInfo.FindSystemTimeZoneById("Europe/Vienna");
        var to = new MailRecipient("dana@example.com", "Dana", null, vienna);
        var pickupAt = new DateTimeOffset(2026, 12, 14, 7, 15, 0, TimeSpan.Zero);
        var reminder = new TripReservationDriverReminderIntegrationEvent("t1", "r1", "d1", "economy", new GeoPoint(48.31, 14.29),
            pickupAt, pickupAt.AddMinutes(-15), pickupAt.AddMinutes(-60), PickupName: "Ana");

        var mail = ReservedRideMails.Reminder(to, reminder);

        Assert.Equal("Pick up Ana at 08:15 Europe/Vienna, in 60 min: be online by 08:00", mail.Subject);
        Assert.Contains("The economy ride you reserved picks up Ana at 14 Dec 2026, 08:15 Europe/Vienna, near 48.31, 14.29.", mail.Body);
    }

    [Fact]
    public void A_driver_excused_from_a_reserved_ride_is_told_it_went_to_another_driver_and_is_no_strike()
    {
        var vienna = TimeZoneInfo.FindSystemTimeZoneById("Europe/Vienna");
        var to = new MailRecipient("dana@example.com", "Dana", null, vienna);
        var pickupAt = new DateTimeOffset(2026, 12, 14, 7, 15, 0, TimeSpan.Zero); // 08:15 in Vienna
        var released = new TripReservationReleasedIntegrationEvent("t1", "r1", "d1", "system", TripReservationReleasedIntegrationEvent.OnAnotherRide,
            pickupAt, pickupAt.AddMinutes(-15));

        var mail = ReservedRideMails.Excused(to, released);

        Assert.Equal(("dana@example.com", "Your reserved ride at 08:15 Europe/Vienna went to another driver: no strike", "driver-reserved-ride-excused"),
            (mail.To, mail.Subject, mail.Kind));
        Assert.Contains("You were on another ride when the ride you reserved for 14 Dec 2026, 08:15 Europe/Vienna started looking for its driver, so it went to another driver.", mail.Body);
        Assert.Contains("This is no strike on your reservations record", mail.Body);
    }

    [Fact]
    public async Task Only_a_driver_excused_from_a_reserved_ride_is_mailed_of_its_release_once_and_not_after_turning_reserved_rides_off()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gateway = new GatewayFactory();
        var store = gateway.Services.GetRequiredService<AccountStore>();
        var outbox = gateway.Services.GetRequiredService<MailOutbox>();
        var handler = ActivatorUtilities.CreateInstance<ReservationExcusedMailHandler>(gateway.Services);
        var driver = await gateway.ConfirmedDriverAsync(ct);
        var optedOut = await gateway.ConfirmedDriverAsync(ct);
        await store.Accounts.UpdateAsync(optedOut, a => a with { MailOptOuts = [MailCategories.ReservedRides.Id] }, ct: ct);
        var at = DateTimeOffset.UtcNow;
        TripReservationReleasedIntegrationEvent Released(string driverId, string by, string reason, bool cancelled = false) =>
            new("t1", "r1", driverId, by, reason, at.AddMinutes(15), at, cancelled);
        MessageContext Message(string id) => new(id, Topics.TripReservationReleased, "t1", "released", at, 1);

        await handler.HandleAsync(Released(driver, "driver", "released by the driver"), Message("m1"), ct);
        await handler.HandleAsync(Released(driver, "rider", "ride cancelled", cancelled: true), Message("m2"), ct);
        await handler.HandleAsync(Released(driver, "operator", "the driver called"), Message("m3"), ct);
        await handler.HandleAsync(Released(driver, "system", TripReservationReleasedIntegrationEvent.OnAnotherRide), Message("m4"), ct);
        await handler.HandleAsync(Released(driver, "system", TripReservationReleasedIntegrationEvent.OnAnotherRide), Message("m4"), ct); // redelivered
        await handler.HandleAsync(Released(optedOut, "system", TripReservationReleasedIntegrationEvent.OnAnotherRide), Message("m5"), ct);

        var mail = Assert.Single(await outbox.ForAccountAsync(driver, 10, ct), m => m.Document.Kind.StartsWith("driver-reserved-ride", StringComparison.Ordinal));
        Assert.Equal("driver-reserved-ride-excused", mail.Document.Kind);
        Assert.EndsWith("went to another driver: no strike", mail.Document.Subject);
        Assert.DoesNotContain(await outbox.ForAccountAsync(optedOut, 10, ct), m => m.Document.Kind == "driver-reserved-ride-excused");
    }
}
