using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Application;

/// <summary>
/// A rider who owes money on a trip is told and reminded by mail until it is paid (ADR 0039): the payment handlers start
/// and end the reminders (<see cref="Trip.FollowUnpaid"/>) and tell the rider at once; <see cref="RemindDueAsync"/> sends
/// each reminder on its day, in the write that records it.
/// </summary>
public sealed class UnpaidTrips(TripRepository repository, IOptions<UnpaidReminderRules> rules, TimeProvider clock)
{
    /// <summary>The reminders that are due, up to <paramref name="limit"/>: each is published once, whichever replica finds it.</summary>
    public async Task<int> RemindDueAsync(int limit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var times = rules.Value.Times;
        var due = await repository.Trips.QueryUpToAsync(Trip.UnpaidRemindAtField, now.ToUnixTimeMilliseconds(), limit, ct);
        foreach (var trip in due.Select(d => d.Document))
        {
            var reminded = false;
            await repository.Trips.UpdateAsync(trip.Id, t =>
            {
                var next = t.RemindUnpaid(times, now);
                reminded = !ReferenceEquals(next, t);
                return next;
            }, t => reminded ? [Event(t, t.UnpaidReminders!.Sent, reason: null, now)] : [], ct);
        }
        return due.Count;
    }

    /// <summary>What the rider owes on <paramref name="trip"/>, for their mail: reminder 0 when a payment first failed.</summary>
    public static OutboxMessage Event(Trip trip, int reminder, string? reason, DateTimeOffset now) =>
        OutboxMessages.Create(Topics.TripPaymentDue, trip.Id, new TripPaymentDueIntegrationEvent(
            trip.Id, trip.RiderId, reminder, trip.UnpaidFareMinor, trip.UnpaidReturnFeeMinor, trip.Currency, reason,
            trip.UnpaidReminders!.Since, trip.UnpaidReminders.NextAt, now));
}

/// <summary>
/// Sends the reminders of what riders owe when they are due (<see cref="UnpaidTrips.RemindDueAsync"/>), looking every
/// <c>UnpaidReminders:PollInterval</c> from an index (one query a look), on every replica.
/// </summary>
public sealed class UnpaidReminderPoller(IServiceScopeFactory scopes, IOptions<UnpaidReminderRules> rules, ILogger<UnpaidReminderPoller> logger) : DuePoller(scopes, logger)
{
    protected override TimeSpan Interval => rules.Value.PollInterval;

    protected override string What => "reminders of unpaid trips";

    protected override Task<int> LookAsync(IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<UnpaidTrips>().RemindDueAsync(BatchSize, ct);
}
