using UberClone.Storage;

namespace UberClone.Messaging;

/// <summary>Publishes to Kafka directly (key = entity id, value = JSON envelope, trace context in headers).</summary>
public interface IEventPublisher
{
    Task PublishAsync<T>(string topic, string entityId, T data, CancellationToken ct = default) where T : notnull;

    /// <summary>Publishes a message prepared earlier (the outbox relay uses this).</summary>
    Task PublishAsync(OutboxMessage message, CancellationToken ct = default);
}

/// <summary>Handles one topic's messages. Throwing means "not handled": the message is retried, then dead-lettered.</summary>
public interface IMessageHandler<in T> where T : notnull
{
    Task HandleAsync(T data, MessageContext context, CancellationToken ct);
}

/// <summary>What a handler knows about the message beyond its data. <paramref name="Partition"/> is −1 when unknown.</summary>
public sealed record MessageContext(string MessageId, string Topic, string Key, string Type, DateTimeOffset OccurredAt, int Attempt, int Partition = -1);
