using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Trips.Domain;
using UberClone.Trips.Pricing;

namespace UberClone.Trips.Application;

/// <summary>
/// A lost item goes back to its owner (ADR 0035): the rider reports it, the driver answers and hands it back, the rider
/// pays the city's return fee, all of it the driver's. Every change goes to the rider's and driver's apps (and the
/// gateway's mails) with trip.event.lost_item, in the same write; the fee's payment goes with the "returned" write.
/// </summary>
public sealed class LostItems(TripRepository repository, HelpDesk help, IOptions<PricingOptions> pricing, IOptions<LostItemRules> rules, TimeProvider clock,
    ILogger<LostItems> logger)
{
    /// <summary>The rider reports an item left on the ride (<see cref="Trip.ReportLostItem"/>), told the fee of where the ride began.</summary>
    public Task<Trip> ReportAsync(string riderId, string tripId, string description, string phone, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return Change(tripId, t => t.ReportLostItem(riderId, description, phone, pricing.Value.LostItemReturnFeeAt(t.Pickup), rules.Value, now), now, ct);
    }

    /// <summary>The trip's driver has the item (saying where and when they can hand it back) or not (<see cref="Trip.AnswerLostItem"/>).</summary>
    public Task<Trip> AnswerAsync(string driverId, string tripId, bool found, string? note, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return Change(tripId, t => t.AnswerLostItem(driverId, found, note, now), now, ct);
    }

    /// <summary>The driver handed it back (<see cref="Trip.MarkLostItemReturned"/>): payments is asked for the return fee in the same write.</summary>
    public Task<Trip> ReturnedAsync(string driverId, string tripId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return Change(tripId, t => t.MarkLostItemReturned(driverId, now), now, ct, chargesFee: true);
    }

    /// <summary>The rider pays again a return fee whose payment failed (<see cref="Trip.RetryReturnFee"/>): payments is asked in the same write.</summary>
    public Task<Trip> PayFeeAgainAsync(string riderId, string tripId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return Change(tripId, t => t.RetryReturnFee(riderId, now), now, ct, chargesFee: true);
    }

    /// <summary>The rider closes the open report (<see cref="Trip.CloseLostItem"/>).</summary>
    public Task<Trip> CloseAsync(string riderId, string tripId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return Change(tripId, t => t.CloseLostItem(riderId, now), now, ct);
    }

    /// <summary>
    /// Sends support the reports their driver did not answer within <see cref="LostItemRules.DriverAnswerWithin"/> (at
    /// most <paramref name="limit"/>), as a lost_item help request in the rider's name, as RideCheck sends an unanswered
    /// check (ADR 0033): support first, the trip marked after, so a crash between them tells support again under the same
    /// message id, which adds nothing. Safe on every replica at once. Returns how many were looked at.
    /// </summary>
    public async Task<int> AlertUnansweredAsync(int limit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var due = await repository.Trips.QueryUpToAsync(Trip.LostItemAnswerByField, now.ToUnixTimeMilliseconds(), limit, ct);
        foreach (var trip in due.Select(d => d.Document))
        {
            if (trip.LostItem is not { Status: LostItemStatus.Reported } report) continue;
            var text = $"Lost item: the driver did not answer within {Describe(rules.Value.DriverAnswerWithin)} the rider's report of "
                + $"{report.ReportedAt:yyyy-MM-dd HH:mm} UTC: \"{report.Description}\". The rider can be called on {report.Phone}.";
            try
            {
                await help.RaiseAsync(trip, trip.RiderId, $"lostitem{report.Number}unanswered", text, urgent: false, ct, HelpTopics.LostItem);
            }
            catch (TripRuleException refused)
            {
                // The rider's requests about the trip are full (or the trip is too old to ask about): marked all the
                // same, so this trip does not stand first in every look from now on and hold back the others.
                logger.LogWarning("Support could not be told of trip {TripId}'s unanswered lost item {Number}: {Reason}", trip.Id, report.Number, refused.Message);
            }
            await repository.Trips.UpdateAsync(trip.Id, t => t.LostItemUnanswered(now),
                t => t.LostItem?.SupportAlertedAt == now ? [Event(t, now)] : [], ct);
        }
        return due.Count;
    }

    private static string Describe(TimeSpan span) => span.TotalHours >= 1 ? $"{span.TotalHours:0.#} h" : $"{span.TotalSeconds:0} s";

    /// <summary>
    /// A change of the trip's report, told with trip.event.lost_item when it changed now (a repeat writes nothing new);
    /// <paramref name="chargesFee"/>: a change that may start the return fee's payment, asked of payments in the same write.
    /// </summary>
    private async Task<Trip> Change(string tripId, Func<Trip, Trip> transition, DateTimeOffset now, CancellationToken ct, bool chargesFee = false)
    {
        try
        {
            return await repository.Trips.UpdateAsync(tripId, transition,
                    t => t.UpdatedAt == now && t.LostItem is not null
                        ? [Event(t, now), .. chargesFee && t.ReturnFeePaymentRequested ? [TripsApplication.PaymentRequest(t)] : Array.Empty<OutboxMessage>()]
                        : [],
                    ct)
                ?? throw new TripNotFoundException($"Trip {tripId} was not found.");
        }
        catch (TripNotYoursException ex)
        {
            throw new TripNotFoundException(ex.Message);
        }
    }

    internal static OutboxMessage Event(Trip trip, DateTimeOffset now)
    {
        var report = trip.LostItem!;
        return OutboxMessages.Create(Topics.TripLostItem, trip.Id, new TripLostItemIntegrationEvent(
            trip.Id, trip.RiderId, trip.DriverId!, report.Number, report.Status, report.Description, report.DriverNote, report.ReturnFeeMinor, trip.Currency,
            report.FeePaymentStatus, trip.StartedAt, now, report.SupportAlertedAt is not null));
    }
}

/// <summary>
/// Sends support the lost-item reports their driver did not answer in time (<see cref="LostItems.AlertUnansweredAsync"/>),
/// looking every <c>LostItems:PollInterval</c> as <see cref="SafetyCheckAlerts"/> does: the due ones are found from an
/// index (one query a look), on every replica; each is told once whichever finds it.
/// </summary>
public sealed class LostItemAlerts(IServiceScopeFactory scopes, IOptions<LostItemRules> rules, ILogger<LostItemAlerts> logger) : DuePoller(scopes, logger)
{
    protected override TimeSpan Interval => rules.Value.PollInterval;

    protected override string What => "unanswered lost items";

    protected override Task<int> LookAsync(IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<LostItems>().AlertUnansweredAsync(BatchSize, ct);
}
