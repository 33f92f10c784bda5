using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UberClone.Storage;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;
using UberClone.Trips.Pricing;
using UberClone.Trips.Promotions;

namespace UberClone.Trips.Tests;

/// <summary>Meters made for one test and disposed with it (no host: TripsMetrics needs a factory).</summary>
internal sealed class TestMeters : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        lock (_meters) _meters.Add(meter);
        return meter;
    }

    public void Dispose() => _meters.ForEach(m => m.Dispose());
}

/// <summary>
/// Payments' CheckCard as trips calls it: only <c>card_ok</c> is the caller's (any other card: the refusal payments
/// gives); every check is recorded. Nothing is held: a test that holds uses a fake of its own.
/// </summary>
internal sealed class CardChecks : IFareHolds
{
    public List<(string RiderId, string CardId)> Checked { get; } = [];

    public Task CheckCardAsync(string riderId, string cardId, CancellationToken ct)
    {
        lock (Checked) Checked.Add((riderId, cardId));
        return cardId == "card_ok" ? Task.CompletedTask : throw new TripRuleException("That card is not one of yours.");
    }

    public Task<FareHoldAnswer?> HoldAsync(string riderId, string tripId, long amountMinor, string currency, string? cardId, bool riderPresent, CancellationToken ct) =>
        throw new NotSupportedException();
    public Task ReleaseAsync(string riderId, string tripId, CancellationToken ct) => throw new NotSupportedException();
    public Task<FareHoldAnswer?> RaiseAsync(string riderId, string tripId, long amountMinor, string currency, CancellationToken ct) => throw new NotSupportedException();
    public Task<FareHoldMove> MoveAsync(string riderId, string tripId, string cardId, long amountMinor, string currency, CancellationToken ct) =>
        throw new NotSupportedException();
}

/// <summary>A rider without a saved card: nothing is held at booking or when the search starts (paid by link, ADR 0024).</summary>
internal sealed class NoSavedCard : IFareHolds
{
    public Task<FareHoldAnswer?> HoldAsync(string riderId, string tripId, long amountMinor, string currency, string? cardId, bool riderPresent, CancellationToken ct) =>
        Task.FromResult<FareHoldAnswer?>(null);
    public Task ReleaseAsync(string riderId, string tripId, CancellationToken ct) => Task.CompletedTask;
    public Task<FareHoldAnswer?> RaiseAsync(string riderId, string tripId, long amountMinor, string currency, CancellationToken ct) =>
        Task.FromResult<FareHoldAnswer?>(null);
    public Task<FareHoldMove> MoveAsync(string riderId, string tripId, string cardId, long amountMinor, string currency, CancellationToken ct) =>
        throw new NotSupportedException();
    public Task CheckCardAsync(string riderId, string cardId, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>
/// The service's <see cref="TripsApplication"/> as the tests that book through it build it: routes are straight lines
/// (no routing service answers), no surge, referrals with their defaults, and <paramref name="holds"/> (no saved card
/// unless given).
/// </summary>
internal static class TestApplications
{
    public static TripsApplication Trips(TripRepository repository, IDocumentDatabase database, IOptions<PricingOptions> pricing, TimeProvider clock,
        IMeterFactory meters, IFareHolds? holds = null, IOptions<TripRules>? rules = null, IOptions<WaiverRules>? waivers = null) =>
        new(repository, pricing, rules ?? Options.Create(new TripRules()), new DemandSupplyWindow(new SurgeOptions()),
            new RouteService(new HttpClient(), pricing, NullLogger<RouteService>.Instance), new Ratings(database, Options.Create(new RatingRules()), Options.Create(new RiderRatingRules()), clock),
            new PromotionDesk(repository, Options.Create(new ReferralOptions()), clock), holds ?? new NoSavedCard(), clock, new TripsMetrics(meters),
            waivers ?? Options.Create(new WaiverRules()));
}
