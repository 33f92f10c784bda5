using System.Text.Json;
using UberClone.Payments.Cards;
using UberClone.Payments.Domain;
using UberClone.Payments.Providers;
using UberClone.Payments.Webhooks;
using UberClone.Storage;

namespace UberClone.Payments.Sandbox;

/// <summary>
/// The sandbox's page for saving a card (what Stripe Checkout in setup mode is): the card form is checked as a card form
/// is, the card is kept where the provider keeps it (<see cref="SandboxProviderStore"/>), and the webhook Stripe would
/// send (checkout.session.completed, mode setup) is signed and handed to the same processor as Stripe's own, which puts
/// the card in the rider's wallet. The wallet is never changed directly.
/// </summary>
public sealed class SandboxCardSetup(CardsApplication cards, SandboxProviderStore store, IPaymentProvider provider, StripeWebhookProcessor webhooks,
    WebhookSecret secret, TimeProvider clock)
{
    public async Task<CardSetup?> FindAsync(string checkoutId, CancellationToken ct) =>
        checkoutId.StartsWith(SandboxPaymentProvider.SetupPrefix, StringComparison.Ordinal) && checkoutId.Length <= 100
            && await cards.SetupOfCheckoutAsync(checkoutId, ct) is { Provider: SandboxPaymentProvider.ProviderName } setup
            ? setup
            : null;

    /// <summary>Saves the card of the form, or says why not (the form's error, or the setup no longer open).</summary>
    public async Task<SandboxChoice> SaveAsync(string checkoutId, SandboxCardForm form, CancellationToken ct)
    {
        var setup = await FindAsync(checkoutId, ct);
        if (setup is null) return new SandboxChoice(SandboxOutcome.NotFound);
        var now = clock.GetUtcNow();
        if (!setup.IsOpen(now))
        {
            return new SandboxChoice(SandboxOutcome.Conflict, setup.Status == CardSetupStatus.Completed ? "This card was saved already." : "This page has expired: start again from your account.");
        }
        var (card, error) = SandboxCards.Check(form, now);
        if (card is null) return new SandboxChoice(SandboxOutcome.Invalid, error);

        var paymentMethod = new SandboxPaymentMethod(SandboxPaymentProvider.NewId("pm_sandbox_"), SandboxPaymentProvider.NewId("seti_sandbox_"),
            await provider.CustomerAsync(setup.RiderId, ct), card.Brand, card.Number[^4..], form.ExpMonth, SandboxCards.FullYear(form.ExpYear), card.ChargeDecline, false, now,
            card.LimitMinor, card.SlowBank);
        await store.PaymentMethods.InsertAsync(paymentMethod.Id, paymentMethod, ct: ct);

        var payload = JsonSerializer.Serialize(new
        {
            id = SandboxPaymentProvider.NewId("evt_sandbox_"),
            @object = "event",
            created = now.ToUnixTimeSeconds(),
            livemode = false,
            type = "checkout.session.completed",
            data = new
            {
                @object = new
                {
                    id = setup.ProviderSessionId,
                    @object = "checkout.session",
                    mode = "setup",
                    status = "complete",
                    customer = paymentMethod.CustomerId,
                    setup_intent = paymentMethod.SetupIntentId,
                    metadata = new Dictionary<string, string> { ["rider_id"] = setup.RiderId, ["card_setup_id"] = setup.Id },
                },
            },
        });
        var result = await webhooks.HandleAsync(payload, StripeSignature.Sign(payload, secret.Value, now), ct);
        return result.Outcome == WebhookOutcome.Processed
            ? new SandboxChoice(SandboxOutcome.Done)
            : new SandboxChoice(SandboxOutcome.Conflict, $"The card was not saved: {result.Detail}");
    }
}
