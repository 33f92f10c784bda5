using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using UberClone.Contracts;
using UberClone.Messaging;
using UberClone.Messaging.Consuming;
using UberClone.Messaging.Outbox;
using UberClone.Messaging.Publishing;
using UberClone.Storage;

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
        if (builder.Configuration.GetValue<TimeSpan?>("Messaging:ProcessedMessageRetention") is { } retention)
        {
            options.ProcessedMessageRetention = retention;
        }
        configure?.Invoke(options);
        options.Validate();

        builder.Services.AddSingleton(options);
        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.AddKafkaProducer<string, byte[]>(Resources.Kafka, settings => ProducerDefaults.Apply(settings.Config, options));
        builder.Services.AddSingleton<PublisherIdentity>();
        builder.Services.AddSingleton<IEventPublisher, KafkaEventPublisher>();

        builder.Services.AddSingleton(MessagingConsumerConfig.From(consumerSettings, options));
        builder.Services.AddSingleton<ProcessedMessageLog>();
        builder.Services.AddRetention(builder.Configuration, sp => sp.GetService<IDocumentDatabase>() is { } database
            ? sp.GetRequiredService<ProcessedMessageLog>().RetentionRule(database)
            : null);
        builder.Services.AddSingleton<DeadLetterPublisher>();
        builder.Services.AddSingleton<MessageProcessor>();
        builder.Services.AddSingleton<ConsumerReadiness>();
        builder.Services.AddHealthChecks().AddCheck<ConsumerReadiness>(ConsumerReadiness.HealthCheckName);
        builder.Services.AddSingleton<PartitionOwnership>();
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

    /// <summary>
    /// Runs <typeparamref name="THandler"/> in every instance of the service for every message on
    /// <paramref name="topic"/>: a consumer group of this instance alone, which on each start first re-reads the last
    /// <paramref name="replay"/> of the topic (by message time) and commits nothing. For state each replica keeps in
    /// memory from a stream of events (counters, caches); handlers must tolerate a message seen twice or late.
    /// Until that replay is read to its end the service is not ready (<see cref="ConsumerReadiness.InstanceHealthCheckName"/>)
    /// and its group consumer does not join its group: a new or restarted replica would otherwise take partitions and
    /// handle their messages (dispatch a trip) from a memory still empty. Until then those partitions stay with the
    /// replicas already running.
    /// </summary>
    /// <param name="skipOwn">
    /// Skip the messages this host published (header <see cref="MessageHeaders.PublisherInstance"/>), unparsed, for a
    /// replica that applies what it announces before announcing it. Messages from an earlier run of the same replica
    /// and messages without the header are handled.
    /// </param>
    public static IHostApplicationBuilder AddInstanceMessageHandler<TData, THandler>(
        this IHostApplicationBuilder builder, string topic, TimeSpan replay, bool skipOwn = false)
        where TData : notnull
        where THandler : class, IMessageHandler<TData>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(replay, TimeSpan.Zero);
        RequireMessaging(builder, nameof(AddInstanceMessageHandler));
        var registrations = builder.Services
            .Where(d => d.ServiceType == typeof(InstanceHandlerRegistration))
            .Select(d => (InstanceHandlerRegistration)d.ImplementationInstance!)
            .ToList();
        if (registrations.FirstOrDefault(r => r.Handler.Topic == topic) is { } existing)
        {
            throw new InvalidOperationException($"Topic '{topic}' already has an instance handler ({existing.Handler.HandlerType.Name}).");
        }
        if (registrations.Count > 0 && registrations[0].Replay != replay)
        {
            throw new InvalidOperationException($"Instance handlers share one consumer: replay {replay} differs from {registrations[0].Replay}.");
        }
        if (registrations.Count == 0)
        {
            var instanceId = ServiceInstance.IdFrom(builder.Configuration);
            // Not ready until the replay is read: a new replica must not answer from an empty memory.
            var replayed = new ConsumerReadiness("The instance consumer has not read its replay of the recent past yet.");
            builder.Services.AddHealthChecks().AddCheck(ConsumerReadiness.InstanceHealthCheckName, replayed);
            // The group consumer (AddMessaging) is given this and joins its group only after the replay.
            builder.Services.AddSingleton(new InstanceReplayReadiness(replayed));
            builder.Services.AddSingleton<IHostedService>(sp =>
            {
                var handlers = sp.GetServices<InstanceHandlerRegistration>().ToList();
                var ownMessages = new OwnMessages(sp.GetRequiredService<PublisherIdentity>(), handlers.Where(r => r.SkipOwn).Select(r => r.Handler.Topic));
                return new KafkaConsumerHost(
                    sp.GetRequiredService<MessagingConsumerConfig>().ForInstance(instanceId, replay),
                    handlers.Select(r => r.Handler),
                    sp.GetRequiredService<MessageProcessor>(),
                    replayed,
                    sp.GetRequiredService<ILogger<KafkaConsumerHost>>(),
                    ownMessages: ownMessages);
            });
        }

        builder.Services.TryAddScoped<THandler>();
        builder.Services.AddSingleton(new InstanceHandlerRegistration(new MessageHandlerRegistration<TData, THandler>(topic, idempotent: false), replay, skipOwn));
        return builder;
    }

    /// <summary>
    /// Runs <typeparamref name="THandler"/> (idempotent, like <see cref="AddMessageHandler"/>) for every message on
    /// <paramref name="topic"/> in the consumer group <paramref name="group"/>, besides the service's main group: one
    /// instance of the service handles each message, whatever the main group does. For work to be done once by a service
    /// whose main group is each instance's own (the gateway forwards every event to its own sockets, but mails a receipt
    /// once). Each such group has its own consumer and readiness (health check <c>kafka-consumer-assigned:{group}</c>,
    /// healthy once joined); a partition it has no committed offset for is read from its earliest message of the last
    /// day (<see cref="MessagingConsumerConfig.ForGroup"/>).
    /// </summary>
    public static IHostApplicationBuilder AddGroupMessageHandler<TData, THandler>(this IHostApplicationBuilder builder, string topic, string group)
        where TData : notnull
        where THandler : class, IMessageHandler<TData>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentException.ThrowIfNullOrWhiteSpace(group);
        RequireMessaging(builder, nameof(AddGroupMessageHandler));
        var registrations = builder.Services
            .Where(d => d.ServiceType == typeof(GroupHandlerRegistration))
            .Select(d => (GroupHandlerRegistration)d.ImplementationInstance!)
            .Where(r => r.Group == group)
            .ToList();
        if (registrations.FirstOrDefault(r => r.Handler.Topic == topic) is { } existing)
        {
            throw new InvalidOperationException($"Topic '{topic}' already has a handler in group '{group}' ({existing.Handler.HandlerType.Name}).");
        }
        if (registrations.Count == 0)
        {
            var assigned = new ConsumerReadiness($"The Kafka consumer of group '{group}' has not joined its group yet.");
            builder.Services.AddHealthChecks().AddCheck($"{ConsumerReadiness.HealthCheckName}:{group}", assigned);
            builder.Services.AddSingleton<IHostedService>(sp =>
            {
                var main = sp.GetRequiredService<MessagingOptions>().GroupId;
                if (main == group) throw new InvalidOperationException($"'{group}' is the service's main consumer group; use AddMessageHandler.");
                return new KafkaConsumerHost(
                    sp.GetRequiredService<MessagingConsumerConfig>().ForGroup(group),
                    sp.GetServices<GroupHandlerRegistration>().Where(r => r.Group == group).Select(r => r.Handler),
                    sp.GetRequiredService<MessageProcessor>(),
                    assigned,
                    sp.GetRequiredService<ILogger<KafkaConsumerHost>>());
            });
        }

        builder.Services.TryAddScoped<THandler>();
        builder.Services.AddSingleton(new GroupHandlerRegistration(group, new MessageHandlerRegistration<TData, THandler>(topic, idempotent: true)));
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
