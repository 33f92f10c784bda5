using UberClone.Trips.Domain;

namespace UberClone.Trips.Tests;

/// <summary>A trip's rider or driver asks support about it; they talk until either closes it.</summary>
public class HelpRequestTests
{
    private static readonly DateTimeOffset Now = TestTrips.Now.AddHours(1);

    private static HelpRequest Asked(string userId = "r1") =>
        HelpRequest.Open("h1", TestTrips.Completed(), userId, HelpTopics.LostItem, "m1", "I left my umbrella in the car.", Now);

    [Fact]
    public void The_rider_or_the_driver_asks_and_waits_for_support()
    {
        var byRider = Asked();
        var byDriver = Asked("d1");

        Assert.Equal(("r1", "rider", HelpStatus.Open, Now), (byRider.OpenedBy, byRider.OpenedByRole, byRider.Status, byRider.WaitingSince!.Value));
        Assert.Equal([new HelpMessage("m1", "rider", "r1", "I left my umbrella in the car.", Now)], byRider.Messages);
        Assert.Equal("driver", byDriver.OpenedByRole);
        Assert.Equal(Now.ToUnixTimeMilliseconds(), byRider.WaitingSinceMs);
        Assert.Throws<TripNotYoursException>(() => Asked("someone-else"));
    }

    [Fact]
    public void The_emergency_button_says_who_when_and_where_and_puts_the_request_first_in_the_queue_until_closed()
    {
        var riding = TestTrips.InProgress().MoveDriver("d1", new UberClone.Contracts.GeoPoint(52.5123, 13.4012), TestTrips.Now.AddMinutes(5));
        var at = TestTrips.Now.AddMinutes(6);
        var text = HelpRequest.EmergencyText(riding, "r1", new UberClone.Contracts.GeoPoint(52.51231, 13.40119), at);
        Assert.Equal("EMERGENCY: the rider pressed the emergency button at 2026-12-03 09:06:00 UTC (trip in progress). "
            + "Their phone was at 52.51231, 13.40119. The car was last at 52.51230, 13.40120 (09:05:00 UTC).", text);
        Assert.StartsWith("EMERGENCY: the driver pressed", HelpRequest.EmergencyText(riding, "d1", null, at));

        // An hour after the ride it still can; later, or for a trip that never had its ride, it cannot.
        var completed = TestTrips.Completed();
        Assert.Contains("(trip completed)", HelpRequest.EmergencyText(completed, "r1", null, completed.CompletedAt!.Value.AddMinutes(59)));
        Assert.Throws<TripRuleException>(() => HelpRequest.EmergencyText(completed, "r1", null, completed.CompletedAt!.Value.AddMinutes(61)));

        var urgent = HelpRequest.Open("h2", riding, "r1", HelpTopics.Safety, "e1", text, at, urgent: true);
        var ordinary = Asked();
        Assert.True(urgent.Urgent);
        Assert.True(urgent.WaitingSinceMs < ordinary.WaitingSinceMs, "urgent first, though it began waiting later");
        var answered = urgent.Answer("o1", "s1", "Calling you now.", at.AddMinutes(1));
        Assert.Null(answered.WaitingSinceMs);
        Assert.True(answered.AddUserMessage("r1", "m2", "Still here", at.AddMinutes(2)).Urgent);
        Assert.True(ordinary.AddUserMessage("r1", "m2", text, at, urgent: true).Urgent);
    }

    [Fact]
    public void A_trip_booked_too_long_ago_is_not_asked_about()
    {
        var longAgo = TestTrips.Completed();

        var refused = Assert.Throws<TripRuleException>(() => HelpRequest.Open("h1", longAgo, "r1", HelpTopics.Fare, "m1", "Charged twice?",
            longAgo.CreatedAt + HelpRequest.AskWithin + TimeSpan.FromSeconds(1)));

        Assert.Contains("30 days", refused.Message);
        Assert.Throws<ArgumentException>(() => HelpRequest.Open("h1", longAgo, "r1", "refund-me", "m1", "?", Now));
    }

    [Fact]
    public void Support_answers_and_the_user_writes_back_waiting_again_since_their_first_message()
    {
        var answered = Asked().Answer("ops1", "s1", "Your driver has it; they will call you.", Now.AddMinutes(5));
        var wrote = answered.AddUserMessage("r1", "m2", "Thanks! When?", Now.AddMinutes(7));
        var wroteAgain = wrote.AddUserMessage("r1", "m3", "Hello?", Now.AddMinutes(30));

        Assert.Equal((HelpStatus.Answered, (DateTimeOffset?)null, "support"), (answered.Status, answered.WaitingSince, answered.LastFrom));
        Assert.Equal(new HelpMessage("s1", "support", "ops1", "Your driver has it; they will call you.", Now.AddMinutes(5)), answered.Messages[^1]);
        Assert.Equal((HelpStatus.Open, Now.AddMinutes(7)), (wrote.Status, wrote.WaitingSince!.Value));
        Assert.Equal(Now.AddMinutes(7), wroteAgain.WaitingSince);
        Assert.Equal(4, wroteAgain.Messages.Count);
    }

    [Fact]
    public void A_message_sent_again_is_stored_once()
    {
        var asked = Asked();
        var answered = asked.Answer("ops1", "s1", "On it.", Now);

        Assert.Same(asked, asked.AddUserMessage("r1", "m1", "I left my umbrella in the car.", Now.AddMinutes(1)));
        Assert.Same(answered, answered.Answer("ops1", "s1", "On it.", Now.AddMinutes(1)));
        // Another author's message with the same client id is a message of its own.
        Assert.Equal(3, answered.Answer("ops2", "s1", "Also on it.", Now).Messages.Count);
    }

    [Fact]
    public void The_user_or_support_closes_it_and_a_closed_request_takes_no_more_messages()
    {
        var closedByUser = Asked().Close("r1", bySupport: false, Now.AddMinutes(3));
        var closedBySupport = Asked().Close("ops1", bySupport: true, Now.AddMinutes(3));

        Assert.Equal((HelpStatus.Closed, "r1", (DateTimeOffset?)null), (closedByUser.Status, closedByUser.ClosedBy, closedByUser.WaitingSince));
        Assert.Equal(("ops1", Now.AddMinutes(3)), (closedBySupport.ClosedBy, closedBySupport.ClosedAt!.Value));
        Assert.Equal(Now.AddMinutes(3).ToUnixTimeMilliseconds(), closedBySupport.ClosedAtMs); // kept a year from then
        Assert.Null(Asked().ClosedAtMs);
        Assert.Same(closedByUser, closedByUser.Close("r1", bySupport: false, Now.AddMinutes(4)));
        Assert.Throws<HelpRequestNotFoundException>(() => Asked().Close("d1", bySupport: false, Now));
        Assert.Throws<HelpRequestNotFoundException>(() => Asked().AddUserMessage("d1", "m2", "me too", Now));
        Assert.Contains("closed", Assert.Throws<TripTransitionException>(() => closedByUser.AddUserMessage("r1", "m2", "One more thing", Now)).Message);
        Assert.Throws<TripTransitionException>(() => closedBySupport.Answer("ops1", "s1", "Reopening", Now));
    }

    [Fact]
    public void A_conversation_has_a_most_messages()
    {
        var request = Asked();
        for (var i = 2; i <= HelpRequest.MaxMessages; i++) request = request.AddUserMessage("r1", $"m{i}", "again", Now);

        Assert.Equal(HelpRequest.MaxMessages, request.Messages.Count);
        Assert.Throws<TripRuleException>(() => request.Answer("ops1", "s1", "Please stop.", Now));
    }

    [Theory]
    [InlineData("  Lost my phone  ", "Lost my phone")]
    [InlineData("line one\nline two", "line one\nline two")]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData("bell\u0007", null)]
    public void Text_is_trimmed_and_must_be_readable(string text, string? stored) => Assert.Equal(stored, HelpRequest.Clean(text));

    [Fact]
    public void Text_has_a_most_length() =>
        Assert.Null(HelpRequest.Clean(new string('a', HelpRequest.MaxTextLength + 1)));
}
