using UberClone.Trips.Domain;

namespace UberClone.Trips.Tests;

/// <summary>A rider shares a trip under way with whoever holds a token; the link shows it until a while after it ends.</summary>
public class ShareTests
{
    private static readonly DateTimeOffset Now = TestTrips.Now;
    private static readonly TimeSpan AfterEnd = TimeSpan.FromMinutes(30);
    private const string Token = "tok_0123456789abcdefgh";

    [Fact]
    public void The_rider_shares_a_trip_under_way_once_and_the_token_sees_it()
    {
        var trip = TestTrips.InProgress();

        var shared = trip.StartSharing("r1", Token, Now.AddMinutes(5));

        Assert.Equal(new TripShare(Token, Now.AddMinutes(5)), shared.Share);
        Assert.Same(shared, shared.StartSharing("r1", "another-token-0000000", Now.AddMinutes(6)));
        Assert.True(shared.IsSharedWith(Token, AfterEnd, Now.AddMinutes(6)));
        Assert.False(shared.IsSharedWith("tok_0123456789abcdefgX", AfterEnd, Now.AddMinutes(6)));
        Assert.False(trip.IsSharedWith(Token, AfterEnd, Now));
    }

    [Fact]
    public void Only_the_rider_shares_and_only_while_the_trip_is_under_way()
    {
        Assert.Throws<TripNotYoursException>(() => TestTrips.InProgress().StartSharing("d1", Token, Now));
        Assert.Throws<TripTransitionException>(() => TestTrips.Completed().StartSharing("r1", Token, Now.AddMinutes(21)));
        var sharedThenCompleted = TestTrips.InProgress().StartSharing("r1", Token, Now).Complete("d1", TestTrips.Rules, Now.AddMinutes(20));
        Assert.Throws<TripTransitionException>(() => sharedThenCompleted.StartSharing("r1", Token, Now.AddMinutes(21)));
        Assert.Throws<TripNotYoursException>(() => TestTrips.InProgress().StopSharing("d1", Now));
    }

    [Fact]
    public void The_link_shows_an_ended_trip_for_a_while_then_nothing()
    {
        var completed = TestTrips.InProgress().StartSharing("r1", Token, Now.AddMinutes(5)).Complete("d1", TestTrips.Rules, Now.AddMinutes(20));

        Assert.Equal(Now.AddMinutes(20), completed.EndedAt);
        Assert.True(completed.IsSharedWith(Token, AfterEnd, Now.AddMinutes(50)));
        Assert.False(completed.IsSharedWith(Token, AfterEnd, Now.AddMinutes(50).AddSeconds(1)));
    }

    [Fact]
    public void Stopping_makes_the_link_show_nothing_and_sharing_again_takes_a_new_token()
    {
        var shared = TestTrips.InProgress().StartSharing("r1", Token, Now.AddMinutes(5));

        var stopped = shared.StopSharing("r1", Now.AddMinutes(6));
        var again = stopped.StartSharing("r1", "tok_new_456789abcdefgh", Now.AddMinutes(7));

        Assert.Null(stopped.Share);
        Assert.False(stopped.IsSharedWith(Token, AfterEnd, Now.AddMinutes(6)));
        Assert.Same(stopped, stopped.StopSharing("r1", Now.AddMinutes(7)));
        Assert.False(again.IsSharedWith(Token, AfterEnd, Now.AddMinutes(7)));
        Assert.True(again.IsSharedWith("tok_new_456789abcdefgh", AfterEnd, Now.AddMinutes(7)));
    }
}
