using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stripe;
using UberClone.Payments.Providers;

namespace UberClone.Payments.Tests;

public sealed record StripeRequest(string Method, string Path, IReadOnlyDictionary<string, string> Form, string? IdempotencyKey, string? Authorization);

/// <summary>
/// A local stand-in for the Stripe HTTP API (the endpoints payments uses): records every request, answers like Stripe
/// (same idempotency key → same object), and can be told to fail the next requests with a Stripe error body.
/// </summary>
public sealed class FakeStripe : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<StripeRequest> _requests = new();
    private readonly ConcurrentDictionary<string, string> _idempotent = new();
    private readonly ConcurrentQueue<(int Status, string Type, string Message)> _failures = new();
    private int _sequence;

    private FakeStripe(WebApplication app) => _app = app;

    public IReadOnlyList<StripeRequest> Requests => [.. _requests];

    public string BaseAddress { get; private set; } = "";

    private readonly ConcurrentQueue<(Func<StripeRequest, bool> When, int Status, string Type, string Message)> _rules = new();

    /// <summary>Payment methods whose charges the bank declines (a 402 card_error naming the failed PaymentIntent).</summary>
    public ConcurrentDictionary<string, string> DecliningPaymentMethods { get; } = new();

    /// <summary>Connected accounts whose onboarding is finished: payouts enabled, a bank account on file.</summary>
    public ConcurrentDictionary<string, bool> EnabledAccounts { get; } = new();

    /// <summary>
    /// What the rider did on the bank's 3-D Secure page for a PaymentIntent confirmed on-session: true completed, false
    /// failed; absent, not answered yet (<c>requires_action</c>).
    /// </summary>
    public ConcurrentDictionary<string, bool> AuthenticationResults { get; } = new();

    /// <summary>PaymentIntents canceled (released holds, or ones Stripe let lapse): capturing or canceling them again is refused.</summary>
    public ConcurrentDictionary<string, bool> CanceledIntents { get; } = new();

    private async Task UnexpectedStateAsync(HttpContext context, string intentId)
    {
        _requests.Enqueue(new StripeRequest(context.Request.Method, context.Request.Path,
            context.Request.HasFormContentType ? (await context.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString()) : [],
            context.Request.Headers["Idempotency-Key"].ToString(), null));
        context.Response.StatusCode = 400;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            error = new { type = "invalid_request_error", code = "payment_intent_unexpected_state", message = $"This PaymentIntent ({intentId}) has a status of canceled." },
        }));
    }

    public void FailNext(int status, string type, string message) => _failures.Enqueue((status, type, message));

    /// <summary>Every request matching <paramref name="when"/> fails with a Stripe error, for the fake's lifetime.</summary>
    public void FailWhen(Func<StripeRequest, bool> when, int status, string type, string message) => _rules.Enqueue((when, status, type, message));

    public static async Task<FakeStripe> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeStripe(app);
        app.MapPost("/v1/checkout/sessions", context => fake.AnswerAsync(context, id => new
        {
            id = "cs_test_" + id,
            @object = "checkout.session",
            url = $"https://checkout.stripe.test/c/pay/cs_test_{id}",
            status = "open",
            payment_status = "unpaid",
            expires_at = 1_764_100_000,
        }));
        app.MapPost("/v1/checkout/sessions/{sessionId}/expire", (HttpContext context, string sessionId) =>
            fake.AnswerAsync(context, _ => new { id = sessionId, @object = "checkout.session", status = "expired" }));
        app.MapPost("/v1/customers", context => fake.AnswerAsync(context, id => new { id = "cus_test_" + id, @object = "customer" }));
        app.MapGet("/v1/setup_intents/{setupIntentId}", (HttpContext context, string setupIntentId) => fake.AnswerAsync(context, _ => new
        {
            id = setupIntentId,
            @object = "setup_intent",
            status = "succeeded",
            payment_method = new
            {
                id = "pm_" + setupIntentId,
                @object = "payment_method",
                type = "card",
                card = new { brand = "visa", last4 = "4242", exp_month = 12, exp_year = 2030 },
            },
        }));
        app.MapPost("/v1/payment_intents", context => fake.AnswerAsync(context, id => new
        {
            id = "pi_test_" + id,
            @object = "payment_intent",
            status = context.Request.Form["capture_method"] == "manual" ? "requires_capture" : "succeeded",
            amount = long.Parse(context.Request.Form["amount"].ToString(), System.Globalization.CultureInfo.InvariantCulture),
        }));
        app.MapPost("/v1/payment_intents/{intentId}/confirm", (HttpContext context, string intentId) => fake.AnswerAsync(context, _ => new
        {
            id = intentId, @object = "payment_intent", status = "requires_action",
            next_action = new
            {
                type = "redirect_to_url",
                redirect_to_url = new { url = $"https://hooks.stripe.test/3d_secure_2/authenticate/{intentId}", return_url = context.Request.Form["return_url"].ToString() },
            },
        }));
        app.MapGet("/v1/payment_intents/{intentId}", (HttpContext context, string intentId) => fake.AnswerAsync(context, _ =>
            fake.CanceledIntents.ContainsKey(intentId) ? new { id = intentId, @object = "payment_intent", status = "canceled" }
            : !fake.AuthenticationResults.TryGetValue(intentId, out var completed) ? new { id = intentId, @object = "payment_intent", status = "requires_action" }
            : completed ? new { id = intentId, @object = "payment_intent", status = "requires_capture" }
            : (object)new
            {
                id = intentId, @object = "payment_intent", status = "requires_payment_method",
                last_payment_error = new { type = "card_error", code = "payment_intent_authentication_failure", message = "We are unable to authenticate your payment method." },
            }));
        app.MapPost("/v1/payment_intents/{intentId}/capture", (HttpContext context, string intentId) => fake.CanceledIntents.ContainsKey(intentId)
            ? fake.UnexpectedStateAsync(context, intentId)
            : fake.AnswerAsync(context, _ => new
            {
                id = intentId, @object = "payment_intent", status = "succeeded",
                amount_received = long.Parse(context.Request.Form["amount_to_capture"].ToString(), System.Globalization.CultureInfo.InvariantCulture),
            }));
        app.MapPost("/v1/payment_intents/{intentId}/cancel", (HttpContext context, string intentId) => fake.CanceledIntents.TryAdd(intentId, true)
            ? fake.AnswerAsync(context, _ => new { id = intentId, @object = "payment_intent", status = "canceled" })
            : fake.UnexpectedStateAsync(context, intentId));
        app.MapPost("/v1/payment_methods/{paymentMethodId}/detach", (HttpContext context, string paymentMethodId) =>
            fake.AnswerAsync(context, _ => new { id = paymentMethodId, @object = "payment_method", type = "card" }));
        app.MapPost("/v1/refunds", context => fake.AnswerAsync(context, id => new
        {
            id = "re_test_" + id,
            @object = "refund",
            status = "succeeded",
            amount = long.Parse(context.Request.Form["amount"].ToString(), System.Globalization.CultureInfo.InvariantCulture),
            payment_intent = context.Request.Form["payment_intent"].ToString(),
        }));
        app.MapPost("/v1/accounts", context => fake.AnswerAsync(context, id => new { id = "acct_test_" + id, @object = "account", type = "express", payouts_enabled = false }));
        app.MapGet("/v1/accounts/{accountId}", (HttpContext context, string accountId) => fake.AnswerAsync(context, _ => new
        {
            id = accountId,
            @object = "account",
            type = "express",
            payouts_enabled = fake.EnabledAccounts.ContainsKey(accountId),
            external_accounts = new
            {
                @object = "list",
                data = fake.EnabledAccounts.ContainsKey(accountId)
                    ? new object[] { new { id = "ba_1", @object = "bank_account", bank_name = "STRIPE TEST BANK", country = "DE", last4 = "3000" } }
                    : [],
            },
        }));
        app.MapPost("/v1/account_links", context => fake.AnswerAsync(context, id => new
        {
            @object = "account_link",
            url = $"https://connect.stripe.test/setup/e/{context.Request.Form["account"]}/{id}",
            expires_at = 1_764_100_000,
        }));
        app.MapPost("/v1/accounts/{accountId}/login_links", (HttpContext context, string accountId) => fake.AnswerAsync(context, id => new
        {
            @object = "login_link",
            url = $"https://connect.stripe.test/express/{accountId}/{id}",
            created = 1_764_100_000,
        }));
        app.MapPost("/v1/transfers", context => fake.AnswerAsync(context, id => new
        {
            id = "tr_test_" + id,
            @object = "transfer",
            amount = long.Parse(context.Request.Form["amount"].ToString(), System.Globalization.CultureInfo.InvariantCulture),
            destination = context.Request.Form["destination"].ToString(),
        }));
        await app.StartAsync();
        fake.BaseAddress = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return fake;
    }

    /// <summary>The provider exactly as payments builds it, pointed at this fake.</summary>
    public StripePaymentProvider Provider(PaymentsOptions? options = null) =>
        new(new StripeClient(apiKey: "sk_test_fake", httpClient: new SystemNetHttpClient(new HttpClient(), maxNetworkRetries: 0), apiBase: BaseAddress),
            options ?? new PaymentsOptions { StripeSecretKey = "sk_test_fake", AppUrl = "https://app.uberclone.test/" });

    private async Task AnswerAsync(HttpContext context, Func<int, object> create)
    {
        var form = context.Request.HasFormContentType
            ? (await context.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString())
            : [];
        var key = context.Request.Headers["Idempotency-Key"].ToString();
        var request = new StripeRequest(context.Request.Method, context.Request.Path, form, key.Length == 0 ? null : key, context.Request.Headers.Authorization.ToString());
        _requests.Enqueue(request);
        context.Response.ContentType = "application/json";
        var rule = _rules.FirstOrDefault(r => r.When(request));
        (int Status, string Type, string Message) failure = default;
        if (request.Path == "/v1/payment_intents" && form.TryGetValue("payment_method", out var pm) && DecliningPaymentMethods.TryGetValue(pm, out var declineCode))
        {
            context.Response.StatusCode = 402;
            var intentId = "pi_test_" + Interlocked.Increment(ref _sequence);
            await context.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                error = new
                {
                    type = "card_error", code = declineCode == "authentication_required" ? declineCode : "card_declined", decline_code = declineCode,
                    message = "Your card was declined.",
                    payment_intent = new { id = intentId, @object = "payment_intent", status = "requires_payment_method" },
                },
            }));
            return;
        }
        if (rule.When is not null || _failures.TryDequeue(out failure))
        {
            if (rule.When is not null) failure = (rule.Status, rule.Type, rule.Message);
            context.Response.StatusCode = failure.Status;
            await context.Response.WriteAsync(JsonSerializer.Serialize(new { error = new { type = failure.Type, message = failure.Message } }));
            return;
        }
        var body = key.Length > 0
            ? _idempotent.GetOrAdd(context.Request.Path + "|" + key, _ => JsonSerializer.Serialize(create(Interlocked.Increment(ref _sequence))))
            : JsonSerializer.Serialize(create(Interlocked.Increment(ref _sequence)));
        await context.Response.WriteAsync(body);
    }

    /// <summary>
    /// The event Stripe sends about a payout of a connected account (a driver's) to its bank: <c>payout.paid</c>, or
    /// <c>payout.failed</c> with the bank's <paramref name="failureCode"/>; <c>account</c> at the top names the account.
    /// </summary>
    public static string ConnectedPayoutEvent(string type, string accountId, string payoutId, long amount, string currency, DateTimeOffset created,
        string? failureCode = null, string? eventId = null) => System.Text.Json.JsonSerializer.Serialize(new
    {
        id = eventId ?? "evt_" + Guid.NewGuid().ToString("N"),
        @object = "event",
        created = created.ToUnixTimeSeconds() + 86_400,
        livemode = false,
        type,
        account = accountId,
        data = new
        {
            @object = new
            {
                id = payoutId,
                @object = "payout",
                amount,
                currency,
                arrival_date = created.AddDays(1).ToUnixTimeSeconds(),
                created = created.ToUnixTimeSeconds(),
                status = failureCode is null ? "paid" : "failed",
                type = "bank_account",
                failure_code = failureCode,
                failure_message = failureCode is null ? null : "The bank account has been closed.",
            },
        },
    });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
