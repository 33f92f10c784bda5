using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.RiderMail;

namespace UberClone.Gateway.Tests;

/// <summary>
/// What a rider is mailed when a repeating ride could not be booked (ADR 0043; no I/O): which ride, in the schedule's own
/// time zone, why, that no car comes for it, and whether the next one will be tried; and its last ride before its end.
/// </summary>
public sealed class ScheduleMailsTests
{
    // Monday 7 Dec 2026 08:15 in Berlin; the rider's account is on New York time.
    private static readonly DateTimeOffset Monday = new(2026, 12, 7, 7, 15, 0, TimeSpan.Zero);
    private static readonly MailRecipient Ana = new("ana@example.com", "Ana", null, TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));

    private static TripScheduleRefusedIntegrationEvent Refused(DateTimeOffset? next, string? from = "Home", string? to = "Office") =>
        new("s1", "r1", Monday, "You already have 5 rides booked for later; cancel one to book another.", next, "Europe/Berlin", from, to, Monday.AddDays(-1));

    [Fact]
    public void The_rider_is_told_which_ride_why_and_that_the_next_one_will_be_tried()
    {
        var mail = ScheduleMails.Refused(Ana, Refused(Monday.AddDays(1)));
        Assert.Equal("ana@example.com", mail.To);
        Assert.Equal("Your UberClone ride of Mon 7 Dec, 08:15 Europe/Berlin could not be booked", mail.Subject);
        Assert.Contains("We could not book your repeating ride from Home to Office for Mon 7 Dec, 08:15 Europe/Berlin: You already have 5 rides booked for later; cancel one to book another.", mail.Body);
        Assert.Contains("No car will come for it.", mail.Body);
        Assert.Contains("We will try to book the next one, Tue 8 Dec, 08:15 Europe/Berlin, as usual.", mail.Body);
    }

    [Fact]
    public void A_repeating_ride_that_booked_its_last_ride_says_which_and_how_to_go_on()
    {
        // Monday 14 Dec 08:15 in Berlin is the last ride of a schedule ending that day.
        var last = new DateTimeOffset(2026, 12, 14, 7, 15, 0, TimeSpan.Zero);
        var mail = ScheduleMails.Ended(Ana, new TripScheduleEndedIntegrationEvent("s1", "r1", "t1", last, new DateOnly(2026, 12, 14), "Europe/Berlin", "Home", "Office", last.AddDays(-1)));
        Assert.Equal("ana@example.com", mail.To);
        Assert.Equal("Your repeating ride ends: Mon 14 Dec at 08:15 Europe/Berlin is its last ride", mail.Subject);
        Assert.Contains("Your repeating ride from Home to Office ends: this is its last ride, Mon 14 Dec at 08:15 Europe/Berlin.", mail.Body);
        Assert.Contains("You set it to end on Mon 14 Dec 2026: no ride is booked for it after that.", mail.Body);
        Assert.Contains("set a later end under \"Repeating rides\"", mail.Body);
    }

    [Fact]
    public void Without_labels_or_a_next_ride_it_says_only_what_it_knows()
    {
        var mail = ScheduleMails.Refused(Ana, Refused(next: null, from: null, to: null));
        Assert.Contains("We could not book your repeating ride for Mon 7 Dec, 08:15 Europe/Berlin:", mail.Body);
        Assert.DoesNotContain("next one", mail.Body);
    }
}
