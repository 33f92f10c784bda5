using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Storage;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;
using UberClone.Trips.Pricing;

namespace UberClone.Trips.Tests;

/// <summary>
/// Support's list of the waivers awaiting a colleague's approval (ADR 0053): found by an index on the trip, oldest first,
/// gone once approved, declined or paid, or lapsed; each change told to the desks in the write that made it.
/// </summary>
public sealed class AwaitingWaiversTests : IDisposable
{
    private static readonly IReadOnlyList<TimeSpan> Days = [TimeSpan.FromDays(1)];
    private static readonly DateTimeOffset Failed = TestTrips.Now.AddMinutes(21);

    private readonly TripsDatabaseFile _file = new();
    private readonly TripRepository _repository;
    private readonly FakeTimeProvider _clock = new(Failed.AddHours(1));
    private readonly TestMeters _meters = new();

    public AwaitingWaiversTests() => _repository = new TripRepository(_file.Database);

    public void Dispose()
    {
        _meters.Dispose();
        _file.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TripsApplication Trips() => TestApplications.Trips(_repository, _file.Database, Options.Create(new PricingOptions()), _clock, _meters,
        waivers: Options.Create(new WaiverRules { ApprovalAboveMinor = 1000, RequestLapse = TimeSpan.FromHours(2) }));

    private Task FareFailedAsync(string tripId) =>
        _repository.Trips.InsertAsync(tripId, (TestTrips.Completed() with { Id = tripId }).MarkPaymentFailed(1, Failed).FollowUnpaid(Days, Failed, out _), ct: Ct);

    [Fact]
    public async Task Requests_are_listed_oldest_first_and_leave_the_list_when_approved_declined_or_paid()
    {
        var trips = Trips();
        foreach (var id in new[] { "t1", "t2", "t3", "t4" }) await FareFailedAsync(id);
        await trips.WaiveUnpaidAsync("ops1", "t2", "asked first", Ct);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await trips.WaiveUnpaidAsync("ops1", "t1", "asked second", Ct);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await trips.WaiveUnpaidAsync("ops2", "t3", "asked third", Ct);
        await trips.WaiveUnpaidAsync("ops2", "t4", "asked fourth", Ct);

        Assert.Equal(["t2", "t1", "t3", "t4"], (await trips.AwaitingWaiversAsync(100, Ct)).Select(t => t.Id));

        await trips.ApproveWaiverAsync("ops2", "t2", Ct);
        await trips.DeclineWaiverAsync("ops1", "t1", Ct);
        await _repository.Trips.UpdateAsync("t3", t => t.MarkPaid(1500, _clock.GetUtcNow()).FollowUnpaid(Days, _clock.GetUtcNow(), out _), ct: Ct);

        Assert.Equal(["t4"], (await trips.AwaitingWaiversAsync(100, Ct)).Select(t => t.Id));
        var told = await _file.PublishedAsync<TripWaiverRequestChangedIntegrationEvent>(Topics.TripWaiverRequestChanged);
        Assert.Equal([("t2", true), ("t1", true), ("t3", true), ("t4", true), ("t2", false), ("t1", false), ("t3", false)], told.Select(e => (e.TripId, e.Awaiting)));
    }

    [Fact]
    public async Task A_lapsed_request_is_not_listed_cannot_be_approved_and_is_asked_again()
    {
        var trips = Trips();
        await FareFailedAsync("t1");
        await trips.WaiveUnpaidAsync("ops1", "t1", "goodwill", Ct);
        _clock.Advance(TimeSpan.FromHours(2));

        Assert.Empty(await trips.AwaitingWaiversAsync(100, Ct));
        await Assert.ThrowsAsync<WaiverRequestLapsedException>(() => trips.ApproveWaiverAsync("ops2", "t1", Ct));

        var again = await trips.WaiveUnpaidAsync("ops2", "t1", "asked anew", Ct);
        Assert.Equal(("ops2", _clock.GetUtcNow()), (again.PendingWaiver!.OperatorId, again.PendingWaiver.At));
        Assert.Equal(["t1"], (await trips.AwaitingWaiversAsync(100, Ct)).Select(t => t.Id));
    }
}
