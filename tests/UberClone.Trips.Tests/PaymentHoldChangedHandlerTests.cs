using Microsoft.Extensions.Logging.Abstractions;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;
using UberClone.Trips.IntegrationEvents.EventHandling;

namespace UberClone.Trips.Tests;

/// <summary>
/// payment.event.hold_changed (ADR 0030), against a real SQLite store: what payments holds reaches the trip even when it
/// answered after trips stopped waiting, the rider's app is told only when what the trip shows changed, and an answer
/// that came before the booking's write is looked for again.
/// </summary>
public sealed class PaymentHoldChangedHandlerTests : IDisposable
{
    private static readonly DateTimeOffset Now = TestTrips.Now;

    private readonly TripsDatabaseFile _file = new();
    private readonly TripRepository _repository;
    private readonly FixedClock _clock = new(Now.AddMinutes(1));

    public PaymentHoldChangedHandlerTests() => _repository = new TripRepository(_file.Database);

    public void Dispose() => _file.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static PaymentHoldChangedIntegrationEvent Changed(string status, long amount, long version, string? raiseDecline = null, string tripId = "t1") =>
        new(tripId, "r1", status, "Visa •••• 4242", amount, "USD", raiseDecline, version, Now.AddMinutes(1));

    private Task HandleAsync(PaymentHoldChangedIntegrationEvent changed) =>
        new PaymentHoldChangedHandler(_repository, _clock, NullLogger<PaymentHoldChangedHandler>.Instance)
            .HandleAsync(changed, new MessageContext("m1", Topics.PaymentHoldChanged, changed.TripId, nameof(PaymentHoldChangedIntegrationEvent), changed.At, 1), Ct);

    private async Task<Trip> TripAsync() => (await _repository.Trips.GetAsync("t1", Ct))!.Document;

    private Task<List<TripPaymentHoldChangedIntegrationEvent>> ToldAsync() => _file.PublishedAsync<TripPaymentHoldChangedIntegrationEvent>(Topics.TripPaymentHoldChanged);

    [Fact]
    public async Task A_hold_answered_after_booking_shows_on_the_trip_and_the_riders_app_is_told_once()
    {
        await _repository.Trips.InsertAsync("t1", TestTrips.InProgress() with { Id = "t1", RiderId = "r1", PaymentHold = null }, ct: Ct);

        await HandleAsync(Changed("placing", 1_500, 5)); // still being decided: nothing to show
        Assert.Null((await TripAsync()).PaymentHold);
        await HandleAsync(Changed("held", 1_500, 10));
        await HandleAsync(Changed("held", 1_500, 10)); // redelivered

        Assert.Equal(new TripPaymentHold("Visa •••• 4242", 1_500), (await TripAsync()).PaymentHold);
        var told = Assert.Single(await ToldAsync());
        Assert.Equal(("t1", "r1", "Visa •••• 4242", 1_500L, (string?)null), (told.TripId, told.RiderId, told.CardLabel, told.AmountMinor, told.RaiseDeclineCode));

        // A raise declined by the bank: shown and told; an older answer arriving after it changes nothing.
        await HandleAsync(Changed("held", 1_500, 20, "insufficient_funds"));
        await HandleAsync(Changed("held", 2_200, 15));
        Assert.Equal(new TripPaymentHold("Visa •••• 4242", 1_500, "insufficient_funds"), (await TripAsync()).PaymentHold);
        Assert.Equal("insufficient_funds", (await ToldAsync())[^1].RaiseDeclineCode);

        // Let go while riding: nothing is held any more.
        await HandleAsync(Changed("released", 1_500, 30));
        Assert.Null((await TripAsync()).PaymentHold);
        Assert.Equal((3, (string?)null), ((await ToldAsync()).Count, (await ToldAsync())[^1].CardLabel));
    }

    [Fact]
    public async Task A_held_answer_before_the_bookings_write_is_looked_for_again_and_one_for_a_trip_never_written_or_a_refused_booking_is_dropped()
    {
        await Assert.ThrowsAsync<TripNotWrittenYetException>(() => HandleAsync(Changed("held", 1_500, 10)));
        await HandleAsync(Changed("declined", 1_500, 10)); // a booking refused for the card: no trip, nothing to wait for
        await HandleAsync(Changed("released", 1_500, 11));

        _clock.Now = Now.AddMinutes(1) + PaymentHoldChangedHandler.BookingWriteWindow;
        await HandleAsync(Changed("held", 1_500, 10)); // long after: not a trip that is being written

        Assert.Null(await _repository.Trips.GetAsync("t1", Ct));
        Assert.Empty(await ToldAsync());
    }

    [Fact]
    public async Task A_trip_that_ended_keeps_what_it_showed()
    {
        var completed = TestTrips.InProgress() with { Id = "t1", RiderId = "r1", Status = TripStatus.Completed, PaymentHold = new TripPaymentHold("Visa •••• 4242", 1_500) };
        await _repository.Trips.InsertAsync("t1", completed, ct: Ct);

        await HandleAsync(Changed("captured", 1_500, 50));

        Assert.Equal(new TripPaymentHold("Visa •••• 4242", 1_500), (await TripAsync()).PaymentHold);
        Assert.Empty(await ToldAsync());
    }
}
