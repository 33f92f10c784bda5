using System.Security.Cryptography;

namespace UberClone.Payments.Providers;

/// <summary>
/// The default provider: no keys, works offline. Its checkout is the page payments serves at /checkout/{id}; the id is
/// random (the link is the capability, like a Stripe Checkout URL). Pay / Decline on that page send a webhook signed as
/// Stripe signs them (see <see cref="Sandbox.SandboxCheckoutApi"/>), so the real webhook path does the work.
/// </summary>
public sealed class SandboxPaymentProvider : IPaymentProvider
{
    public const string ProviderName = "sandbox";

    public string Name => ProviderName;

    public Task<ProviderCheckout> CreateCheckoutAsync(CheckoutRequest request, CancellationToken ct)
    {
        var id = NewId("cs_sandbox_");
        return Task.FromResult(new ProviderCheckout(id, $"/checkout/{id}", null));
    }

    public Task ExpireCheckoutAsync(string providerSessionId, CancellationToken ct) => Task.CompletedTask;

    public Task<ProviderRefund> RefundAsync(RefundRequest request, CancellationToken ct) =>
        Task.FromResult(new ProviderRefund("re_sandbox_" + request.RefundId, "succeeded"));

    public static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
