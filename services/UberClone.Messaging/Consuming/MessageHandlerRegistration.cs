using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace UberClone.Messaging.Consuming;

/// <summary>A message read from its envelope, with its data already typed for the topic's handler.</summary>
internal sealed record IncomingMessage(string MessageId, string Type, DateTimeOffset OccurredAt, string? EntityId, object Data);

/// <summary>A handler run by every instance of the service (see AddInstanceMessageHandler).</summary>
/// <param name="SkipOwn">Skip the messages this host published itself.</param>
internal sealed record InstanceHandlerRegistration(MessageHandlerRegistration Handler, TimeSpan Replay, bool SkipOwn);

/// <summary>A handler run in a consumer group of its own, shared by every instance (see AddGroupMessageHandler).</summary>
internal sealed record GroupHandlerRegistration(string Group, MessageHandlerRegistration Handler);

/// <summary>One topic's handler: how to read the topic's data and how to call the handler.</summary>
internal abstract class MessageHandlerRegistration(string topic, bool idempotent)
{
    public string Topic { get; } = topic;

    /// <summary>Skip messages already handled by this consumer group (needs an IDocumentDatabase).</summary>
    public bool Idempotent { get; } = idempotent;

    public abstract Type HandlerType { get; }

    /// <exception cref="MalformedMessageException">The value is not an envelope, or its data is not the topic's type.</exception>
    public IncomingMessage Read(byte[]? value)
    {
        if (value is null || value.Length == 0)
        {
            throw new MalformedMessageException("The message has no value.");
        }
        MessageEnvelope<JsonElement>? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<MessageEnvelope<JsonElement>>(value, MessageEnvelope.SerializerOptions);
        }
        catch (JsonException ex)
        {
            throw new MalformedMessageException($"The value is not a JSON envelope: {ex.Message}", ex);
        }
        if (envelope is null || string.IsNullOrWhiteSpace(envelope.Id) || string.IsNullOrWhiteSpace(envelope.Type)
            || envelope.Data.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            throw new MalformedMessageException("The envelope lacks its id, type or data.");
        }
        return new IncomingMessage(envelope.Id, envelope.Type, envelope.OccurredAt, envelope.EntityId, ReadData(envelope.Data));
    }

    protected abstract object ReadData(JsonElement data);

    public abstract Task InvokeAsync(IServiceProvider services, object data, MessageContext context, CancellationToken ct);
}

internal sealed class MessageHandlerRegistration<TData, THandler>(string topic, bool idempotent)
    : MessageHandlerRegistration(topic, idempotent)
    where TData : notnull
    where THandler : class, IMessageHandler<TData>
{
    public override Type HandlerType => typeof(THandler);

    protected override object ReadData(JsonElement data)
    {
        try
        {
            return data.Deserialize<TData>(MessageEnvelope.SerializerOptions)
                ?? throw new MalformedMessageException($"The data is not a {typeof(TData).Name}.");
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new MalformedMessageException($"The data is not a {typeof(TData).Name}: {ex.Message}", ex);
        }
    }

    // The concrete handler type is resolved, not IMessageHandler<TData>: two topics may carry the same data type.
    public override Task InvokeAsync(IServiceProvider services, object data, MessageContext context, CancellationToken ct) =>
        services.GetRequiredService<THandler>().HandleAsync((TData)data, context, ct);
}
