using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Payments.Application;
using UberClone.Payments.IntegrationEvents.EventHandling;

namespace UberClone.Payments.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddGrpc().AddJsonTranscoding();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PaymentsApplication>();

        builder.AddDocumentDatabase(Resources.PaymentsDb);
        builder.AddMessaging();
        builder.AddOutboxRelay();
        builder.AddMessageHandler<PaymentCreateSessionCommand, PaymentCreateSessionCommandHandler>(Topics.PaymentCreateSession);
        return builder;
    }
}
