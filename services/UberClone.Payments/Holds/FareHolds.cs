using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Payments.Application;
using UberClone.Payments.Cards;
using UberClone.Payments.Domain;
using UberClone.Payments.Providers;
using UberClone.Storage;

namespace UberClone.Payments.Holds;

/// <summary>
/// The upfront price held on the rider's card at booking (ADR 0027): placed while trips books, captured by the ride's
/// charge, released when the trip ends without one or by <see cref="HoldSweeper"/>.
/// </summary>
public sealed class FareHolds(IDocumentDatabase database, IPaymentProvider provider, CardsApplication cards, PaymentsOptions options, TimeProvider clock,
    PaymentsMetrics metrics, ILogger<FareHolds> logger)
{
    public IDocumentStore<FareHold> Holds { get; } = database.Collection<FareHold>(FareHold.CollectionName, FareHold.DueAtField);

    public async Task<FareHold?> GetAsync(string tripId, CancellationToken ct) => (await Holds.GetAsync(tripId, ct))?.Document;

    /// <summary>
    /// Holds <paramref name="amountMinor"/> on the card the rider chose (<paramref name="cardId"/>; null: their default)
    /// for the trip. Null: nothing to hold (no usable card, or nothing to pay). A chosen card that is not the rider's, or
    /// has expired, throws <see cref="WalletException"/>. The same trip again answers its hold; a declined one is tried again (a new attempt, maybe
    /// another card). A provider that does not answer throws <see cref="PaymentProviderException"/> and leaves the hold
    /// placing: asked again with the same key by the sweeper or the next booking of the trip.
    /// <paramref name="riderPresent"/> (booking now, ADR 0028): a bank asking for authentication sends the rider to its page
    /// (<see cref="FareHoldStatus.Authenticating"/>); their next booking of the trip finds out what they did there. Without
    /// the rider (a ride booked for later starting its search) it is a decline.
    /// </summary>
    public async Task<FareHold?> PlaceAsync(string tripId, string riderId, long amountMinor, string currency, CancellationToken ct, string? cardId = null,
        bool riderPresent = false)
    {
        if (amountMinor <= 0) return null;
        var now = clock.GetUtcNow();
        var existing = await GetAsync(tripId, ct);
        if (existing is not null && existing.RiderId != riderId) throw new HoldNotYoursException(tripId);
        if (existing is { Status: FareHoldStatus.Placing }) return await AskAsync(existing, riderPresent);
        if (existing is { Status: FareHoldStatus.Authenticating })
        {
            // Back from the bank's page (or booking again without going there): what the bank says now. Another card
            // chosen meanwhile: that authentication is abandoned, and the new card is asked.
            if ((await cards.ChosenCardAsync(riderId, cardId, ct))?.Card.Id == existing.CardId) return await AuthenticationAnswerAsync(existing, ct);
            existing = await ReleaseAsync(tripId, "authentication_abandoned", ct);
        }
        // Booked already (a retried request): its hold. Declined, or released because the booking was not written: tried again.
        if (existing is { Status: not (FareHoldStatus.Declined or FareHoldStatus.Released) }) return existing;

        if (await cards.ChosenCardAsync(riderId, cardId, ct) is not { } card) return null;
        FareHold placing;
        if (existing is null)
        {
            placing = FareHold.Place(tripId, riderId, amountMinor, currency, card.Card, provider.Name, attempt: 1, now);
            try
            {
                await Holds.InsertAsync(tripId, placing, ct: ct);
            }
            catch (DuplicateDocumentException)
            {
                // A concurrent booking of the same quote wrote it first.
                return await PlaceAsync(tripId, riderId, amountMinor, currency, ct, cardId, riderPresent);
            }
        }
        else
        {
            placing = (await WriteAsync(tripId, h => h.Retry(amountMinor, currency, card.Card, now), ct: ct))!;
        }
        return placing.Status == FareHoldStatus.Placing ? await AskAsync(placing, riderPresent) : placing;
    }

    /// <summary>
    /// Asks the provider for a placing hold (with its key: asked twice, held once) and records the answer — even when the
    /// caller stopped waiting (trips books without a hold after 3 s): the answer's write tells trips (ADR 0030).
    /// </summary>
    private async Task<FareHold> AskAsync(FareHold hold, bool riderPresent)
    {
        var ct = CancellationToken.None;
        var wallet = await cards.WalletAsync(hold.RiderId, ct);
        ProviderCharge answer;
        if (wallet?.Find(hold.CardId) is not { } card) answer = new ProviderCharge("", false, "card_removed");
        else
        {
            answer = await provider.HoldCardAsync(new CardHoldRequest(hold.Id, hold.RiderId, hold.AmountMinor, hold.Currency, wallet.CustomerId,
                card.ProviderPaymentMethodId, hold.Key), ct);
            if (riderPresent && answer is { Succeeded: false, DeclineCode: AuthenticationRequired, PaymentIntentId.Length: > 0 })
            {
                var asked = await provider.AuthenticateHoldAsync(new HoldAuthenticationRequest(hold.Id, answer.PaymentIntentId, card.ProviderPaymentMethodId,
                    options.AuthenticatedUrl), ct);
                if (asked.Url is { } url)
                {
                    var authenticating = (await WriteAsync(hold.Id, h => h.Attempt == hold.Attempt ? h.AwaitingAuthentication(answer.PaymentIntentId, url, clock.GetUtcNow()) : h, ct: ct))!;
                    metrics.Hold(authenticating.Status);
                    logger.LogInformation("Hold for trip {TripId} on {Card}: the bank asks the rider to authenticate it.", hold.Id, hold.CardLabel);
                    return authenticating;
                }
                answer = asked.Answer ?? answer;
            }
        }
        var now = clock.GetUtcNow();
        var answered = (await WriteAsync(hold.Id, h => h.Attempt == hold.Attempt ? h.Answered(answer.Succeeded, answer.PaymentIntentId is { Length: > 0 } pi ? pi : null, answer.DeclineCode, now) : h, ct: ct))!;
        if (answered.UpdatedAt == now) metrics.Hold(answered.Status);
        logger.LogInformation("Hold of {Amount} {Currency} for trip {TripId} on {Card}: {Status} {Decline}", answered.AmountMinor, answered.Currency, answered.Id,
            answered.CardLabel, answered.Status, answered.DeclineCode);
        return answered.Status == FareHoldStatus.Releasing ? await FinishReleaseAsync(answered, ct) : answered;
    }

    /// <summary>
    /// The rider's new destination costs <paramref name="amountMinor"/> (ADR 0029): a held hold for less is raised to it —
    /// a new hold for the whole amount on the same card, off-session (the rider is riding: a bank asking for
    /// authentication declines it), which replaces the current one once held; the current one is then let go. Declined:
    /// the hold keeps its amount and says why (<see cref="FareHold.RaiseDeclineCode"/>). Not the rider's: throws
    /// <see cref="HoldNotYoursException"/>. No hold, or one not held: answered as it is. A provider that does not answer
    /// throws <see cref="PaymentProviderException"/> and leaves the raise for the sweeper (same key).
    /// </summary>
    public async Task<FareHold?> RaiseAsync(string tripId, string riderId, long amountMinor, string currency, CancellationToken ct)
    {
        var hold = await GetAsync(tripId, ct);
        if (hold is null) return null;
        if (hold.RiderId != riderId) throw new HoldNotYoursException(tripId);
        if (!string.Equals(hold.Currency, currency, StringComparison.OrdinalIgnoreCase)) return hold;
        if (hold.SupersededPaymentIntentId is not null) hold = await ReleaseSupersededAsync(hold, ct);
        if (hold.IsRaising) hold = await AskRaiseAsync(hold); // an earlier raise without an answer: that one first
        var raising = (await WriteAsync(tripId, h => h.StartRaise(amountMinor, clock.GetUtcNow()), ct: ct))!;
        return raising.IsRaising && raising.RaisingToMinor == amountMinor ? await AskRaiseAsync(raising) : raising;
    }

    /// <summary>
    /// The rider moves the ride to another of their cards, <paramref name="cardId"/> (ADR 0032): what is held now (or
    /// <paramref name="amountMinor"/>, the upfront price now, if more) is held on it off-session, replacing the current
    /// hold once held (which is then let go), as a raise does. The bank declining it leaves the hold as it was, on its
    /// card (<see cref="HoldMove.DeclineCode"/>). No hold held (the ride was booked without one, or its hold was declined
    /// or let go): one is placed on the new card. A card that is not the rider's or has expired throws
    /// <see cref="WalletException"/>; a hold still being answered or taken throws <see cref="HoldBusyException"/>; a
    /// provider that does not answer throws <see cref="PaymentProviderException"/> (the move is asked again by the
    /// sweeper with the same key; a held answer then moves the trip's card by payment.event.hold_changed).
    /// </summary>
    public async Task<HoldMove> MoveAsync(string tripId, string riderId, string cardId, long amountMinor, string currency, CancellationToken ct)
    {
        var hold = await GetAsync(tripId, ct);
        if (hold is not null && hold.RiderId != riderId) throw new HoldNotYoursException(tripId);
        var card = (await cards.ChosenCardAsync(riderId, cardId, ct))!.Card;
        if (hold is null or { Status: FareHoldStatus.Declined or FareHoldStatus.Released })
        {
            var placed = await PlaceAsync(tripId, riderId, amountMinor, currency, ct, cardId);
            return new HoldMove(placed, card.Label, placed is null or { IsHeld: true } ? null : placed.DeclineCode ?? "card_declined");
        }
        if (hold.SupersededPaymentIntentId is not null) hold = await ReleaseSupersededAsync(hold, ct);
        if (hold.IsRaising) hold = (await AskReplacementAsync(hold)).Hold; // a raise or move still without an answer: that one first
        if (!hold.IsHeld) throw new HoldBusyException(tripId);
        if (hold.CardId == card.Id) return new HoldMove(hold, card.Label, null);
        var moving = (await WriteAsync(tripId, h => h.StartMove(card, amountMinor, clock.GetUtcNow()), ct: ct))!;
        if (moving.RaisingCardId != card.Id) throw new HoldBusyException(tripId);
        var (moved, answer) = await AskReplacementAsync(moving);
        return new HoldMove(moved, card.Label, answer.Succeeded ? null : answer.DeclineCode ?? "card_declined");
    }

    private async Task<FareHold> AskRaiseAsync(FareHold hold) => (await AskReplacementAsync(hold)).Hold;

    /// <summary>
    /// Asks the provider for the raise (or move to another card) in flight, with its key, and records the answer, even
    /// when the caller stopped waiting (ADR 0030); a replaced hold is let go.
    /// </summary>
    private async Task<(FareHold Hold, ProviderCharge Answer)> AskReplacementAsync(FareHold hold)
    {
        var ct = CancellationToken.None;
        var wallet = await cards.WalletAsync(hold.RiderId, ct);
        var answer = wallet?.Find(hold.RaisingCardId ?? hold.CardId) is { } card
            ? await provider.HoldCardAsync(new CardHoldRequest(hold.Id, hold.RiderId, hold.RaisingToMinor!.Value, hold.Currency, wallet.CustomerId,
                card.ProviderPaymentMethodId, hold.RaiseKey), ct)
            : new ProviderCharge("", false, "card_removed");
        var raises = hold.Raises;
        var answered = (await WriteAsync(hold.Id, h => h.Raises == raises
            ? h.Raised(answer.Succeeded, answer.PaymentIntentId is { Length: > 0 } pi ? pi : null, answer.DeclineCode, clock.GetUtcNow())
            : h, ct: ct))!;
        var what = hold.RaisingCardId is null ? "raise" : "move";
        metrics.Hold(answer.Succeeded ? $"{what}d" : $"{what}_declined");
        logger.LogInformation("{What} of the hold for trip {TripId} to {Amount} {Currency} on {Card}: {Outcome}", what, hold.Id, hold.RaisingToMinor, hold.Currency,
            hold.RaisingCardLabel ?? hold.CardLabel, answer.Succeeded ? "held" : answer.DeclineCode);
        return (answered.SupersededPaymentIntentId is not null ? await ReleaseSupersededAsync(answered, ct) : answered, answer);
    }

    /// <summary>Lets go of the provider hold a raise replaced (or a raise that came after the ride ended).</summary>
    private async Task<FareHold> ReleaseSupersededAsync(FareHold hold, CancellationToken ct)
    {
        var intent = hold.SupersededPaymentIntentId!;
        await provider.ReleaseHoldAsync(intent, ct);
        return (await WriteAsync(hold.Id, h => h.SupersededReleased(intent, clock.GetUtcNow()), ct: ct))!;
    }

    /// <summary>
    /// Every change of a hold carries payment.event.hold_changed (ADR 0030): trips shows the hold on the trip from it, so an
    /// answer that came after trips stopped waiting (or that the sweeper got) still reaches the rider.
    /// </summary>
    private Task<FareHold?> WriteAsync(string tripId, Func<FareHold, FareHold> transition, CancellationToken ct) =>
        Holds.UpdateAsync(tripId, transition, h => [OutboxMessages.Create(Topics.PaymentHoldChanged, h.Id, new PaymentHoldChangedIntegrationEvent(
            h.Id, h.RiderId, h.Status, h.CardLabel, h.AmountMinor, h.Currency, h.RaiseDeclineCode, h.UpdatedAt.ToUnixTimeMilliseconds(), h.UpdatedAt, h.CardId))], ct);

    /// <summary>The decline that means the bank wants the cardholder to confirm the payment (3-D Secure).</summary>
    public const string AuthenticationRequired = "authentication_required";

    /// <summary>
    /// What came of the rider's authentication at the bank: held, declined (failed, or abandoned at the provider), or
    /// still waiting (the rider has not answered yet: the same page again).
    /// </summary>
    private async Task<FareHold> AuthenticationAnswerAsync(FareHold hold, CancellationToken ct)
    {
        var state = await provider.HoldStateAsync(hold.PaymentIntentId!, ct);
        if (state.IsAwaitingAuthentication) return hold;
        var answered = (await WriteAsync(hold.Id, h => h.Attempt == hold.Attempt ? h.Authenticated(state.IsHeld, state.DeclineCode, clock.GetUtcNow()) : h, ct: ct))!;
        metrics.Hold(answered.Status);
        logger.LogInformation("Authentication of the hold for trip {TripId}: {Status} {Decline}", hold.Id, answered.Status, answered.DeclineCode);
        return answered;
    }

    /// <summary>
    /// The hold a ride's charge takes its money from, if it covers it (held, same currency, at least the amount); a held
    /// hold that does not cover it (the fare grew, another currency) is released, and the charge goes the usual way.
    /// </summary>
    public async Task<FareHold?> ForChargeAsync(string tripId, long amountMinor, string currency, CancellationToken ct)
    {
        var hold = await GetAsync(tripId, ct);
        if (hold is null) return null;
        if (hold.Covers(amountMinor, currency)) return hold;
        if (hold.IsHeld) await ReleaseAsync(tripId, amountMinor > hold.AmountMinor ? "charge_above_hold" : "charge_not_covered", ct);
        return null;
    }

    /// <summary>
    /// Takes <paramref name="amountMinor"/> from the trip's hold. Null when it can no longer be (released, lost, never
    /// held): the caller charges the card instead. Not succeeded: the provider no longer had it (recorded as released).
    /// A provider that does not answer throws, leaving the hold capturing for the session's retry (same key).
    /// </summary>
    public async Task<ProviderCharge?> CaptureAsync(string tripId, long amountMinor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var capturing = await WriteAsync(tripId, h => h.StartCapture(now), ct: ct);
        if (capturing is not { IsCapturing: true, PaymentIntentId: { } intent }) return capturing is { Status: FareHoldStatus.Captured } done
            ? new ProviderCharge(done.PaymentIntentId ?? "", true, null)
            : null;
        var charge = await provider.CaptureHoldAsync(new HoldCaptureRequest(tripId, intent, amountMinor, capturing.CaptureKey), ct);
        var after = clock.GetUtcNow();
        await WriteAsync(tripId, h => charge.Succeeded ? h.Captured(amountMinor, after) : h.Lost(charge.DeclineCode ?? "hold_expired", after), ct: ct);
        metrics.Hold(charge.Succeeded ? FareHoldStatus.Captured : "lost");
        logger.LogInformation("Capture of {Amount} from the hold of trip {TripId}: {Outcome}", amountMinor, tripId, charge.Succeeded ? "taken" : charge.DeclineCode);
        return charge;
    }

    /// <summary>
    /// Lets the trip's hold go (the trip ended without a charge, or the charge does not fit it). A hold still waiting for
    /// the bank's answer is released as soon as it comes. A provider that does not answer leaves it releasing, for the
    /// sweeper. Safe to repeat.
    /// </summary>
    public async Task<FareHold?> ReleaseAsync(string tripId, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var hold = await WriteAsync(tripId, h => h.StartRelease(reason, now), ct: ct);
        return hold is { Status: FareHoldStatus.Releasing } ? await FinishReleaseAsync(hold, ct) : hold;
    }

    private async Task<FareHold> FinishReleaseAsync(FareHold hold, CancellationToken ct)
    {
        if (hold.PaymentIntentId is { } intent) await provider.ReleaseHoldAsync(intent, ct);
        var released = (await WriteAsync(hold.Id, h => h.ReleasedNow(clock.GetUtcNow()), ct: ct))!;
        metrics.Hold(FareHoldStatus.Released);
        logger.LogInformation("Hold of trip {TripId} released ({Reason}).", hold.Id, hold.EndReason);
        return released;
    }

    /// <summary>
    /// The holds due (<see cref="FareHold.DueAtMs"/>), at most <paramref name="limit"/>: placing or releasing ones the
    /// provider did not answer are asked again; holds <see cref="FareHold.MaxAge"/> old are released (a booking that never
    /// wrote its trip, an event that never came), and so are holds whose rider was sent to authenticate them and never
    /// booked (<see cref="FareHold.AuthenticationWindow"/>); a raise without an answer is asked again, and a hold a raise
    /// replaced is let go (ADR 0029). Safe on every replica. How many were looked at.
    /// </summary>
    public async Task<int> SweepAsync(int limit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var due = await Holds.QueryUpToAsync(FareHold.DueAtField, now.ToUnixTimeMilliseconds(), limit, ct);
        foreach (var hold in due.Select(d => d.Document))
        {
            try
            {
                var current = hold.Status switch
                {
                    FareHoldStatus.Placing => await AskAsync(hold, riderPresent: false),
                    FareHoldStatus.Releasing => await FinishReleaseAsync(hold, ct),
                    // The rider never came back to book after the bank's page: whatever the bank holds is let go.
                    FareHoldStatus.Authenticating => await ReleaseAsync(hold.Id, "authentication_abandoned", ct) ?? hold,
                    _ => hold,
                };
                // A raise without an answer is asked again (same key); a hold a raise replaced is let go.
                if (current.IsRaising) current = await AskRaiseAsync(current);
                else if (current.SupersededPaymentIntentId is not null) current = await ReleaseSupersededAsync(current, ct);
                if (current.IsHeld && current.IsOld(now)) await ReleaseAsync(current.Id, "expired", ct);
            }
            catch (PaymentProviderException ex)
            {
                logger.LogWarning(ex, "The provider did not answer for the hold of trip {TripId}; asking again later.", hold.Id);
            }
        }
        return due.Count;
    }
}

/// <summary>Resolves holds left without an answer and releases old ones (<see cref="FareHolds.SweepAsync"/>), every <c>Payments:HoldSweepPoll</c> (a minute).</summary>
public sealed class HoldSweeper(FareHolds holds, IConfiguration configuration, ILogger<HoldSweeper> logger)
    : PeriodicJob(configuration, "Payments:HoldSweepPoll", TimeSpan.FromMinutes(1), logger)
{
    private const int Batch = 100;

    protected override string What => "Sweeping card holds";

    protected override Task RunAsync(CancellationToken ct) => holds.SweepAsync(Batch, ct);
}

/// <summary>
/// What came of moving a ride to another card (<see cref="FareHolds.MoveAsync"/>): the trip's hold as it is now (null:
/// nothing to hold), the new card's label, and the bank's code when it declined holding on it (the hold stayed as it was).
/// </summary>
public sealed record HoldMove(FareHold? Hold, string CardLabel, string? DeclineCode);

/// <summary>A trip's hold that cannot move now: the bank is still answering for it, or the ride's charge is taking it.</summary>
public sealed class HoldBusyException(string tripId) : Exception($"Trip {tripId}'s card hold is still being answered or taken; try again in a moment.");

/// <summary>A trip's hold asked for by a rider who did not book it.</summary>
public sealed class HoldNotYoursException(string tripId) : Exception($"Trip {tripId}'s hold is another rider's.");
