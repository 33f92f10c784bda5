using UberClone.Payments.Tests;

namespace UberClone.Stack.Payments.Tests.Infrastructure;

/// <summary>A second stack whose payments service runs the Stripe provider (Stripe.net) against a local fake Stripe API.</summary>
public sealed class StripeStackFixture : PaymentsStack
{
    public FakeStripe Stripe { get; private set; } = null!;

    protected override async ValueTask<IReadOnlyDictionary<string, string>> ConfigurePayments()
    {
        Stripe = await FakeStripe.StartAsync();
        return new Dictionary<string, string>
        {
            ["STRIPE_SECRET_KEY"] = "sk_test_stack",
            ["STRIPE_API_BASE"] = Stripe.BaseAddress,
            ["APP_URL"] = "https://rides.test/",
        };
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Stripe is not null) await Stripe.DisposeAsync();
    }
}
