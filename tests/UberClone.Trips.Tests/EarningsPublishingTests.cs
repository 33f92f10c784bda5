using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Storage;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Tests;

/// <summary>
/// Each change of what a driver earns from a trip is told to payments once, in the write that made it (ADR 0025):
/// the domain's rule, and the trips collection that carries it whichever transition changed the earnings.
/// </summary>
public sealed class EarningsPublishingTests : IDisposable
{
    private static readonly DateTimeOffset Now = TestTrips.Now;
    private static readonly TripRules Rules = TestTrips.Rules;

    private readonly TripsDatabaseFile _file = new();
    private readonly TripRepository _repository;

    public EarningsPublishingTests() => _repository = new TripRepository(_file.Database);

    public void Dispose() => _file.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Earnings_are_published_when_they_change_with_the_previous_amount_and_a_revision_and_stay_the_first_drivers()
    {
        var inProgress = TestTrips.InProgress();
        Assert.Null(inProgress.PublishEarnings().Change); // nothing earned yet

        var (completed, first) = TestTrips.Completed().PublishEarnings();
        Assert.Equal(new EarningsPublication("d1", 975, 0, 1, DriverEarnings.Fare), first);
        Assert.Null(completed.PublishEarnings().Change);   // told already
        Assert.Same(completed, completed.PublishEarnings().Trip);

        var (tipped, second) = completed.AddTip("r1", 300, Rules, Now.AddMinutes(21)).PublishEarnings();
        Assert.Equal(new EarningsPublication("d1", 1_275, 975, 2, DriverEarnings.Fare), second);
        Assert.Null(tipped.PublishEarnings().Change);
    }

    [Fact]
    public async Task Every_write_that_changes_the_earnings_carries_one_event_and_other_writes_none()
    {
        await _repository.Trips.InsertAsync("t1", TestTrips.InProgress(), ct: Ct);
        await _repository.Trips.UpdateAsync("t1", t => t.Complete("d1", Rules, Now.AddMinutes(20)), ct: Ct);
        await _repository.Trips.UpdateAsync("t1", t => t.Rate("r1", 5, null, Now.AddMinutes(21)), ct: Ct); // earnings unchanged
        await _repository.Trips.UpdateAsync("t1", t => t.MarkPaid(1_500, Now.AddMinutes(22), "ps_t1_1"), ct: Ct);
        // 5.00 back to the rider as a fare adjustment: the driver earns as if the fare were 5.00 lower (less its service fee).
        await _repository.Trips.UpdateAsync("t1", t => t.RecordRefund("ps_t1_1", "rf1", 500, 500, RefundKinds.FareAdjustment, Now.AddMinutes(30)), ct: Ct);

        var told = await EarningsEventsAsync();

        Assert.Equal(new[] { (1, 975L, 0L), (2, 600L, 975L) }, told.Select(e => (e.Revision, e.EarningsMinor, e.PreviousEarningsMinor)));
        Assert.All(told, e => Assert.Equal(("t1", "d1", "USD"), (e.TripId, e.DriverId, e.Currency)));
        Assert.Equal(Now.AddMinutes(20), told[0].At);
        Assert.Equal(2, (await _repository.Trips.GetAsync("t1", Ct))!.Document.EarningsPublished!.Revision);
    }

    [Fact]
    public async Task A_late_cancellations_fee_is_earned_and_told()
    {
        var assigned = TestTrips.InProgress() with { Status = TripStatus.DriverAssigned, StartedAt = null };
        await _repository.Trips.InsertAsync("t1", assigned, ct: Ct);

        await _repository.Trips.UpdateAsync("t1", t => t.CancelByRider("r1", "changed my mind", Rules, t.Driver!.AssignedAt + Rules.FreeCancellationWindow + TimeSpan.FromMinutes(1)), ct: Ct);

        var fee = Assert.Single(await EarningsEventsAsync());
        Assert.Equal((DriverEarnings.CancellationFee, 1), (fee.Kind, fee.Revision));
        Assert.True(fee.EarningsMinor > 0);
    }

    private Task<List<TripEarningsChangedIntegrationEvent>> EarningsEventsAsync() => _file.PublishedAsync<TripEarningsChangedIntegrationEvent>(Topics.TripEarningsChanged);
}
