using System.Security.Cryptography;
using Stripe;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Payments.Application;
using UberClone.Payments.Domain;
using UberClone.Payments.IntegrationEvents.EventHandling;
using UberClone.Payments.Providers;
using UberClone.Payments.Webhooks;
using UberClone.Storage;
using UberClone.Storage.Retention;

namespace UberClone.Payments.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddGrpc().AddJsonTranscoding();
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddPaymentProvider();
        builder.Services.AddSingleton<PaymentsMetrics>();
        builder.Services.AddSingleton<Cards.CardsApplication>();
        builder.Services.AddSingleton(CreditOptions.From(builder.Configuration));
        builder.Services.AddSingleton<Credit.CreditApplication>();
        builder.Services.AddSingleton<PaymentsApplication>();
        builder.Services.AddSingleton<Holds.FareHolds>();
        builder.Services.AddHostedService<Holds.HoldSweeper>();
        builder.Services.AddSingleton(CashLimitOptions.From(builder.Configuration));
        builder.Services.AddSingleton<Payouts.PayoutsApplication>();
        builder.Services.AddHostedService<Payouts.PayoutJob>();
        builder.Services.AddSingleton<Sandbox.SandboxOnboarding>();
        builder.Services.AddSingleton<Sandbox.SandboxBank>();
        builder.Services.AddHostedService<CardChargeRetry>();
        builder.Services.AddSingleton<StripeWebhookProcessor>();
        builder.Services.AddSingleton<Sandbox.SandboxCheckout>();
        builder.Services.AddSingleton<Sandbox.SandboxCardSetup>();
        builder.Services.AddSingleton<Sandbox.SandboxAuthentication>();
        builder.Services.AddSingleton<Sandbox.SandboxProviderStore>();

        builder.AddDocumentDatabase(Resources.PaymentsDb);
        builder.AddMessaging();
        builder.AddOutboxRelay();
        builder.Services.AddRetention(builder.Configuration, sp => RetentionRule.For(
            ProcessedWebhookEvent.Collection(sp.GetRequiredService<IDocumentDatabase>()), ProcessedWebhookEvent.CollectionName,
            ProcessedWebhookEvent.ProcessedAtField, ProcessedWebhookEvent.Retention));
        builder.Services.AddRetention(builder.Configuration, sp => RetentionRule.For(
            sp.GetRequiredService<Cards.CardsApplication>().Setups, CardSetup.CollectionName, CardSetup.CreatedAtField, CardSetup.Retention));
        builder.AddMessageHandler<PaymentCreateSessionCommand, PaymentCreateSessionCommandHandler>(Topics.PaymentCreateSession);
        builder.AddMessageHandler<AccountDeletedIntegrationEvent, AccountDeletedHandler>(Topics.AccountDeleted);
        builder.AddMessageHandler<AccountTimeZoneSetIntegrationEvent, AccountTimeZoneSetHandler>(Topics.AccountTimeZoneSet);
        builder.AddMessageHandler<TripEarningsChangedIntegrationEvent, TripEarningsChangedHandler>(Topics.TripEarningsChanged);
        builder.AddMessageHandler<QuestBonusEarnedIntegrationEvent, QuestBonusEarnedHandler>(Topics.QuestBonusEarned);
        builder.AddMessageHandler<TripCancelledIntegrationEvent, TripCancelledHandler>(Topics.TripCancelled);
        builder.AddMessageHandler<TripNoDriversFoundIntegrationEvent, TripNoDriversFoundHandler>(Topics.TripNoDriversFound);
        builder.AddMessageHandler<TripPaymentWaivedIntegrationEvent, TripPaymentWaivedHandler>(Topics.TripPaymentWaived);
        return builder;
    }

    /// <summary>Stripe when STRIPE_SECRET_KEY is set (then STRIPE_WEBHOOK_SECRET is required), the sandbox otherwise.</summary>
    private static void AddPaymentProvider(this IHostApplicationBuilder builder)
    {
        var options = PaymentsOptions.From(builder.Configuration);
        builder.Services.AddSingleton(options);
        if (options.UseStripe)
        {
            var webhookSecret = options.StripeWebhookSecret
                ?? throw new InvalidOperationException("STRIPE_WEBHOOK_SECRET is required when STRIPE_SECRET_KEY is set.");
            builder.Services.AddSingleton(new WebhookSecret(webhookSecret, options.StripeConnectWebhookSecret));
            builder.Services.AddHttpClient(StripePaymentProvider.ProviderName);
            builder.Services.AddSingleton<IStripeClient>(sp => new StripeClient(
                apiKey: options.StripeSecretKey,
                httpClient: new SystemNetHttpClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(StripePaymentProvider.ProviderName)),
                apiBase: options.StripeApiBase));
            builder.Services.AddSingleton<IPaymentProvider, StripePaymentProvider>();
        }
        else
        {
            builder.Services.AddSingleton(new WebhookSecret(options.StripeWebhookSecret ?? "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24))));
            builder.Services.AddSingleton<IPaymentProvider, SandboxPaymentProvider>();
            builder.Services.AddHostedService<Sandbox.SandboxBankJob>();
        }
    }
}
