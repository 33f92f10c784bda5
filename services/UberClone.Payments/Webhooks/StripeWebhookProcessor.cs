using System.Text.Json;
using UberClone.Payments.Application;
using UberClone.Payments.Cards;
using UberClone.Payments.Domain;
using UberClone.Payments.Providers;
using UberClone.Storage;

namespace UberClone.Payments.Webhooks;

public enum WebhookOutcome
{
    /// <summary>Applied (or found already applied on the session): answer 200.</summary>
    Processed,
    /// <summary>This event id was handled before: answer 200, change nothing.</summary>
    Duplicate,
    /// <summary>Not an event type we act on, or about a session we do not know: answer 200 so the provider stops sending it.</summary>
    Ignored,
    /// <summary>Bad or stale signature, or not an event: answer 400, change nothing.</summary>
    Rejected,
    /// <summary>Arrived before the event it depends on (a refund before the payment): answer 409 so the provider redelivers later.</summary>
    RetryLater,
}

public sealed record WebhookResult(WebhookOutcome Outcome, string? Detail = null, string? EventId = null);

/// <summary>A handled provider event, kept so a redelivery is recognised before anything is looked up.</summary>
public sealed record ProcessedWebhookEvent(string Id, string Type, string Outcome, DateTimeOffset ProcessedAt)
{
    public const string CollectionName = "webhook_events";
    public const string ProcessedAtField = "processedAtMs";

    /// <summary>Stripe retries a webhook for up to 3 days; its id is remembered for 30, then deleted.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    /// <summary>Indexed, so events past <see cref="Retention"/> can be deleted in order.</summary>
    public long ProcessedAtMs => ProcessedAt.ToUnixTimeMilliseconds();

    public static IDocumentStore<ProcessedWebhookEvent> Collection(IDocumentDatabase database) =>
        database.Collection<ProcessedWebhookEvent>(CollectionName, ProcessedAtField);
}

/// <summary>The webhook secret: configured for Stripe; for the sandbox a random per-process one (it signs what it verifies).</summary>
public sealed record WebhookSecret(string Value, string? Connect = null);

/// <summary>
/// Stripe-format webhooks, from Stripe itself or from the sandbox checkout: verified, then applied at most once. Each
/// state change stores the event id on the session in the same write (the real guarantee); the event id is also
/// recorded in its own collection afterwards, which turns redeliveries into a cheap no-op.
/// </summary>
public sealed class StripeWebhookProcessor(PaymentsApplication payments, CardsApplication cards, Payouts.PayoutsApplication payouts, IDocumentDatabase database, WebhookSecret secret, TimeProvider clock, ILogger<StripeWebhookProcessor> logger)
{
    private readonly IDocumentStore<ProcessedWebhookEvent> _events = ProcessedWebhookEvent.Collection(database);

    public async Task<WebhookResult> HandleAsync(string payload, string? signatureHeader, CancellationToken ct)
    {
        var check = StripeSignature.Verify(payload, signatureHeader, secret.Value, clock.GetUtcNow(), PaymentsOptions.SignatureTolerance);
        // Events of drivers' connected accounts come to a Connect endpoint, which Stripe signs with a secret of its own.
        if (!check.IsValid && secret.Connect is { Length: > 0 } connect)
        {
            var connectCheck = StripeSignature.Verify(payload, signatureHeader, connect, clock.GetUtcNow(), PaymentsOptions.SignatureTolerance);
            if (connectCheck.IsValid) check = connectCheck;
        }
        if (!check.IsValid) return new WebhookResult(WebhookOutcome.Rejected, check.Error);

        string id, type;
        string? connectedAccount;
        JsonElement data;
        try
        {
            using var json = JsonDocument.Parse(payload);
            var root = json.RootElement;
            id = root.GetProperty("id").GetString() ?? "";
            type = root.GetProperty("type").GetString() ?? "";
            data = root.GetProperty("data").GetProperty("object").Clone();
            // Events of a connected account (a driver's) name it at the top.
            connectedAccount = Str(root, "account");
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return new WebhookResult(WebhookOutcome.Rejected, "The payload is not a Stripe event.");
        }
        if (id.Length is 0 or > 255 || type.Length == 0 || data.ValueKind != JsonValueKind.Object)
        {
            return new WebhookResult(WebhookOutcome.Rejected, "The payload is not a Stripe event.");
        }
        if (await _events.GetAsync(id, ct) is not null) return new WebhookResult(WebhookOutcome.Duplicate, null, id);

        WebhookResult result;
        try
        {
            result = type switch
            {
                "checkout.session.completed" => await CompletedAsync(id, data, ct),
                "checkout.session.expired" => await ExpiredAsync(id, data, ct),
                "payment_intent.payment_failed" => await PaymentFailedAsync(id, data, ct),
                "payment_intent.succeeded" => await PaymentSucceededAsync(id, data, ct),
                "charge.refunded" => await RefundedAsync(id, data, ct),
                "account.updated" => await AccountUpdatedAsync(id, data, ct),
                "payout.failed" or "payout.paid" => await BankPayoutAsync(id, type, connectedAccount, data, ct),
                _ => new WebhookResult(WebhookOutcome.Ignored, $"Event type {type} is not handled.", id),
            };
        }
        catch (PaymentProviderException ex)
        {
            // Refunding a duplicate payment failed: the state change is stored with the event id, so the
            // redelivery only retries the refund (same idempotency key).
            return new WebhookResult(WebhookOutcome.RetryLater, ex.Message, id);
        }
        if (result.Outcome is WebhookOutcome.Processed or WebhookOutcome.Ignored)
        {
            try
            {
                await _events.InsertAsync(id, new ProcessedWebhookEvent(id, type, result.Outcome.ToString(), clock.GetUtcNow()), ct: ct);
            }
            catch (DuplicateDocumentException)
            {
                // The same event was delivered concurrently; the session guard made the second one a no-op.
            }
        }
        logger.LogInformation("Webhook {EventId} {EventType}: {Outcome} {Detail}", id, type, result.Outcome, result.Detail);
        return result with { EventId = id };
    }

    private async Task<WebhookResult> CompletedAsync(string eventId, JsonElement session, CancellationToken ct)
    {
        if (Str(session, "mode") == "setup") return await CardSavedAsync(eventId, session, ct);
        var found = await SessionOfCheckoutAsync(session, ct);
        if (found is null) return Unknown(eventId);
        // Delayed payment methods complete the checkout unpaid; their money arrives with a later event.
        if (Str(session, "payment_status") != "paid") return new WebhookResult(WebhookOutcome.Ignored, "Checkout completed without payment.", eventId);
        var updated = await payments.CompleteAsync(found.Id, Str(session, "payment_intent"), eventId, ct);
        return Processed(eventId, updated);
    }

    /// <summary>A rider saved a card on the provider's page (a checkout in setup mode): it joins their wallet (ADR 0024).</summary>
    private async Task<WebhookResult> CardSavedAsync(string eventId, JsonElement session, CancellationToken ct)
    {
        var setupId = session.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object ? Str(metadata, "card_setup_id") : null;
        var wallet = await cards.CompleteSetupAsync(setupId, Str(session, "id"), Str(session, "setup_intent"), ct);
        return wallet is null
            ? new WebhookResult(WebhookOutcome.Ignored, "No card setup of ours matches this event, or it saved no card.", eventId)
            : new WebhookResult(WebhookOutcome.Processed, $"rider {wallet.Id} has {wallet.Cards.Count} card(s)", eventId);
    }

    /// <summary>
    /// A PaymentIntent of ours went through: for a saved card's charge, this is how a charge whose answer was lost still
    /// completes its session (a capture of the booking's hold too); for a checkout it repeats checkout.session.completed (no change).
    /// </summary>
    private async Task<WebhookResult> PaymentSucceededAsync(string eventId, JsonElement intent, CancellationToken ct)
    {
        // A hold captured at the ride's end (ADR 0027) names no session in its metadata: its session names the hold's intent.
        var found = await ByMetadataAsync(intent, ct) ?? (Str(intent, "id") is { Length: > 0 and <= 255 } intentId ? await payments.FindByPaymentIntentAsync(intentId, ct) : null);
        if (found is null) return Unknown(eventId);
        return Processed(eventId, await payments.CompleteAsync(found.Id, Str(intent, "id"), eventId, ct));
    }

    /// <summary>A driver's account at the provider changed (onboarding finished, a bank account changed): read it there (ADR 0025).</summary>
    private async Task<WebhookResult> AccountUpdatedAsync(string eventId, JsonElement account, CancellationToken ct)
    {
        if (Str(account, "id") is not { Length: > 0 and <= 255 } accountId) return new WebhookResult(WebhookOutcome.Rejected, "account.updated without an account id.", eventId);
        var updated = await payouts.AccountChangedAsync(accountId, ct);
        return updated is null
            ? new WebhookResult(WebhookOutcome.Ignored, "No driver of ours has this account.", eventId)
            : new WebhookResult(WebhookOutcome.Processed, $"driver {updated.Id}'s payouts: {updated.Status}", eventId);
    }

    /// <summary>
    /// The provider paid a driver's bank from their connected account, or the bank refused it (days later): the driver's
    /// payout account keeps the refusal until a payout is paid again. A payout of the platform's own account names none.
    /// </summary>
    private async Task<WebhookResult> BankPayoutAsync(string eventId, string type, string? accountId, JsonElement payout, CancellationToken ct)
    {
        if (accountId is null) return new WebhookResult(WebhookOutcome.Ignored, "A payout of the platform's own account.", eventId);
        if (accountId.Length > 255) return new WebhookResult(WebhookOutcome.Rejected, $"{type}: account is not an account id.", eventId);
        if (Str(payout, "id") is not { Length: > 0 and <= 255 } payoutId) return new WebhookResult(WebhookOutcome.Rejected, $"{type} without the payout's id.", eventId);
        if (!payout.TryGetProperty("amount", out var amountValue) || amountValue.ValueKind != JsonValueKind.Number || !amountValue.TryGetInt64(out var amount) || amount < 0)
        {
            return new WebhookResult(WebhookOutcome.Rejected, $"{type} without the payout's amount.", eventId);
        }
        if (Str(payout, "currency") is not { Length: 3 } currency) return new WebhookResult(WebhookOutcome.Rejected, $"{type} without the payout's currency.", eventId);
        if (Seconds(payout, "created") is not { } created) return new WebhookResult(WebhookOutcome.Rejected, $"{type} without the payout's created time.", eventId);
        var failure = type == "payout.failed" ? Str(payout, "failure_code") ?? "could_not_process" : null;
        var bankPayout = new BankPayout(payoutId, amount, currency.ToUpperInvariant(), created, Seconds(payout, "arrival_date") ?? created, failure);
        var account = await payouts.BankPayoutAsync(accountId, bankPayout, ct);
        return account is null
            ? new WebhookResult(WebhookOutcome.Ignored, "No driver of ours has this account.", eventId)
            : new WebhookResult(WebhookOutcome.Processed, $"driver {account.Id}'s bank: {(account.BankRefusal is { } r ? "refused " + r.ProviderPayoutId : "paid")}", eventId);
    }

    private async Task<WebhookResult> ExpiredAsync(string eventId, JsonElement session, CancellationToken ct)
    {
        var found = await SessionOfCheckoutAsync(session, ct);
        if (found is null) return Unknown(eventId);
        return Processed(eventId, await payments.ExpireAsync(found.Id, eventId, ct));
    }

    private async Task<WebhookResult> PaymentFailedAsync(string eventId, JsonElement intent, CancellationToken ct)
    {
        var intentId = Str(intent, "id");
        var found = await ByMetadataAsync(intent, ct) ?? (intentId is null ? null : await payments.FindByPaymentIntentAsync(intentId, ct));
        if (found is null) return Unknown(eventId);
        var reason = intent.TryGetProperty("last_payment_error", out var error) && error.ValueKind == JsonValueKind.Object
            ? Str(error, "decline_code") ?? Str(error, "code") ?? "payment_failed"
            : "payment_failed";
        return Processed(eventId, await payments.FailAsync(found.Id, reason, intentId, eventId, ct));
    }

    private async Task<WebhookResult> RefundedAsync(string eventId, JsonElement charge, CancellationToken ct)
    {
        var intentId = Str(charge, "payment_intent");
        var found = await ByMetadataAsync(charge, ct) ?? (intentId is null ? null : await payments.FindByPaymentIntentAsync(intentId, ct));
        if (found is null || !found.IsPaid)
        {
            return new WebhookResult(WebhookOutcome.RetryLater, "The refunded payment is not known as paid yet.", eventId);
        }
        if (!charge.TryGetProperty("amount_refunded", out var refunded) || !refunded.TryGetInt64(out var total) || total < 0)
        {
            return new WebhookResult(WebhookOutcome.Rejected, "charge.refunded without amount_refunded.", eventId);
        }
        return Processed(eventId, await payments.RecordRefundedTotalAsync(found.Id, total, null, eventId, ct));
    }

    private async Task<PaymentSession?> SessionOfCheckoutAsync(JsonElement session, CancellationToken ct) =>
        await ByMetadataAsync(session, ct) ?? (Str(session, "id") is { Length: > 0 } id ? await payments.FindByProviderSessionAsync(id, ct) : null);

    private async Task<PaymentSession?> ByMetadataAsync(JsonElement obj, CancellationToken ct) =>
        obj.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object && Str(metadata, "payment_session_id") is { Length: > 0 and <= 200 } id
            ? await payments.GetAsync(id, ct)
            : null;

    private static WebhookResult Processed(string eventId, PaymentSession? session) =>
        new(WebhookOutcome.Processed, session is null ? null : $"session {session.Id} is {session.Status}", eventId);

    private static WebhookResult Unknown(string eventId) => new(WebhookOutcome.Ignored, "No payment session matches this event.", eventId);

    private static DateTimeOffset? Seconds(JsonElement obj, string property) =>
        obj.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds) && seconds is > 0 and < 253_402_300_800
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private static string? Str(JsonElement obj, string property) =>
        obj.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
