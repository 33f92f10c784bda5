using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Tests;

/// <summary>
/// RideCheck's silent phones (ADR 0033) against a real SQLite store: the rides whose driver's phone was not heard of for
/// <see cref="SafetyRules.SilentAfter"/> are found from the index and asked once, with the event in the same write.
/// </summary>
public sealed class SilentPhonesTests : IDisposable
{
    private static readonly DateTimeOffset Start = TestTrips.Now.AddMinutes(4);
    private static readonly SafetyRules Rules = new() { SilentAfter = TimeSpan.FromMinutes(5), UnansweredAfter = TimeSpan.FromMinutes(5) };

    private readonly TripsDatabaseFile _file = new();
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = new(Start);
    private readonly TripRepository _repository;
    private readonly SilentPhones _silent;

    public SilentPhonesTests()
    {
        _repository = new TripRepository(_file.Database);
        _silent = new SilentPhones(_repository, Options.Create(Rules), _clock);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_ride_whose_phone_went_silent_is_asked_once_and_rides_heard_of_or_ended_are_not()
    {
        var last = new GeoPoint(52.51, 13.42);
        await _repository.Trips.InsertAsync("silent", TestTrips.InProgress("silent").MoveDriver("d1", last, Start.AddMinutes(1)), ct: Ct);
        await _repository.Trips.InsertAsync("heard", TestTrips.InProgress("heard").MoveDriver("d1", last, Start.AddMinutes(5)), ct: Ct);
        await _repository.Trips.InsertAsync("ended", TestTrips.InProgress("ended").Complete("d1", TestTrips.Rules, Start.AddMinutes(1)), ct: Ct);

        _clock.SetUtcNow(Start.AddMinutes(6).AddSeconds(-1));
        Assert.Equal(0, await _silent.CheckAsync(50, Ct)); // not 5 minutes yet for any

        _clock.SetUtcNow(Start.AddMinutes(7));
        Assert.Equal(1, await _silent.CheckAsync(50, Ct));
        var check = (await _repository.Trips.GetAsync("silent", Ct))!.Document.OpenSafetyCheck!;
        Assert.Equal((SafetyCheckKinds.Silent, last, 6), (check.Kind, check.At, check.StoppedMinutes));
        Assert.Empty((await _repository.Trips.GetAsync("heard", Ct))!.Document.SafetyChecks);
        var told = Assert.Single(await _file.PublishedAsync<TripSafetyCheckIntegrationEvent>(Topics.TripSafetyCheck));
        Assert.Equal(("silent", "opened", SafetyCheckKinds.Silent, 6), (told.TripId, told.State, told.Kind, told.StoppedMinutes));

        // Asked once: the next look finds nothing; the other ride's silence comes due later.
        _clock.SetUtcNow(Start.AddMinutes(9));
        Assert.Equal(0, await _silent.CheckAsync(50, Ct));
        _clock.SetUtcNow(Start.AddMinutes(10));
        Assert.Equal(1, await _silent.CheckAsync(50, Ct));
        Assert.Equal(2, (await _file.PublishedAsync<TripSafetyCheckIntegrationEvent>(Topics.TripSafetyCheck)).Count);
    }

    public void Dispose() => _file.Dispose();
}
