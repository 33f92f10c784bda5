namespace UberClone.Payments.Domain;

public static class FareHoldStatus
{
    /// <summary>Written before the provider is asked: a crash leaves a trace the sweeper resolves with the same key.</summary>
    public const string Placing = "placing";
    public const string Held = "held";
    public const string Declined = "declined";
    /// <summary>The bank asked the rider, who is booking, to confirm on its page (3-D Secure; ADR 0028): waiting for them.</summary>
    public const string Authenticating = "authenticating";
    public const string Capturing = "capturing";
    public const string Captured = "captured";
    public const string Releasing = "releasing";
    public const string Released = "released";
}

/// <summary>
/// The upfront price held on the rider's card when they booked (ADR 0027), one per trip (id = the trip). Each booking
/// of a declined hold is a new attempt (its own idempotency key). Transitions check the state they start from, so a
/// capture and a release can never both happen, and each is safe to repeat.
/// </summary>
public sealed record FareHold
{
    public const string CollectionName = "fare_holds";
    public const string DueAtField = "dueAtMs";

    /// <summary>A hold whose placing or release got no answer is asked again after this long.</summary>
    public static readonly TimeSpan AskAgainAfter = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A hold waiting for the rider's authentication is looked at by the sweeper after this long (longer than a quote is
    /// valid, so no booking can come for it after): released if the rider confirmed but never booked, abandoned if not.
    /// </summary>
    public static readonly TimeSpan AuthenticationWindow = TimeSpan.FromMinutes(15);

    /// <summary>A ride does not last this long: a hold still open after it is released by the sweeper.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    public required string Id { get; init; }
    public required string RiderId { get; init; }
    public required long AmountMinor { get; init; }
    public required string Currency { get; init; }
    public required string CardId { get; init; }
    public required string CardLabel { get; init; }
    public required string Provider { get; init; }
    public required int Attempt { get; init; }
    public required string Status { get; init; }
    public string? PaymentIntentId { get; init; }
    public string? DeclineCode { get; init; }
    /// <summary>Authenticating: the bank's page where the rider confirms the hold.</summary>
    public string? AuthenticationUrl { get; init; }
    /// <summary>Why it was released (cancelled, no_drivers_found, fare_above_hold, expired, …).</summary>
    public string? EndReason { get; init; }
    public long CapturedMinor { get; init; }

    /// <summary>
    /// Being raised to this amount (the rider's new destination costs more, ADR 0029): a second hold for it was asked of
    /// the provider (<see cref="RaiseKey"/>); the current one stays until that one is held. Null: no raise in flight.
    /// </summary>
    public long? RaisingToMinor { get; init; }

    /// <summary>
    /// The card the replacement hold in flight is asked on, when the rider moved the ride to another of their cards
    /// (ADR 0032); null: a raise on the same card. Held, it becomes the hold's card.
    /// </summary>
    public string? RaisingCardId { get; init; }
    public string? RaisingCardLabel { get; init; }

    /// <summary>How many raises (and moves to another card) were asked (each its own idempotency key).</summary>
    public int Raises { get; init; }

    /// <summary>How many of <see cref="Raises"/> were the rider asking to move the ride to another card (ADR 0032).</summary>
    public int MovesAsked { get; init; }

    /// <summary>How many times the ride moved to another card (the bank held it there).</summary>
    public int Moves { get; init; }

    /// <summary>The last raise's decline (the bank's code): the hold kept its amount.</summary>
    public string? RaiseDeclineCode { get; init; }

    /// <summary>A provider hold this one no longer uses (replaced by a raise, or a raise that came too late): let go next.</summary>
    public string? SupersededPaymentIntentId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    public string TripId => Id;

    /// <summary>
    /// Indexed: when the sweeper looks at the hold. Placing or releasing without an answer: a minute after it was asked;
    /// held: when it is <see cref="MaxAge"/> old (released then). A capture in flight belongs to its payment session's
    /// retries; a declined, captured or released hold is done.
    /// </summary>
    public long? DueAtMs => RaisingToMinor is not null || SupersededPaymentIntentId is not null
        ? (UpdatedAt + AskAgainAfter).ToUnixTimeMilliseconds() // a raise without an answer, or a replaced hold to let go
        : Status switch
        {
            FareHoldStatus.Placing or FareHoldStatus.Releasing => (UpdatedAt + AskAgainAfter).ToUnixTimeMilliseconds(),
            FareHoldStatus.Held => (CreatedAt + MaxAge).ToUnixTimeMilliseconds(),
            FareHoldStatus.Authenticating => (UpdatedAt + AuthenticationWindow).ToUnixTimeMilliseconds(),
            _ => null,
        };

    public bool IsOld(DateTimeOffset now) => now - CreatedAt >= MaxAge;

    public bool IsHeld => Status == FareHoldStatus.Held;

    public static string IdempotencyKey(string tripId, int attempt) => $"hold-{tripId}-{attempt}";

    public string Key => IdempotencyKey(Id, Attempt);

    /// <summary>The raise in flight's key: asked twice (a lost answer, the sweeper), held once.</summary>
    public string RaiseKey => $"{Key}-raise-{Raises}";

    /// <summary>
    /// The rider's new destination costs <paramref name="amountMinor"/>, more than is held (ADR 0029): a hold for it is
    /// asked next, beside this one. Only a held hold is raised, one raise at a time (and once the hold a previous raise
    /// replaced is let go); anything else is left as it is.
    /// </summary>
    public FareHold StartRaise(long amountMinor, DateTimeOffset now) => IsHeld && RaisingToMinor is null && SupersededPaymentIntentId is null && amountMinor > AmountMinor
        ? this with { RaisingToMinor = amountMinor, Raises = Raises + 1, RaiseDeclineCode = null, UpdatedAt = now }
        : this;

    public bool IsRaising => RaisingToMinor is not null;

    /// <summary>
    /// The rider moves the ride to another of their cards (ADR 0032): a hold for what is held now, or for
    /// <paramref name="amountMinor"/> (the upfront price now) if that is more, is asked on <paramref name="card"/>, beside
    /// this one, as a raise is; held, it replaces this one, which is let go. Only a held hold moves, one change at a time
    /// (and once the hold a previous change replaced is let go); anything else is left as it is.
    /// </summary>
    public FareHold StartMove(SavedCard card, long amountMinor, DateTimeOffset now) =>
        IsHeld && RaisingToMinor is null && SupersededPaymentIntentId is null && card.Id != CardId
            ? this with
            {
                RaisingToMinor = Math.Max(amountMinor, AmountMinor), RaisingCardId = card.Id, RaisingCardLabel = card.Label, Raises = Raises + 1,
                MovesAsked = MovesAsked + 1, UpdatedAt = now,
            }
            : this;

    /// <summary>
    /// The bank's answer to the raise (or the move to another card). Held while this one still is: the new hold replaces
    /// it (its amount, its PaymentIntent, its card), and the old one is let go next (<see cref="SupersededPaymentIntentId"/>).
    /// Held after this one was captured or released meanwhile (the ride ended): the new hold is the one let go. Declined:
    /// the amount and the card stay (a declined move leaves <see cref="RaiseDeclineCode"/> alone: it is about the price).
    /// </summary>
    public FareHold Raised(bool held, string? paymentIntentId, string? declineCode, DateTimeOffset now)
    {
        if (RaisingToMinor is not { } raisedTo) return this;
        var done = this with { RaisingToMinor = null, RaisingCardId = null, RaisingCardLabel = null, UpdatedAt = now };
        if (!held) return RaisingCardId is null ? done with { RaiseDeclineCode = declineCode ?? "card_declined" } : done;
        if (paymentIntentId is not { Length: > 0 }) return done;
        return IsHeld
            ? done with
            {
                AmountMinor = raisedTo, PaymentIntentId = paymentIntentId, SupersededPaymentIntentId = PaymentIntentId, CardId = RaisingCardId ?? CardId,
                CardLabel = RaisingCardLabel ?? CardLabel, RaiseDeclineCode = null, Moves = RaisingCardId is null ? Moves : Moves + 1,
            }
            : done with { SupersededPaymentIntentId = paymentIntentId };
    }

    /// <summary>The replaced provider hold was let go.</summary>
    public FareHold SupersededReleased(string paymentIntentId, DateTimeOffset now) => SupersededPaymentIntentId == paymentIntentId
        ? this with { SupersededPaymentIntentId = null, UpdatedAt = now }
        : this;

    /// <summary>A capture is asked once per trip: a retried capture answers the first.</summary>
    public string CaptureKey => $"capture-{Id}";

    public static FareHold Place(string tripId, string riderId, long amountMinor, string currency, SavedCard card, string provider, int attempt, DateTimeOffset now) => new()
    {
        Id = tripId, RiderId = riderId, AmountMinor = amountMinor, Currency = currency.ToUpperInvariant(), CardId = card.Id, CardLabel = card.Label,
        Provider = provider, Attempt = attempt, Status = FareHoldStatus.Placing, CreatedAt = now, UpdatedAt = now,
    };

    /// <summary>
    /// The bank's answer to the hold: the money is held, or the card declined it. A hold whose release was asked for
    /// while its answer was awaited (the trip ended meanwhile) goes on to be released.
    /// </summary>
    public FareHold Answered(bool held, string? paymentIntentId, string? declineCode, DateTimeOffset now) => Status != FareHoldStatus.Placing
        ? this
        : this with
        {
            Status = !held ? FareHoldStatus.Declined : EndReason is null ? FareHoldStatus.Held : FareHoldStatus.Releasing,
            PaymentIntentId = paymentIntentId ?? PaymentIntentId, DeclineCode = held ? null : declineCode ?? "card_declined", UpdatedAt = now,
        };

    /// <summary>
    /// The bank wants the rider to confirm the hold (3-D Secure) and the rider is there to: they are sent to
    /// <paramref name="url"/>, and their next booking of the trip finds out what they did (<see cref="Authenticated"/>).
    /// </summary>
    public FareHold AwaitingAuthentication(string paymentIntentId, string url, DateTimeOffset now) => Status != FareHoldStatus.Placing
        ? this
        : this with { Status = FareHoldStatus.Authenticating, PaymentIntentId = paymentIntentId, AuthenticationUrl = url, DeclineCode = null, UpdatedAt = now };

    public bool IsAuthenticating => Status == FareHoldStatus.Authenticating;

    /// <summary>What came of the rider's authentication: held, or declined (failed at the bank, or the bank's code).</summary>
    public FareHold Authenticated(bool held, string? declineCode, DateTimeOffset now) => Status != FareHoldStatus.Authenticating
        ? this
        : this with
        {
            Status = held ? FareHoldStatus.Held : FareHoldStatus.Declined, DeclineCode = held ? null : declineCode ?? "authentication_failed",
            AuthenticationUrl = null, UpdatedAt = now,
        };

    /// <summary>Whether the ride's charge can be taken from this hold: held, same currency, and covering it.</summary>
    public bool Covers(long amountMinor, string currency) =>
        IsHeld && amountMinor > 0 && amountMinor <= AmountMinor && string.Equals(currency, Currency, StringComparison.OrdinalIgnoreCase);

    public FareHold StartCapture(DateTimeOffset now) => IsHeld ? this with { Status = FareHoldStatus.Capturing, UpdatedAt = now } : this;

    /// <summary>Its capture was asked (the session charging it resumes with the same key).</summary>
    public bool IsCapturing => Status == FareHoldStatus.Capturing;

    public FareHold Captured(long amountMinor, DateTimeOffset now) => Status is FareHoldStatus.Capturing or FareHoldStatus.Held
        ? this with { Status = FareHoldStatus.Captured, CapturedMinor = amountMinor, UpdatedAt = now }
        : this;

    /// <summary>The provider no longer has the hold (it expired, or was cancelled there): nothing is held any more.</summary>
    public FareHold Lost(string reason, DateTimeOffset now) => Status is FareHoldStatus.Capturing or FareHoldStatus.Held or FareHoldStatus.Releasing
        ? this with { Status = FareHoldStatus.Released, EndReason = reason, UpdatedAt = now }
        : this;

    /// <summary>Held, or waiting for the rider's authentication (abandoned): released now. Still placing: released as soon as the bank's answer is known (<see cref="Answered"/>).</summary>
    public FareHold StartRelease(string reason, DateTimeOffset now) => Status switch
    {
        FareHoldStatus.Held or FareHoldStatus.Authenticating => this with { Status = FareHoldStatus.Releasing, EndReason = reason, AuthenticationUrl = null, UpdatedAt = now },
        FareHoldStatus.Placing when EndReason is null => this with { EndReason = reason },
        _ => this,
    };

    public FareHold ReleasedNow(DateTimeOffset now) => Status == FareHoldStatus.Releasing ? this with { Status = FareHoldStatus.Released, UpdatedAt = now } : this;

    /// <summary>
    /// A new attempt after a decline (the rider books the same quote again, maybe with another card), or after a release
    /// (the booking it was placed for was never written, so nothing else can be holding money for this trip).
    /// </summary>
    public FareHold Retry(long amountMinor, string currency, SavedCard card, DateTimeOffset now) => Status is not (FareHoldStatus.Declined or FareHoldStatus.Released)
        ? this
        : this with
        {
            AmountMinor = amountMinor, Currency = currency.ToUpperInvariant(), CardId = card.Id, CardLabel = card.Label, Attempt = Attempt + 1,
            Status = FareHoldStatus.Placing, PaymentIntentId = null, DeclineCode = null, EndReason = null, AuthenticationUrl = null, CreatedAt = now, UpdatedAt = now,
        };
}
