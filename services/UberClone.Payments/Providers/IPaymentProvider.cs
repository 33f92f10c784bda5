namespace UberClone.Payments.Providers;

public sealed record CheckoutRequest(string PaymentSessionId, string TripId, string RiderId, long AmountMinor, string Currency, int Attempt, string Purpose = "fare");

public sealed record ProviderCheckout(string ProviderSessionId, string Url, DateTimeOffset? ExpiresAt);

public sealed record RefundRequest(string RefundId, string PaymentSessionId, string TripId, string PaymentIntentId, long AmountMinor, string Reason);

public sealed record ProviderRefund(string ProviderRefundId, string Status);

/// <summary>A checkout in setup mode: the rider enters a card on the provider's page, which saves it on <paramref name="CustomerId"/>.</summary>
public sealed record CardSetupRequest(string SetupId, string RiderId, string CustomerId);

/// <summary>A card the provider saved: its payment-method id and what can be shown of it.</summary>
public sealed record ProviderCard(string PaymentMethodId, string Brand, string Last4, int ExpMonth, int ExpYear);

/// <summary>An off-session charge of a saved card (the rider is not there to authenticate).</summary>
public sealed record CardChargeRequest(string PaymentSessionId, string TripId, string RiderId, long AmountMinor, string Currency, int Attempt, string Purpose,
    string CustomerId, string PaymentMethodId)
{
    /// <summary>
    /// One per trip and attempt (<c>charge-{tripId}-{attempt}</c>); a split fare's share (ADR 0040), charged beside the
    /// attempt's own charge, has one per session (<c>charge-{sessionId}</c>).
    /// </summary>
    public string IdempotencyKey => Purpose == UberClone.Contracts.IntegrationEvents.PaymentPurposes.SplitShare
        ? $"charge-{PaymentSessionId}"
        : StripePaymentProvider.ChargeIdempotencyKey(TripId, Attempt);
}

/// <summary>What the bank said: paid, or declined with its code (<c>card_declined</c>, <c>insufficient_funds</c>, <c>authentication_required</c>, …).</summary>
public sealed record ProviderCharge(string PaymentIntentId, bool Succeeded, string? DeclineCode);

/// <summary>A hold of the upfront price on a saved card (ADR 0027), once per key: authorised now, captured when the ride ends.</summary>
public sealed record CardHoldRequest(string TripId, string RiderId, long AmountMinor, string Currency, string CustomerId, string PaymentMethodId, string IdempotencyKey);

/// <summary>
/// A hold the bank declined off-session for <c>authentication_required</c>, confirmed again with the rider there (3-D
/// Secure; ADR 0028): the bank's page sends them back to <paramref name="ReturnUrl"/>.
/// </summary>
public sealed record HoldAuthenticationRequest(string TripId, string PaymentIntentId, string PaymentMethodId, string ReturnUrl);

/// <summary>
/// The provider's answer to <see cref="HoldAuthenticationRequest"/>: the page where the rider confirms (<paramref name="Url"/>),
/// or, when the bank needs nothing more, its answer at once (<paramref name="Answer"/>).
/// </summary>
public sealed record ProviderAuthentication(string? Url, ProviderCharge? Answer);

/// <summary>Where a hold stands at the provider: held, still waiting for the rider's authentication, or failed (the bank's code).</summary>
public sealed record ProviderHoldState(string PaymentIntentId, string Status, string? DeclineCode)
{
    public const string Held = "requires_capture";
    public const string AwaitingAuthentication = "requires_action";

    public bool IsHeld => Status == Held;
    public bool IsAwaitingAuthentication => Status == AwaitingAuthentication;
}

/// <summary>Takes <paramref name="AmountMinor"/> (at most what was held) of a hold; the provider releases the rest.</summary>
public sealed record HoldCaptureRequest(string TripId, string PaymentIntentId, long AmountMinor, string IdempotencyKey);

/// <summary>A driver's account at the provider as it stands: whether payouts reach a bank account, and which ("DE •••• 3000").</summary>
public sealed record ProviderPayoutAccount(string AccountId, bool PayoutsEnabled, string? Destination);

/// <summary>Money to move to a driver's account at the provider, once per payout (the idempotency key).</summary>
public sealed record TransferRequest(string PayoutId, string DriverId, string AccountId, long AmountMinor, string Currency);

/// <summary>The provider's answer to a transfer: made (its id), or refused with the provider's code.</summary>
public sealed record ProviderTransfer(bool Succeeded, string? TransferId, string? FailureCode);

/// <summary>Where the money is collected: the sandbox (default) or Stripe, chosen by configuration.</summary>
public interface IPaymentProvider
{
    string Name { get; }

    /// <summary>Creates the checkout; the same request twice returns the same checkout (idempotency key per trip and attempt).</summary>
    Task<ProviderCheckout> CreateCheckoutAsync(CheckoutRequest request, CancellationToken ct);

    /// <summary>Makes an older checkout unpayable once a newer attempt replaced it.</summary>
    Task ExpireCheckoutAsync(string providerSessionId, CancellationToken ct);

    /// <summary>Refunds part or all of a payment; the same refund id twice refunds once.</summary>
    Task<ProviderRefund> RefundAsync(RefundRequest request, CancellationToken ct);

    /// <summary>The provider's customer for a rider, created once (the same rider twice gets the same customer).</summary>
    Task<string> CustomerAsync(string riderId, CancellationToken ct);

    /// <summary>The provider's page where the rider enters a card to save (a checkout in setup mode).</summary>
    Task<ProviderCheckout> CreateCardSetupAsync(CardSetupRequest request, CancellationToken ct);

    /// <summary>The card a completed setup saved; null when the setup saved none.</summary>
    Task<ProviderCard?> CardOfSetupAsync(string setupIntentId, CancellationToken ct);

    /// <summary>
    /// Charges a saved card off-session, once per trip and attempt (the idempotency key): the same request twice
    /// answers the first charge. A decline is an answer, not an error; errors mean nobody knows yet (retry).
    /// </summary>
    Task<ProviderCharge> ChargeCardAsync(CardChargeRequest request, CancellationToken ct);

    /// <summary>
    /// Holds an amount on a saved card off-session without taking it (ADR 0027). Succeeded: held; else declined with the
    /// bank's code. The same key twice answers the first hold; errors mean nobody knows yet.
    /// </summary>
    Task<ProviderCharge> HoldCardAsync(CardHoldRequest request, CancellationToken ct);

    /// <summary>
    /// Asks the bank again for a hold it declined off-session for <c>authentication_required</c>, this time with the rider
    /// there to confirm it on the bank's page (ADR 0028). Errors mean nobody knows yet.
    /// </summary>
    Task<ProviderAuthentication> AuthenticateHoldAsync(HoldAuthenticationRequest request, CancellationToken ct);

    /// <summary>What came of a hold the rider was sent to authenticate (<see cref="AuthenticateHoldAsync"/>).</summary>
    Task<ProviderHoldState> HoldStateAsync(string paymentIntentId, CancellationToken ct);

    /// <summary>
    /// Takes money from a hold. Not succeeded (<c>hold_expired</c>, …): the provider no longer holds it, nothing was taken.
    /// The same key twice answers the first capture.
    /// </summary>
    Task<ProviderCharge> CaptureHoldAsync(HoldCaptureRequest request, CancellationToken ct);

    /// <summary>Lets a hold go (nothing is taken); a hold already released is not an error.</summary>
    Task ReleaseHoldAsync(string paymentIntentId, CancellationToken ct);

    /// <summary>Forgets a saved card at the provider (it can no longer be charged).</summary>
    Task DetachCardAsync(string paymentMethodId, CancellationToken ct);

    /// <summary>The driver's account at the provider (ADR 0025), created once: the same driver twice gets the same account.</summary>
    Task<string> PayoutAccountAsync(string driverId, CancellationToken ct);

    /// <summary>The provider's page where the driver gives the bank account their earnings go to (onboarding).</summary>
    Task<string> PayoutOnboardingUrlAsync(string accountId, string driverId, CancellationToken ct);

    /// <summary>
    /// The provider's page where a driver whose payouts are set up gives another bank account (one their bank refused a
    /// payout to): for Stripe's Express accounts, a login link to the Express Dashboard (account links update only the
    /// accounts the platform collects the details of).
    /// </summary>
    Task<string> PayoutBankAccountUrlAsync(string accountId, string driverId, CancellationToken ct);

    /// <summary>What the provider says of the driver's account now.</summary>
    Task<ProviderPayoutAccount> PayoutAccountStateAsync(string accountId, CancellationToken ct);

    /// <summary>
    /// Moves a payout to the driver's account, once per payout id: asked again, it answers the first transfer. A refusal
    /// is an answer; errors mean nobody knows yet (ask again).
    /// </summary>
    Task<ProviderTransfer> TransferAsync(TransferRequest request, CancellationToken ct);
}

/// <summary>The provider answered with an error: nothing was created or refunded.</summary>
public sealed class PaymentProviderException(string message, int? statusCode, Exception? inner = null) : Exception(message, inner)
{
    public int? StatusCode { get; } = statusCode;
}
