using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using UberClone.Contracts;
using UberClone.Messaging;
using UberClone.Messaging.Consuming;
using UberClone.Messaging.Outbox;
using UberClone.Messaging.Publishing;

namespace Microsoft.Extensions.Hosting;

/// <summary>Kafka messaging for a service: publisher, one consumer for all its handlers, and the outbox relay.</summary>
public static class MessagingExtensions
{
    /// <summary>
    /// Registers the producer (ConnectionStrings:kafka, Aspire:Confluent:Kafka:Producer), <see cref="IEventPublisher"/>
    /// and the consumer host that runs the handlers added with <see cref="AddMessageHandler"/>.
    /// </summary>
    public static IHostApplicationBuilder AddMessaging(this IHostApplicationBuilder builder, Action<MessagingOptions>? configure = null)
    {
        if (IsRegistered<MessagingOptions>(builder))
        {
            throw new InvalidOperationException("AddMessaging was already called for this service.");
        }

        var consumerSettings = KafkaClientExtensions.BindConsumerSettings(builder.Configuration, Resources.Kafka);
        var options = new MessagingOptions { GroupId = DefaultGroupId(builder, consumerSettings) };
        configure?.Invoke(options);
        options.Validate();

        builder.Services.AddSingleton(options);
        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.AddKafkaProducer<string, byte[]>(Resources.Kafka, settings => ProducerDefaults.Apply(settings.Config, options));
        builder.Services.AddSingleton<IEventPublisher, KafkaEventPublisher>();

        builder.Services.AddSingleton(MessagingConsumerConfig.From(consumerSettings, options));
        builder.Services.AddSingleton<ProcessedMessageLog>();
        builder.Services.AddSingleton<DeadLetterPublisher>();
        builder.Services.AddSingleton<MessageProcessor>();
        builder.Services.AddSingleton<ConsumerReadiness>();
        builder.Services.AddHealthChecks().AddCheck<ConsumerReadiness>(ConsumerReadiness.HealthCheckName);
        builder.Services.AddHostedService<KafkaConsumerHost>();
        return builder;
    }

    /// <summary>
    /// Runs <typeparamref name="THandler"/> (scoped, one scope per message) for every message on <paramref name="topic"/>.
    /// Idempotent handlers skip message ids this service already handled; that needs an IDocumentDatabase registered,
    /// and handlers must still guard their state (a crash between their write and the record re-runs them).
    /// </summary>
    public static IHostApplicationBuilder AddMessageHandler<TData, THandler>(this IHostApplicationBuilder builder, string topic, bool idempotent = true)
        where TData : notnull
        where THandler : class, IMessageHandler<TData>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        RequireMessaging(builder, nameof(AddMessageHandler));
        var existing = builder.Services
            .Where(d => !d.IsKeyedService && d.ServiceType == typeof(MessageHandlerRegistration))
            .Select(d => d.ImplementationInstance)
            .OfType<MessageHandlerRegistration>()
            .FirstOrDefault(r => r.Topic == topic);
        if (existing is not null)
        {
            // One consumer dispatches by topic, so a topic has exactly one handler per service.
            throw new InvalidOperationException($"Topic '{topic}' already has a handler ({existing.HandlerType.Name}).");
        }

        builder.Services.TryAddScoped<THandler>();
        builder.Services.AddSingleton<MessageHandlerRegistration>(new MessageHandlerRegistration<TData, THandler>(topic, idempotent));
        return builder;
    }

    /// <summary>Relays the outbox of the service's IDocumentDatabase (or a registered IOutbox) to Kafka.</summary>
    public static IHostApplicationBuilder AddOutboxRelay(this IHostApplicationBuilder builder)
    {
        RequireMessaging(builder, nameof(AddOutboxRelay));
        builder.Services.AddHostedService<OutboxRelay>();
        return builder;
    }

    /// <summary>The consumer group configured for Kafka, else the service's name (OTEL_SERVICE_NAME, else the application name).</summary>
    private static string DefaultGroupId(IHostApplicationBuilder builder, KafkaConsumerSettings consumerSettings)
    {
        if (!string.IsNullOrWhiteSpace(consumerSettings.Config.GroupId))
        {
            return consumerSettings.Config.GroupId;
        }
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"];
        return (string.IsNullOrWhiteSpace(serviceName) ? builder.Environment.ApplicationName : serviceName).ToLowerInvariant();
    }

    private static void RequireMessaging(IHostApplicationBuilder builder, string caller)
    {
        if (!IsRegistered<MessagingOptions>(builder))
        {
            throw new InvalidOperationException($"Call builder.AddMessaging() before builder.{caller}().");
        }
    }

    private static bool IsRegistered<T>(IHostApplicationBuilder builder) =>
        builder.Services.Any(d => d.ServiceType == typeof(T));
}
