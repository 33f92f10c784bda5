using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Trips.Domain;
using UberClone.Trips.Promotions;

namespace UberClone.Trips.Application;

/// <summary>
/// Promotions (docs/decisions/0021): support creates and ends them, riders add them, quotes offer the best one, a
/// booking holds one of its rides and a trip that ends without a ride gives it back.
/// </summary>
public sealed class PromotionDesk(TripRepository repository, IOptions<ReferralOptions> referral, TimeProvider clock)
{
    /// <summary>How many promotions support's list shows, newest first.</summary>
    public const int ListLimit = 200;

    public async Task<Promotion> CreateAsync(string operatorId, string code, int percentOff, long amountOffMinor, long? maxDiscountMinor, string currency,
        int ridesPerRider, DateTimeOffset expiresAt, int? maxRiders, bool newRidersOnly, CancellationToken ct)
    {
        var promotion = Promotion.Create(code, percentOff, amountOffMinor, maxDiscountMinor, currency, ridesPerRider, expiresAt, maxRiders, operatorId,
            clock.GetUtcNow(), newRidersOnly);
        if (Referrals.IsReserved(promotion.Code)) throw new PromotionRuleException("Codes of 15 characters starting INV or THX are riders' invites and rewards; choose another code.");
        try
        {
            await repository.Promotions.InsertAsync(promotion.Code, promotion, ct: ct);
            return promotion;
        }
        catch (DuplicateDocumentException)
        {
            throw new PromotionExistsException($"A promotion with the code {promotion.Code} exists already; choose another code.");
        }
    }

    public async Task<IReadOnlyList<Promotion>> ListAsync(CancellationToken ct) =>
        (await repository.Promotions.QueryAsync(Promotion.ListedField, "promotion", ListLimit, ct)).Select(p => p.Document).ToList();

    public async Task<Promotion> EndAsync(string code, CancellationToken ct) =>
        await repository.Promotions.UpdateAsync(Promotion.Normalize(code), p => p.End(clock.GetUtcNow()), ct: ct)
        ?? throw new PromotionNotFoundException($"No promotion has the code {Promotion.Normalize(code)}.");

    public async Task<RiderPromotions> OfRiderAsync(string riderId, CancellationToken ct) =>
        (await repository.RiderPromotions.GetAsync(riderId, ct))?.Document ?? RiderPromotions.Empty(riderId);

    /// <summary>
    /// The rider adds a code: it counts against the promotion's riders, then is kept in the rider's promotions (when that
    /// write fails, the count is taken back). A code the rider holds already changes nothing.
    /// </summary>
    public async Task<RiderPromotions> AddAsync(string riderId, string code, CancellationToken ct)
    {
        code = Promotion.Normalize(code);
        var notFound = new PromotionNotFoundException($"No promotion has the code {code}; check how it is spelled.");
        if (!Promotion.IsCode(code)) throw notFound;
        var held = await OfRiderAsync(riderId, ct);
        if (held.Find(code) is not null) return held;
        var now = clock.GetUtcNow();
        var offered = (await repository.Promotions.GetAsync(code, ct))?.Document ?? throw notFound;
        if (offered.ReferrerId is not null && !referral.Value.Enabled) throw new PromotionRuleException("Invite codes cannot be used right now.");
        var hasRidden = offered.NewRidersOnly && await HasRiddenAsync(riderId, ct);
        var promotion = await repository.Promotions.UpdateAsync(code, p => p.AddRider(now, hasRidden, riderId), ct: ct) ?? throw notFound;
        try
        {
            return await ChangeRiderAsync(riderId, r => r.Add(promotion, now), ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // The rider's promotions could not be written: the place counted for them is given back.
            await repository.Promotions.UpdateAsync(code, p => p with { RidersAdded = Math.Max(0, p.RidersAdded - 1) }, ct: CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// The rider's invite code (<see cref="Referrals"/>), made the first time they ask and renewed when it nears its
    /// expiry; <see cref="Promotion.RidersAdded"/> is how many friends added it.
    /// </summary>
    public async Task<Promotion> InviteAsync(string riderId, CancellationToken ct)
    {
        var options = referral.Value;
        if (!options.Enabled) throw new PromotionRuleException("Inviting friends is turned off.");
        var code = Referrals.CodeFor(riderId);
        var now = clock.GetUtcNow();
        var invite = (await repository.Promotions.GetAsync(code, ct))?.Document;
        if (invite is null)
        {
            try
            {
                invite = Referrals.Invite(riderId, options, now);
                await repository.Promotions.InsertAsync(code, invite, ct: ct);
            }
            catch (DuplicateDocumentException)
            {
                invite = (await repository.Promotions.GetAsync(code, ct))!.Document; // the rider's other device made it
            }
        }
        if (invite.ReferrerId != riderId) throw new InvalidOperationException($"Invite code {code} belongs to another rider.");
        if (invite.ExpiresAt - now < Referrals.RenewWithin)
        {
            invite = await repository.Promotions.UpdateAsync(code, p => p with { ExpiresAt = now + Promotion.LongestValidity }, ct: ct) ?? invite;
        }
        return invite;
    }

    /// <summary>
    /// Rider <paramref name="riderId"/> completed a ride booked with promotion <paramref name="code"/>: if that is
    /// another rider's invite, that rider gets their reward (once per friend).
    /// </summary>
    public async Task<bool> RewardReferrerAsync(string code, string riderId, CancellationToken ct)
    {
        if ((await repository.Promotions.GetAsync(code, ct))?.Document is not { ReferrerId: { } referrerId }) return false;
        var now = clock.GetUtcNow();
        var reward = Referrals.Reward(code, riderId, referral.Value, now);
        // The inviter is told (mail, app) in the same write: a reward they had already got writes, and tells, nothing.
        await ChangeRiderAsync(referrerId, r => r.Add(reward, now), ct, _ => [OutboxMessages.Create(Topics.PromotionRewarded, referrerId,
            new PromotionRewardedIntegrationEvent(referrerId, reward.Code, reward.Terms.AmountOffMinor, reward.Terms.Currency, reward.ExpiresAt, now))]);
        return true;
    }

    /// <summary>
    /// Whether the rider completed a ride: among their newest <see cref="RiddenLookedAt"/> trips (a rider with that many
    /// trips and none completed is not the newcomer a welcome offer is for either).
    /// </summary>
    private async Task<bool> HasRiddenAsync(string riderId, CancellationToken ct)
    {
        var trips = await repository.Trips.QueryAsync("riderId", riderId, RiddenLookedAt, ct);
        return trips.Count >= RiddenLookedAt || trips.Any(t => t.Document.Status == TripStatus.Completed);
    }

    private const int RiddenLookedAt = 100;

    /// <summary>Holds one of <paramref name="code"/>'s rides for trip <paramref name="tripId"/> (before the trip is written).</summary>
    public Task HoldAsync(string riderId, string code, string tripId, CancellationToken ct) =>
        ChangeRiderAsync(riderId, r => r.Hold(code, tripId, clock.GetUtcNow()), ct);

    /// <summary>The trip ended without a ride (or was never written): its promotion's ride is the rider's again.</summary>
    public async Task ReleaseAsync(string riderId, string code, string tripId, CancellationToken ct) =>
        await repository.RiderPromotions.UpdateAsync(riderId, r => r.Release(code, tripId), ct: ct);

    /// <summary>Forgets a rider's promotions (their account was deleted).</summary>
    public async Task EraseAsync(string riderId, CancellationToken ct)
    {
        while (await repository.RiderPromotions.GetAsync(riderId, ct) is { } held)
        {
            try
            {
                await repository.RiderPromotions.DeleteAsync(riderId, held.Version, ct);
                return;
            }
            catch (ConcurrencyConflictException)
            {
            }
        }
    }

    private async Task<RiderPromotions> ChangeRiderAsync(string riderId, Func<RiderPromotions, RiderPromotions> change, CancellationToken ct,
        Func<RiderPromotions, IReadOnlyList<OutboxMessage>>? outbox = null)
    {
        while (true)
        {
            if (await repository.RiderPromotions.UpdateAsync(riderId, change, outbox, ct) is { } changed) return changed;
            try
            {
                var first = change(RiderPromotions.Empty(riderId));
                await repository.RiderPromotions.InsertAsync(riderId, first, outbox?.Invoke(first), ct);
                return first;
            }
            catch (DuplicateDocumentException)
            {
                // Another request of this rider's wrote first: change that.
            }
        }
    }
}

/// <summary>A promotion with this code exists already.</summary>
public sealed class PromotionExistsException(string message) : Exception(message);
