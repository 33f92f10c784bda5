using UberClone.Contracts;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Application;

/// <summary>
/// What payments answered for a booking's hold (ADR 0027): held, declined with the bank's code, the bank asking the rider
/// to authenticate it on its page (<paramref name="AuthenticationUrl"/>, ADR 0028), or nothing to hold. After a raise for a
/// new destination (ADR 0029): the amount held, and the bank's code if it declined the raise (<paramref name="RaiseDeclineCode"/>).
/// </summary>
public sealed record FareHoldAnswer(string Status, string? CardLabel, string? DeclineCode, long AmountMinor, string Currency, string? AuthenticationUrl = null,
    string? RaiseDeclineCode = null, long Version = 0, string? CardId = null)
{
    public const string Held = "held";
    public const string Declined = "declined";
    public const string Authenticating = "authenticating";
    public const string Placing = "placing";
    /// <summary>Being taken by the ride's charge: still held for the ride until it is.</summary>
    public const string Capturing = "capturing";

    public bool IsHeld => Status == Held;

    /// <summary>Whether payments has decided what is held (not still asking the bank or the rider).</summary>
    public bool IsDecided => Status is not (Placing or Authenticating);

    /// <summary>What the trip shows of it: the card and amount while held for the ride; null once it is not.</summary>
    public TripPaymentHold? Shown => Status is Held or Capturing && CardLabel is { Length: > 0 } label ? new TripPaymentHold(label, AmountMinor, RaiseDeclineCode, CardId) : null;

    public bool IsDeclined => Status == Declined;
    public bool IsAuthenticating => Status == Authenticating && AuthenticationUrl is not null;
}

/// <summary>
/// Payments, as trips sees it while booking (ADR 0027): hold the upfront price on the rider's card (the one they chose,
/// <paramref name="cardId"/>, or their default), or let a hold go when the booking could not be written. Null: payments
/// did not answer in time; the trip is booked without a hold and the card is charged when the ride ends. A chosen card
/// that is not the rider's any more, or has expired, throws <see cref="Domain.TripRuleException"/> saying so.
/// <paramref name="riderPresent"/>: the rider is booking now and can confirm the hold at their bank when it asks.
/// </summary>
public interface IFareHolds
{
    Task<FareHoldAnswer?> HoldAsync(string riderId, string tripId, long amountMinor, string currency, string? cardId, bool riderPresent, CancellationToken ct);

    Task ReleaseAsync(string riderId, string tripId, CancellationToken ct);

    /// <summary>
    /// The rider's new destination costs <paramref name="amountMinor"/>, more than is held (ADR 0029): the hold raised to
    /// it, or kept with the bank's decline. Null: payments did not answer in time (it asks again itself; the fare above
    /// the hold is charged when the ride ends if the raise never comes).
    /// </summary>
    Task<FareHoldAnswer?> RaiseAsync(string riderId, string tripId, long amountMinor, string currency, CancellationToken ct);

    /// <summary>
    /// That <paramref name="cardId"/> is one of the rider's saved cards and has not expired (a ride booked for later is
    /// held on it only when its search starts), else <see cref="Domain.TripRuleException"/> saying so. Payments not
    /// answering: <see cref="PaymentsUnavailableException"/> (HTTP 503; nothing written, the rider tries again).
    /// </summary>
    Task CheckCardAsync(string riderId, string cardId, CancellationToken ct);

    /// <summary>
    /// The rider moves the ride to another of their cards (ADR 0032): what is held (or <paramref name="amountMinor"/>, the
    /// upfront price now, if more) held on <paramref name="cardId"/>, the old hold let go; or, the bank declining, the hold
    /// as it was with the bank's code. A card not theirs or expired throws <see cref="Domain.TripRuleException"/>; a hold
    /// still being answered <see cref="CardHoldBusyException"/>; payments not answering in time
    /// <see cref="PaymentsUnavailableException"/> (payments finishes the move itself; a held answer reaches the trip).
    /// </summary>
    Task<FareHoldMove> MoveAsync(string riderId, string tripId, string cardId, long amountMinor, string currency, CancellationToken ct);
}

/// <summary>
/// What came of moving a ride to another card (ADR 0032): the trip's hold now (null: nothing to hold), the new card's
/// label, and the bank's code when it declined holding on it (the ride stays on its card).
/// </summary>
public sealed record FareHoldMove(FareHoldAnswer? Hold, string CardLabel, string? DeclineCode);

/// <summary>The new card declined the ride's hold: the ride stays on its card (FAILED_PRECONDITION, HTTP 400, saying why).</summary>
public sealed class CardMoveDeclinedException(FareHoldMove move, long amountMinor, string currency, string? stayingOn) : Exception(
    $"Your bank declined holding {Currencies.Display(amountMinor, currency)} on {move.CardLabel} ({move.DeclineCode?.Replace('_', ' ')}): "
    + (stayingOn is null ? "the ride is paid as before." : $"the ride stays on {stayingOn}."));

/// <summary>The ride's hold is still being answered by the bank (or taken): the card cannot change this moment (ABORTED, HTTP 409).</summary>
public sealed class CardHoldBusyException() : Exception("Your bank is still answering for this ride's card; try again in a moment.");

/// <summary>Payments did not answer in time (UNAVAILABLE, HTTP 503): nothing is known to have changed yet.</summary>
public sealed class PaymentsUnavailableException(string message) : Exception(message)
{
    public PaymentsUnavailableException() : this("Payments did not answer in time. If your bank holds the ride on the new card, the app shows it in a moment; otherwise try again.")
    {
    }
}

/// <summary>The card was declined while booking: the trip is not booked (FAILED_PRECONDITION, HTTP 400, with the bank's reason).</summary>
public sealed class CardDeclinedException(FareHoldAnswer hold) : Exception(
    $"Your card {hold.CardLabel} was declined ({hold.DeclineCode?.Replace('_', ' ')}) for the {Currencies.Display(hold.AmountMinor, hold.Currency)} this ride costs. "
    + "Choose another card, or remove it in your account to pay after the ride.");

/// <summary>
/// The bank asks the rider to confirm the hold on its page (3-D Secure; ADR 0028): nothing is booked yet. The rider goes to
/// <see cref="AuthenticationUrl"/>, comes back, and books the same quote again, which then finds the hold held or declined.
/// </summary>
public sealed class CardAuthenticationRequiredException(FareHoldAnswer hold) : Exception(
    $"Your bank asks you to confirm the {Currencies.Display(hold.AmountMinor, hold.Currency)} this ride costs on your card {hold.CardLabel}. "
    + "The ride is booked once you have confirmed it on your bank's page.")
{
    /// <summary>The problem type (and gRPC ErrorInfo reason) the gateway and the apps know it by.</summary>
    public const string Reason = "CARD_AUTHENTICATION_REQUIRED";

    public string AuthenticationUrl { get; } = hold.AuthenticationUrl!;

    public string? CardLabel { get; } = hold.CardLabel;

    /// <summary>What is held, as numbers (the message writes it for people).</summary>
    public long AmountMinor { get; } = hold.AmountMinor;

    public string Currency { get; } = hold.Currency;
}
