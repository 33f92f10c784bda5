namespace UberClone.Payments.Providers;

/// <summary>
/// The payment provider and its secrets, read from configuration (environment variables in deployment). No secret has
/// a default in the repository: without STRIPE_SECRET_KEY the sandbox provider is used, and without
/// STRIPE_WEBHOOK_SECRET the sandbox signs with a random per-process secret (it is both sender and receiver).
/// </summary>
public sealed class PaymentsOptions
{
    public string? StripeSecretKey { get; init; }
    public string? StripeWebhookSecret { get; init; }

    /// <summary>The signing secret of the Connect webhook endpoint (drivers' accounts' events), when it is not the same one.</summary>
    public string? StripeConnectWebhookSecret { get; init; }

    /// <summary>Where Stripe.net sends its requests; only tests change it (a local fake Stripe API).</summary>
    public string? StripeApiBase { get; init; }

    public string AppUrl { get; init; } = "http://localhost:8080/";
    public string? StripeSuccessUrl { get; init; }
    public string? StripeCancelUrl { get; init; }

    /// <summary>The key scripts present in <c>x-operator-key</c> to refund; while it is unset only support accounts (role operator) refund.</summary>
    public string? OperatorKey { get; init; }

    public static readonly TimeSpan SignatureTolerance = TimeSpan.FromSeconds(300);

    public bool UseStripe => !string.IsNullOrWhiteSpace(StripeSecretKey);

    public string SuccessUrl => StripeSuccessUrl ?? WithQuery(AppUrl, "payment=success");
    public string CancelUrl => StripeCancelUrl ?? WithQuery(AppUrl, "payment=cancel");

    /// <summary>Where the provider's card page sends the rider back: the web app's account settings.</summary>
    public string CardAddedUrl => WithQuery(AccountUrl, "card=added");
    public string CardCancelledUrl => WithQuery(AccountUrl, "card=cancelled");

    /// <summary>Where the provider's onboarding sends the driver back: the driver's app (Stripe's account link return_url / refresh_url).</summary>
    public string PayoutsReturnUrl => WithQuery(DriverUrl, "payouts=ready");
    public string PayoutsRefreshUrl => WithQuery(DriverUrl, "payouts=again");

    /// <summary>
    /// Where the bank's authentication page sends a rider who was booking (ADR 0028): the rider's app, which books again
    /// what they were booking (Stripe's <c>return_url</c>; the sandbox uses its path).
    /// </summary>
    public string AuthenticatedUrl => WithQuery(RiderUrl, "booking=authenticated");

    private string RiderUrl => AppUrl.Split('?')[0].TrimEnd('/') + "/rider";

    private string DriverUrl => AppUrl.Split('?')[0].TrimEnd('/') + "/driver";

    private string AccountUrl => AppUrl.Split('?')[0].TrimEnd('/') + "/account";

    public static PaymentsOptions From(IConfiguration configuration) => new()
    {
        StripeSecretKey = NullIfEmpty(configuration["STRIPE_SECRET_KEY"]),
        StripeWebhookSecret = NullIfEmpty(configuration["STRIPE_WEBHOOK_SECRET"]),
        StripeConnectWebhookSecret = NullIfEmpty(configuration["STRIPE_CONNECT_WEBHOOK_SECRET"]),
        StripeApiBase = NullIfEmpty(configuration["STRIPE_API_BASE"]),
        AppUrl = NullIfEmpty(configuration["APP_URL"]) ?? "http://localhost:8080/",
        StripeSuccessUrl = NullIfEmpty(configuration["STRIPE_SUCCESS_URL"]),
        StripeCancelUrl = NullIfEmpty(configuration["STRIPE_CANCEL_URL"]),
        OperatorKey = NullIfEmpty(configuration["PAYMENTS_OPERATOR_KEY"]),
    };

    private static string WithQuery(string url, string query) => url + (url.Contains('?') ? "&" : "?") + query;

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
