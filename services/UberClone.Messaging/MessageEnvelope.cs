using System.Text.Json;

namespace UberClone.Messaging;

/// <summary>The JSON value of every message: the data plus what a consumer needs to dedupe, order and trace it.</summary>
/// <param name="Type">The topic the message was written for.</param>
/// <param name="Version">The envelope's schema version (<see cref="MessageEnvelope.CurrentVersion"/>).</param>
/// <param name="EntityId">The aggregate the message is about; also the Kafka key.</param>
public sealed record MessageEnvelope<T>(string Id, string Type, int Version, DateTimeOffset OccurredAt, string EntityId, T Data);

public static class MessageEnvelope
{
    public const int CurrentVersion = 1;

    /// <summary>System.Text.Json web defaults (camelCase, case-insensitive reads), shared by producers and consumers.</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.Web);
}
