using UberClone.Contracts;
using UberClone.Trips.Domain;
using UberClone.Trips.Quests;

namespace UberClone.Trips.Tests;

/// <summary>
/// Driver quests (docs/decisions/0038): support's terms are checked naming the field; a ride counts when completed by the
/// driver inside the window (by its completion time), picked up in the area and of a class the quest names; each trip
/// counts once; reaching the target earns the bonus once; a quest support ended counts nothing completed after.
/// </summary>
public sealed class QuestTests
{
    private static readonly DateTimeOffset Now = TestTrips.Now;

    private static Quest Rush(int target = 2, QuestArea? area = null, string[]? classes = null, DateTimeOffset? startsAt = null, DateTimeOffset? endsAt = null) =>
        Quest.Create("quest1", " Weekend rush ", startsAt ?? Now.AddHours(-1), endsAt ?? Now.AddDays(3), target, 4_500, "usd", area, classes, "op1", Now);

    /// <summary>Completed by d1 at <paramref name="completedAt"/> (picked up at TestTrips.Pickup, economy).</summary>
    private static Trip Completed(string id, DateTimeOffset completedAt) =>
        TestTrips.InProgress(id, at: completedAt.AddMinutes(-20)).Complete("d1", TestTrips.Rules, completedAt);

    [Theory]
    [InlineData("", 2, 4500, "USD", 0, 3, "name")]
    [InlineData("Rush", 0, 4500, "USD", 0, 3, "target")]
    [InlineData("Rush", 501, 4500, "USD", 0, 3, "target")]
    [InlineData("Rush", 2, 0, "USD", 0, 3, "bonusMinor")]
    [InlineData("Rush", 2, 4500, "US", 0, 3, "currency")]
    [InlineData("Rush", 2, 4500, "USD", 0, 0, "endsAt")]   // ends when it starts
    [InlineData("Rush", 2, 4500, "USD", 0, 32, "endsAt")]  // longer than 31 days
    [InlineData("Rush", 2, 4500, "USD", -5, -1, "endsAt")] // ended yesterday
    public void Bad_terms_are_refused_naming_the_field(string name, int target, long bonus, string currency, int startDays, int endDays, string field)
    {
        var refused = Assert.Throws<QuestRuleException>(() =>
            Quest.Create("q", name, Now.AddDays(startDays), Now.AddDays(endDays), target, bonus, currency, null, null, "op1", Now));
        Assert.Equal(field, refused.Field);
        Assert.Contains(field, refused.Message);
    }

    [Fact]
    public void An_area_and_classes_are_checked_and_kept_tidy()
    {
        Assert.Equal("area.radiusKm", Assert.Throws<QuestRuleException>(() => Rush(area: new QuestArea(52.5, 13.4, 0))).Field);
        Assert.Equal("area", Assert.Throws<QuestRuleException>(() => Rush(area: new QuestArea(95, 13.4, 10))).Field);
        Assert.Equal("vehicleClasses", Assert.Throws<QuestRuleException>(() => Rush(classes: ["economy", "limo"])).Field);
        var quest = Rush(classes: [" Comfort", "economy", "comfort"]);
        Assert.Equal(("Weekend rush", "USD"), (quest.Name, quest.Currency));
        Assert.Equal(["comfort", "economy"], quest.VehicleClasses);
        Assert.Equal(Now.AddDays(31), Quest.Create("q", "Month", Now, Now.AddDays(31), 1, 1, "EUR", null, null, "op1", Now).EndsAt); // 31 days is allowed
    }

    [Fact]
    public void A_ride_counts_when_completed_in_the_window_picked_up_in_the_area_and_of_a_named_class()
    {
        var quest = Rush(area: new QuestArea(TestTrips.Pickup.Lat, TestTrips.Pickup.Lng, 5), classes: [VehicleClasses.Economy]);
        Assert.True(quest.Counts(Completed("t1", Now)));
        // By completion time: a ride picked up before the window began but completed inside it counts; one completed at its end does not.
        Assert.True(quest.Counts(Completed("t2", quest.StartsAt.AddMinutes(5))));
        Assert.False(quest.Counts(Completed("t3", quest.StartsAt.AddMinutes(-1))));
        Assert.False(quest.Counts(Completed("t4", quest.EndsAt)));
        Assert.False(Rush(area: new QuestArea(TestTrips.Pickup.Lat + 0.1, TestTrips.Pickup.Lng, 5)).Counts(Completed("t5", Now))); // ~11 km away
        Assert.False(Rush(classes: [VehicleClasses.Comfort]).Counts(Completed("t6", Now)));
        // Not completed: in progress, or cancelled (a no-show's fee is a cancellation too), whatever its times say.
        Assert.False(quest.Counts(TestTrips.InProgress("t7", at: Now.AddMinutes(-20))));
        Assert.False(quest.Counts(Completed("t8", Now) with { Status = TripStatus.Cancelled }));
    }

    [Fact]
    public void A_quest_naming_classes_is_for_drivers_approved_for_one_of_them_and_one_naming_none_for_every_driver()
    {
        var comfort = Rush(classes: [VehicleClasses.Comfort, VehicleClasses.Xl]);
        Assert.True(comfort.IsDrivableIn([VehicleClasses.Economy, VehicleClasses.Xl]));
        Assert.False(comfort.IsDrivableIn([VehicleClasses.Economy, VehicleClasses.Premium]));
        Assert.False(comfort.IsDrivableIn([]));
        Assert.True(Rush().IsDrivableIn([]));
    }

    [Fact]
    public void Every_quest_that_can_count_a_ride_ends_in_the_range_read_for_its_completion()
    {
        var completed = Now.AddDays(10).AddTicks(1234); // not on a millisecond
        var (min, max) = Quest.CountsUntilRange(completed, completed);
        // The latest end a counting quest can have: started at the completion, the longest window; and the earliest: just after it.
        var latest = Quest.Create("q", "Month", completed, completed + Quest.LongestWindow, 1, 1, "EUR", null, null, "op1", Now);
        var earliest = Quest.Create("q", "Soon", completed.AddDays(-1), completed.AddTicks(1), 1, 1, "EUR", null, null, "op1", Now);
        var endedEarly = Rush(startsAt: completed.AddDays(-1), endsAt: completed.AddDays(20)).End(completed.AddMilliseconds(1));
        foreach (var quest in new[] { latest, earliest, endedEarly })
        {
            Assert.True(quest.Counts(Completed("t1", completed)));
            Assert.InRange(quest.CountsUntilMs, min, max);
        }
    }

    [Fact]
    public void Reaching_the_target_earns_the_bonus_once_and_a_trip_counts_once()
    {
        var quest = Rush(target: 2);
        var first = Completed("t1", Now);
        var progress = QuestProgress.Start(quest.Id, "d1").Count(quest, first);
        Assert.Equal((1, (DateTimeOffset?)null), (progress.Done, progress.EarnedAt));
        Assert.Same(progress, progress.Count(quest, first)); // the same completion again: nothing

        var second = Completed("t2", Now.AddMinutes(30));
        var earned = progress.Count(quest, second);
        Assert.Equal((2, second.CompletedAt, "t2", 4_500L, "USD", "Weekend rush"),
            (earned.Done, earned.EarnedAt, earned.EarnedByTripId, earned.BonusMinor, earned.Currency, earned.QuestName));
        Assert.Equal(quest.Id, earned.EarnedQuestId);
        // Earned: later rides and redeliveries change nothing, so the bonus is never earned (nor told) twice.
        Assert.Same(earned, earned.Count(quest, Completed("t3", Now.AddHours(1))));
        Assert.Same(earned, earned.Count(quest, second));
        // Another driver's progress does not count d1's trip.
        var others = QuestProgress.Start(quest.Id, "d2");
        Assert.Same(others, others.Count(quest, first));
    }

    [Fact]
    public void A_quest_support_ended_counts_nothing_completed_after_and_the_bonus_earned_stays()
    {
        var quest = Rush(target: 1);
        var earned = QuestProgress.Start(quest.Id, "d1").Count(quest, Completed("t1", Now));
        var ended = quest.End(Now.AddMinutes(10));
        Assert.Equal(Now.AddMinutes(10), ended.CountsUntil);
        Assert.Same(ended, ended.End(Now.AddHours(1))); // ending again changes nothing
        Assert.False(ended.Counts(Completed("t2", Now.AddMinutes(11))));
        Assert.True(ended.Counts(Completed("t3", Now.AddMinutes(9)))); // completed before it ended, handled after: still counts
        Assert.False(ended.IsActive(Now.AddMinutes(11)));
        Assert.NotNull(earned.EarnedAt);
        Assert.Same(earned, earned.Count(ended, Completed("t2", Now.AddMinutes(11))));
        // Shown to drivers for a week after it ended, then not.
        Assert.True(ended.IsShownAt(Now.AddDays(6), TimeSpan.FromDays(7)));
        Assert.False(ended.IsShownAt(Now.AddDays(8), TimeSpan.FromDays(7)));
    }
}
