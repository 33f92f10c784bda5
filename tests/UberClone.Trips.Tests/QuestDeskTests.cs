using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using UberClone.Contracts;
using UberClone.Storage;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;
using UberClone.Trips.Quests;

namespace UberClone.Trips.Tests;

/// <summary>
/// Driver quests (ADR 0038) against a real SQLite store: a completion and a driver's list find the quests by when they
/// stop counting, not among the newest few, so any number of newer quests hides none; a completion handled late still
/// counts; a driver is shown the quests of classes they may drive; quests stored before the index are written again.
/// </summary>
public sealed class QuestDeskTests : IDisposable
{
    private static readonly DateTimeOffset Now = TestTrips.Now;

    private readonly TripsDatabaseFile _file = new();
    private readonly FakeTimeProvider _clock = new(Now);
    private readonly TripRepository _repository;
    private readonly QuestDesk _desk;

    public QuestDeskTests()
    {
        _repository = new TripRepository(_file.Database);
        _desk = new QuestDesk(_repository, _clock, NullLogger<QuestDesk>.Instance);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<Quest> StoredAsync(string id, DateTimeOffset startsAt, DateTimeOffset endsAt, QuestArea? area = null, string[]? classes = null, int target = 1)
    {
        var quest = Quest.Create(id, id, startsAt, endsAt, target, 4_500, "USD", area, classes, "op1", _clock.GetUtcNow());
        await _repository.Quests.InsertAsync(id, quest, ct: Ct);
        return quest;
    }

    /// <summary>Completed by d1 at <paramref name="completedAt"/> (picked up at TestTrips.Pickup, economy).</summary>
    private static Trip Completed(string id, DateTimeOffset completedAt) =>
        TestTrips.InProgress(id, at: completedAt.AddMinutes(-20)).Complete("d1", TestTrips.Rules, completedAt);

    [Fact]
    public async Task A_quest_behind_more_than_200_newer_quests_still_counts_a_ride_and_is_still_listed()
    {
        await StoredAsync("rush", Now.AddHours(-1), Now.AddDays(2));
        // Created after it, 201 quests for another city (~111 km away): some running, some starting next month.
        var elsewhere = new QuestArea(TestTrips.Pickup.Lat + 1, TestTrips.Pickup.Lng, 5);
        for (var i = 0; i < 201; i++)
        {
            await StoredAsync($"other{i:000}", i % 2 == 0 ? Now.AddHours(-1) : Now.AddDays(40), i % 2 == 0 ? Now.AddDays(5) : Now.AddDays(45), elsewhere);
        }

        var counted = Assert.Single(await _desk.CountAsync(Completed("t1", Now), Ct));
        Assert.Equal(("rush", 1, Now), (counted.QuestId, counted.Done, counted.EarnedAt));
        Assert.Contains(await _desk.OfDriverAsync("d1", TestTrips.Pickup, [VehicleClasses.Economy], Ct), v => v.Quest.Id == "rush" && v.Progress.EarnedAt == Now);
    }

    [Fact]
    public async Task A_completion_handled_after_the_window_ended_counts_by_when_the_ride_was_completed()
    {
        await StoredAsync("short", Now.AddHours(-1), Now.AddHours(2), target: 3);
        await StoredAsync("ended", Now.AddHours(-1), Now.AddDays(3), target: 3);
        await StoredAsync("later", Now.AddDays(1), Now.AddDays(3), target: 3);
        _clock.SetUtcNow(Now.AddMinutes(30));
        await _desk.EndAsync("ended", Ct); // support ended it after the ride below was completed

        // The ride was completed at Now; its event is handled two days later (a consumer that was down, a redelivery).
        _clock.SetUtcNow(Now.AddDays(2));
        var counted = await _desk.CountAsync(Completed("t1", Now), Ct);
        Assert.Equal(["ended", "short"], counted.Select(p => p.QuestId).Order());
        // Completed after support ended it: only the other counts it; at the end of the window: neither. The quest not started yet counts none.
        Assert.Equal("short", Assert.Single(await _desk.CountAsync(Completed("t2", Now.AddHours(1)), Ct)).QuestId);
        Assert.Empty(await _desk.CountAsync(Completed("t3", Now.AddHours(2)), Ct));
    }

    [Fact]
    public async Task A_driver_is_shown_quests_of_classes_they_are_approved_for_and_any_they_made_progress_on()
    {
        await StoredAsync("any", Now.AddHours(-1), Now.AddDays(2), target: 5);
        await StoredAsync("economy", Now.AddHours(-1), Now.AddDays(2), classes: [VehicleClasses.Economy, VehicleClasses.Comfort], target: 5);
        await StoredAsync("premium", Now.AddHours(-1), Now.AddDays(2), classes: [VehicleClasses.Premium], target: 5);

        async Task<IEnumerable<string>> ShownAsync(string driverId, string[] approved) =>
            (await _desk.OfDriverAsync(driverId, TestTrips.Pickup, approved, Ct)).Select(v => v.Quest.Id).Order();

        Assert.Equal(["any", "economy"], await ShownAsync("d1", [VehicleClasses.Economy]));
        Assert.Equal(["any", "economy", "premium"], await ShownAsync("d1", [VehicleClasses.Comfort, VehicleClasses.Premium]));
        Assert.Equal(["any"], await ShownAsync("d1", [])); // approved for nothing now (lapsed, revoked)

        // A premium ride d9 drove while approved for it: once they are approved for economy only, they still see that result.
        var ride = Completed("t1", Now);
        var premiumRide = ride with { Driver = ride.Driver! with { DriverId = "d9" }, VehicleClass = VehicleClasses.Premium };
        Assert.Equal(["any", "premium"], (await _desk.CountAsync(premiumRide, Ct)).Select(p => p.QuestId).Order());
        Assert.Equal(["any", "economy", "premium"], await ShownAsync("d9", [VehicleClasses.Economy]));
    }

    [Fact]
    public async Task Quests_stored_without_their_end_indexed_are_written_again_once_and_then_count()
    {
        var quest = Quest.Create("old", "Old one", Now.AddHours(-1), Now.AddDays(2), 1, 4_500, "USD", null, null, "op1", Now);
        var json = System.Text.Json.JsonSerializer.SerializeToNode(quest, StorageJson.Options)!.AsObject();
        json.Remove(Quest.CountsUntilField); // as the version before the index stored it
        await _file.Database.Collection<JsonObject>("quests", Quest.ListedField).InsertAsync("old", json, ct: Ct);
        Assert.Empty(await _desk.CountAsync(Completed("t1", Now), Ct));

        Assert.Equal(1, await _desk.IndexCountsUntilAsync(Ct));
        Assert.Equal(0, await _desk.IndexCountsUntilAsync(Ct));
        Assert.Equal("old", Assert.Single(await _desk.CountAsync(Completed("t2", Now), Ct)).QuestId);
    }

    public void Dispose() => _file.Dispose();
}
