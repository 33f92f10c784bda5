using UberClone.Trips.Domain;

namespace UberClone.Trips.Tests;

/// <summary>Messages between a trip's rider and its driver: who may write, when, and what a message may be.</summary>
public class TripMessageTests
{
    private static readonly DateTimeOffset Now = TestTrips.Now;

    [Fact]
    public void The_rider_and_the_assigned_driver_write_while_the_driver_is_on_the_way_waiting_or_riding()
    {
        var riding = TestTrips.InProgress();
        var completed = TestTrips.InProgress().Complete("d1", TestTrips.Rules, Now.AddMinutes(20));

        Assert.Equal((TripActors.Rider, TripActors.Driver), (riding.MessageSenderRole("r1"), riding.MessageSenderRole("d1")));
        Assert.Throws<TripNotYoursException>(() => riding.MessageSenderRole("someone-else"));
        Assert.Throws<TripTransitionException>(() => completed.MessageSenderRole("r1"));
    }

    [Fact]
    public void A_searching_trip_has_nobody_to_write_to()
    {
        var quote = new Quote
        {
            Id = "q9", RiderId = "r1", Pickup = TestTrips.Pickup, Dropoff = new(52.50, 13.45), DistanceMeters = 5_000,
            DurationSeconds = 600, CreatedAt = Now, ExpiresAt = Now.AddMinutes(10), Options = [new QuoteOption("economy", 1_500, "USD", 1.0)],
        };
        var searching = Trip.Request("t9", "r1", quote, quote.Options[0], "4321", Now);

        Assert.Throws<TripTransitionException>(() => searching.MessageSenderRole("r1"));
    }

    [Theory]
    [InlineData("  I'm at the corner  ", "I'm at the corner")]
    [InlineData("Two\nlines", "Two\nlines")]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData("bell\u0007", null)]
    public void A_message_is_trimmed_text_without_control_characters(string text, string? stored) =>
        Assert.Equal(stored, TripMessage.Clean(text));

    [Fact]
    public void A_message_is_at_most_500_characters() =>
        Assert.Equal((500, (string?)null), (TripMessage.Clean(new string('a', 500))!.Length, TripMessage.Clean(new string('a', 501))));
}
