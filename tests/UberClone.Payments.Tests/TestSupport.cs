using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Payments.Application;
using UberClone.Payments.Cards;
using UberClone.Payments.Providers;
using UberClone.Payments.Sandbox;
using UberClone.Payments.Webhooks;
using UberClone.Storage;
using UberClone.Storage.Sqlite;

namespace UberClone.Payments.Tests;

public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>The payments application and webhook processor over a throw-away SQLite file.</summary>
public sealed class PaymentsHarness : IDisposable
{
    public const string Secret = "whsec_test_0123456789abcdef";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "payments-tests-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteDocumentDatabase _database;

    public PaymentsHarness(IPaymentProvider? provider = null) : this(provider is null ? null : _ => provider)
    {
    }

    /// <summary>With the provider <paramref name="provider"/> makes from the sandbox's store (the sandbox itself by default).</summary>
    public PaymentsHarness(Func<SandboxProviderStore, IPaymentProvider>? provider, Domain.CashLimitOptions? cashLimits = null)
    {
        Directory.CreateDirectory(_directory);
        _database = new SqliteDocumentDatabase(DatabasePath);
        var meters = new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddMetrics().BuildServiceProvider()
            .GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        SandboxStore = new SandboxProviderStore(_database);
        Provider = provider?.Invoke(SandboxStore) ?? new SandboxPaymentProvider(SandboxStore, Clock);
        Cards = new CardsApplication(_database, Provider, Clock, NullLogger<CardsApplication>.Instance);
        Holds = new Holds.FareHolds(_database, Provider, Cards, Options, Clock, new PaymentsMetrics(meters), NullLogger<Holds.FareHolds>.Instance);
        Credit = new Credit.CreditApplication(_database, Clock, NullLogger<Credit.CreditApplication>.Instance);
        Payments = new PaymentsApplication(_database, Provider, Cards, Holds, Credit, Clock, new PaymentsMetrics(meters), NullLogger<PaymentsApplication>.Instance);
        Payouts = new Payouts.PayoutsApplication(_database, Provider, Clock, NullLogger<Payouts.PayoutsApplication>.Instance, cashLimits);
        Webhooks = new StripeWebhookProcessor(Payments, Cards, Payouts, _database, new WebhookSecret(Secret), Clock, NullLogger<StripeWebhookProcessor>.Instance);
        Sandbox = new SandboxCheckout(Payments, Webhooks, new WebhookSecret(Secret), Clock);
        CardSetup = new SandboxCardSetup(Cards, SandboxStore, Provider, Webhooks, new WebhookSecret(Secret), Clock);
        Bank = new SandboxBank(SandboxStore, Webhooks, new WebhookSecret(Secret), Clock, NullLogger<SandboxBank>.Instance);
        Onboarding = new SandboxOnboarding(SandboxStore, Webhooks, new WebhookSecret(Secret), Clock, Bank);
        Authentication = new SandboxAuthentication(SandboxStore);
    }

    /// <summary>Where the bank's authentication page sends the rider back (ADR 0028).</summary>
    public PaymentsOptions Options { get; } = new() { AppUrl = "https://app.uberclone.test/" };

    /// <summary>The sandbox bank's 3-D Secure page (ADR 0028).</summary>
    public SandboxAuthentication Authentication { get; }

    public UberClone.Payments.Payouts.PayoutsApplication Payouts { get; }
    public UberClone.Payments.Holds.FareHolds Holds { get; }
    public SandboxOnboarding Onboarding { get; }

    /// <summary>The sandbox's bank, which answers the payouts from drivers' accounts to their banks.</summary>
    public SandboxBank Bank { get; }

    public SandboxCheckout Sandbox { get; }
    public SandboxCardSetup CardSetup { get; }
    public SandboxProviderStore SandboxStore { get; }
    public IPaymentProvider Provider { get; }
    public CardsApplication Cards { get; }
    public UberClone.Payments.Credit.CreditApplication Credit { get; }

    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
    public PaymentsApplication Payments { get; }
    public StripeWebhookProcessor Webhooks { get; }
    public IDocumentDatabase Database => _database;

    /// <summary>The SQLite file behind <see cref="Database"/>, for a test that breaks the store under the code.</summary>
    public string DatabasePath => Path.Combine(_directory, "payments.db");

    /// <summary>Saves a sandbox card for <paramref name="riderId"/> as its card page would (the newest is the default); it must be saved.</summary>
    public async Task SaveCardAsync(string number = "4242 4242 4242 4242", string riderId = "rider-1")
    {
        var setup = await Cards.StartSetupAsync(riderId, TestContext.Current.CancellationToken);
        var saved = await CardSetup.SaveAsync(setup.ProviderSessionId, new SandboxCardForm(number, 12, 30, "123"), TestContext.Current.CancellationToken);
        Assert.True(saved.Outcome == SandboxOutcome.Done, saved.Detail);
    }

    public static PaymentCreateSessionCommand Command(string tripId, int attempt = 1, long amount = 1250, string currency = "EUR") =>
        new(tripId, "rider-1", amount, currency, attempt);

    /// <summary>Types of the messages written to the outbox so far, oldest first.</summary>
    public async Task<IReadOnlyList<(string Topic, JsonObject Data)>> OutboxAsync() =>
        (await _database.Outbox.GetPendingAsync(1000)).Select(m => (m.Topic, JsonNode.Parse(m.Value)!["data"]!.AsObject())).ToList();

    public Task<WebhookResult> SendAsync(string payload, DateTimeOffset? signedAt = null, string? secret = null) =>
        Webhooks.HandleAsync(payload, StripeSignature.Sign(payload, secret ?? Secret, signedAt ?? Clock.GetUtcNow()), TestContext.Current.CancellationToken);

    public void Dispose()
    {
        _database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, true); } catch (IOException) { }
    }
}

/// <summary>Stripe event payloads as Stripe sends them (only the fields payments reads, plus a few for realism).</summary>
public static class StripeEvents
{
    public static string Event(string type, object data, string? id = null) => JsonSerializer.Serialize(new
    {
        id = id ?? "evt_" + Guid.NewGuid().ToString("N"),
        @object = "event",
        created = 1_764_061_200,
        livemode = false,
        type,
        data = new { @object = data },
    });

    public static Dictionary<string, string> Metadata(string sessionId, string tripId) => new() { ["payment_session_id"] = sessionId, ["trip_id"] = tripId };

    public static string Completed(string sessionId, string tripId, string providerSessionId, string paymentIntent = "pi_1", string? id = null) =>
        Event("checkout.session.completed", new { id = providerSessionId, @object = "checkout.session", payment_status = "paid", payment_intent = paymentIntent, metadata = Metadata(sessionId, tripId) }, id);

    public static string Expired(string sessionId, string tripId, string providerSessionId, string? id = null) =>
        Event("checkout.session.expired", new { id = providerSessionId, @object = "checkout.session", payment_status = "unpaid", metadata = Metadata(sessionId, tripId) }, id);

    public static string Failed(string sessionId, string tripId, string paymentIntent = "pi_1", string? id = null) =>
        Event("payment_intent.payment_failed", new
        {
            id = paymentIntent,
            @object = "payment_intent",
            last_payment_error = new { code = "card_declined", decline_code = "insufficient_funds" },
            metadata = Metadata(sessionId, tripId),
        }, id);

    /// <summary>Charges do not carry the PaymentIntent's metadata: the session is found by payment intent.</summary>
    public static string Refunded(string paymentIntent, long amountRefunded, string? id = null) =>
        Event("charge.refunded", new { id = "ch_1", @object = "charge", payment_intent = paymentIntent, amount_refunded = amountRefunded, refunded = true, metadata = new { } }, id);
}

/// <summary>A provider that does what <paramref name="inner"/> does, except what a test overrides (an outage, a race).</summary>
public class DelegatingPaymentProvider(IPaymentProvider inner) : IPaymentProvider
{
    public string Name => inner.Name;
    public virtual Task<ProviderCheckout> CreateCheckoutAsync(CheckoutRequest request, CancellationToken ct) => inner.CreateCheckoutAsync(request, ct);
    public virtual Task ExpireCheckoutAsync(string providerSessionId, CancellationToken ct) => inner.ExpireCheckoutAsync(providerSessionId, ct);
    public virtual Task<ProviderRefund> RefundAsync(RefundRequest request, CancellationToken ct) => inner.RefundAsync(request, ct);
    public virtual Task<string> CustomerAsync(string riderId, CancellationToken ct) => inner.CustomerAsync(riderId, ct);
    public virtual Task<ProviderCheckout> CreateCardSetupAsync(CardSetupRequest request, CancellationToken ct) => inner.CreateCardSetupAsync(request, ct);
    public virtual Task<ProviderCard?> CardOfSetupAsync(string setupIntentId, CancellationToken ct) => inner.CardOfSetupAsync(setupIntentId, ct);
    public virtual Task<ProviderCharge> ChargeCardAsync(CardChargeRequest request, CancellationToken ct) => inner.ChargeCardAsync(request, ct);
    public virtual Task<ProviderCharge> HoldCardAsync(CardHoldRequest request, CancellationToken ct) => inner.HoldCardAsync(request, ct);
    public virtual Task<ProviderCharge> CaptureHoldAsync(HoldCaptureRequest request, CancellationToken ct) => inner.CaptureHoldAsync(request, ct);
    public virtual Task<ProviderAuthentication> AuthenticateHoldAsync(HoldAuthenticationRequest request, CancellationToken ct) => inner.AuthenticateHoldAsync(request, ct);
    public virtual Task<ProviderHoldState> HoldStateAsync(string paymentIntentId, CancellationToken ct) => inner.HoldStateAsync(paymentIntentId, ct);
    public virtual Task ReleaseHoldAsync(string paymentIntentId, CancellationToken ct) => inner.ReleaseHoldAsync(paymentIntentId, ct);
    public virtual Task DetachCardAsync(string paymentMethodId, CancellationToken ct) => inner.DetachCardAsync(paymentMethodId, ct);
    public virtual Task<string> PayoutAccountAsync(string driverId, CancellationToken ct) => inner.PayoutAccountAsync(driverId, ct);
    public virtual Task<string> PayoutOnboardingUrlAsync(string accountId, string driverId, CancellationToken ct) => inner.PayoutOnboardingUrlAsync(accountId, driverId, ct);
    public virtual Task<string> PayoutBankAccountUrlAsync(string accountId, string driverId, CancellationToken ct) => inner.PayoutBankAccountUrlAsync(accountId, driverId, ct);
    public virtual Task<ProviderPayoutAccount> PayoutAccountStateAsync(string accountId, CancellationToken ct) => inner.PayoutAccountStateAsync(accountId, ct);
    public virtual Task<ProviderTransfer> TransferAsync(TransferRequest request, CancellationToken ct) => inner.TransferAsync(request, ct);
}
