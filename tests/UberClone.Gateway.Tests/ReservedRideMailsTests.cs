using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.DriverMail;
using UberClone.Gateway.RiderMail;

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
}
