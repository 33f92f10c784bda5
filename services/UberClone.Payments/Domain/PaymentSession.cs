namespace UberClone.Payments.Domain;

public static class PaymentStatus
{
    public const string Open = "open";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

/// <summary>One attempt to collect a trip's fare. Final states never change again (a repeated webhook is harmless).</summary>
public sealed record PaymentSession
{
    public required string Id { get; init; }
    public required string TripId { get; init; }
    public required string RiderId { get; init; }
    public required long AmountMinor { get; init; }
    public required string Currency { get; init; }
    public required int Attempt { get; init; }
    public required string Status { get; init; }
    public required string CheckoutUrl { get; init; }
    public string? FailureReason { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>One session per trip and attempt: a redelivered command finds the session it already created.</summary>
    public static string IdFor(string tripId, int attempt) => $"ps_{tripId}_{attempt}";

    public PaymentSession Succeed(DateTimeOffset now) => Status switch
    {
        PaymentStatus.Succeeded => this,
        PaymentStatus.Open => this with { Status = PaymentStatus.Succeeded, UpdatedAt = now },
        _ => throw new PaymentTransitionException($"Payment {Id} is {Status} and cannot succeed."),
    };

    public PaymentSession Fail(string reason, DateTimeOffset now) => Status switch
    {
        PaymentStatus.Failed => this,
        PaymentStatus.Open => this with { Status = PaymentStatus.Failed, FailureReason = reason, UpdatedAt = now },
        _ => throw new PaymentTransitionException($"Payment {Id} is {Status} and cannot fail."),
    };
}

public sealed class PaymentTransitionException(string message) : Exception(message);
