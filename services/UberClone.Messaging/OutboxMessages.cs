using System.Diagnostics;
using System.Text.Json;
using UberClone.Storage;

namespace UberClone.Messaging;

/// <summary>Builds the messages a service stores with its aggregate (the outbox) for the relay to publish later.</summary>
public static class OutboxMessages
{
    /// <summary>
    /// Key = <paramref name="entityId"/>, value = the JSON envelope, and the current trace context so the published
    /// message continues the trace of the request that caused it.
    /// </summary>
    public static OutboxMessage Create<T>(string topic, string entityId, T data, TimeProvider? time = null) where T : notnull
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentException.ThrowIfNullOrWhiteSpace(entityId);
        ArgumentNullException.ThrowIfNull(data);

        var now = (time ?? TimeProvider.System).GetUtcNow();
        // Version 7: time-ordered, so ids sort roughly by creation, which keeps the processed-message index compact.
        var id = Guid.CreateVersion7(now).ToString();
        var envelope = new MessageEnvelope<T>(id, topic, MessageEnvelope.CurrentVersion, now, entityId, data);
        var value = JsonSerializer.Serialize(envelope, MessageEnvelope.SerializerOptions);
        var current = Activity.Current;
        var traceParent = current is { IdFormat: ActivityIdFormat.W3C } ? current.Id : null;
        return new OutboxMessage(id, topic, entityId, topic, value, traceParent, now);
    }
}
