using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using UberClone.Payments.Extensions;
using UberClone.Payments.Providers;
using UberClone.Payments.Webhooks;

namespace UberClone.Payments.Tests;

/// <summary>The service's own wiring (Extensions.AddApplicationServices) picks the provider from configuration alone.</summary>
public sealed class ProviderConfigurationTests
{
    private static IServiceProvider Services(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = Path.GetTempPath(), EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:kafka"] = "127.0.0.1:1",
            ["Storage:DataDirectory"] = Path.Combine(Path.GetTempPath(), "payments-config-" + Guid.NewGuid().ToString("N")),
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddApplicationServices();
        return builder.Build().Services;
    }

    [Fact]
    public void Without_a_stripe_key_the_sandbox_is_used_with_a_random_webhook_secret()
    {
        var first = Services([]);
        var second = Services([]);

        Assert.IsType<SandboxPaymentProvider>(first.GetRequiredService<IPaymentProvider>());
        Assert.StartsWith("whsec_", first.GetRequiredService<WebhookSecret>().Value);
        Assert.NotEqual(first.GetRequiredService<WebhookSecret>(), second.GetRequiredService<WebhookSecret>());
    }

    [Fact]
    public void A_stripe_key_without_a_webhook_secret_is_refused_at_startup()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Services(new() { ["STRIPE_SECRET_KEY"] = "sk_test_x" }));

        Assert.Contains("STRIPE_WEBHOOK_SECRET", error.Message);
    }

    [Fact]
    public async Task With_a_stripe_key_checkouts_go_to_the_configured_stripe_api()
    {
        await using var stripe = await FakeStripe.StartAsync();
        var services = Services(new()
        {
            ["STRIPE_SECRET_KEY"] = "sk_test_wired",
            ["STRIPE_WEBHOOK_SECRET"] = "whsec_wired",
            ["STRIPE_API_BASE"] = stripe.BaseAddress,
            ["APP_URL"] = "https://rides.test/app",
        });

        var provider = Assert.IsType<StripePaymentProvider>(services.GetRequiredService<IPaymentProvider>());
        await provider.CreateCheckoutAsync(new CheckoutRequest("ps_t_1", "t", "r", 990, "GBP", 1), TestContext.Current.CancellationToken);

        Assert.Equal("whsec_wired", services.GetRequiredService<WebhookSecret>().Value);
        var request = Assert.Single(stripe.Requests);
        Assert.Equal("Bearer sk_test_wired", request.Authorization);
        Assert.Equal("https://rides.test/app?payment=success", request.Form["success_url"]);
        Assert.Equal("gbp", request.Form["line_items[0][price_data][currency]"]);
    }
}
