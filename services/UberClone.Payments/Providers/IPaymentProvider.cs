namespace UberClone.Payments.Providers;

public sealed record CheckoutRequest(string PaymentSessionId, string TripId, string RiderId, long AmountMinor, string Currency, int Attempt, string Purpose = "fare");

public sealed record ProviderCheckout(string ProviderSessionId, string Url, DateTimeOffset? ExpiresAt);

public sealed record RefundRequest(string RefundId, string PaymentSessionId, string TripId, string PaymentIntentId, long AmountMinor, string Reason);

public sealed record ProviderRefund(string ProviderRefundId, string Status);

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
}

/// <summary>The provider answered with an error: nothing was created or refunded.</summary>
public sealed class PaymentProviderException(string message, int? statusCode, Exception? inner = null) : Exception(message, inner)
{
    public int? StatusCode { get; } = statusCode;
}
