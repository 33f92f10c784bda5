using UberClone.Contracts.IntegrationEvents;
using UberClone.Contracts.Trips;
using UberClone.Gateway.RiderMail;

namespace UberClone.Gateway.Tests;

/// <summary>
/// What the lost-item mails say (ADR 0035; no I/O): the driver is told which ride (in their own time zone) and what was
/// left, the rider what the driver answered and the fee, and the fee's receipt names it.
/// </summary>
public sealed class LostItemMailsTests
{
    private static readonly DateTimeOffset PickedUp = new(2026, 12, 1, 13, 5, 0, TimeSpan.Zero); // a Tuesday

    private static TripLostItemIntegrationEvent Lost(string status, string? note = null) =>
        new("t1", "r1", "d1", 1, status, "Black umbrella", note, 1500, "EUR", "", PickedUp, PickedUp.AddHours(3));

    [Fact]
    public void The_driver_is_told_which_ride_in_their_time_zone_what_was_left_and_that_the_fee_is_theirs()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var mail = LostItemMails.Reported(new MailRecipient("dora@example.com", "Dora", null, berlin), Lost("reported"));
        Assert.Equal("Your rider from Tue 14:05 left something in your car", mail.Subject);
        Assert.Contains("    Black umbrella", mail.Body);
        Assert.Contains("\"I have it\"", mail.Body);
        Assert.Contains("€15.00 return fee, all of it yours", mail.Body);
    }

    [Fact]
    public void The_rider_is_told_where_to_get_it_and_the_fee_or_that_it_was_not_found()
    {
        var ana = new MailRecipient("ana@example.com", "Ana", null);
        var found = LostItemMails.Answered(ana, Lost("found", "Main station, 18:00"));
        Assert.Equal("Your driver has your lost item", found.Subject);
        Assert.Contains("    Main station, 18:00", found.Body);
        Assert.Contains("€15.00 return fee is charged to your card", found.Body);

        var notFound = LostItemMails.Answered(ana, Lost("not_found", "Looked under the seats"));
        Assert.Equal("Your driver did not find your lost item", notFound.Subject);
        Assert.Contains("did not find it: \"Looked under the seats\"", notFound.Body);
    }

    [Fact]
    public void The_return_fees_receipt_names_it_and_the_item()
    {
        var trip = new Trip { TripId = "t1", Status = "completed", LostItem = new LostItem { Description = "Black umbrella", Status = "returned" } };
        var mail = ReceiptMails.Paid(new MailRecipient("ana@example.com", "Ana", "Dora"), trip,
            new TripPaidIntegrationEvent("t1", "r1", "d1", 1500, 0, "EUR", PickedUp.AddDays(1), "item_return", "Visa •••• 4242"));
        Assert.Equal("Your UberClone receipt: €15.00 lost item return fee", mail.Subject);
        Assert.Contains("Your driver Dora returned what you left in the car (\"Black umbrella\"). The return fee goes to them in full.", mail.Body);
        Assert.Contains("Lost item return fee", mail.Body);
        Assert.Contains("Charged to  Visa •••• 4242", mail.Body);
    }
}
