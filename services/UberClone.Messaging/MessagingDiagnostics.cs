using System.Diagnostics;

namespace UberClone.Messaging;

/// <summary>Names shared by producers, consumers and anyone inspecting their messages or spans.</summary>
public static class MessagingDiagnostics
{
    /// <summary>Producer and consumer spans. Matches ServiceDefaults' "UberClone.*" tracing source.</summary>
    public const string ActivitySourceName = "UberClone.Messaging";

    internal static readonly ActivitySource ActivitySource = new(ActivitySourceName);
}

/// <summary>Kafka header names.</summary>
public static class MessageHeaders
{
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";
    public const string MessageId = "message-id";
    public const string Type = "type";

    /// <summary>
    /// The host that published the message: a random id per process start and DI container, not service.instance.id.
    /// Instance handlers registered with skipOwn skip messages carrying their own host's.
    /// </summary>
    public const string PublisherInstance = "publisher-instance";

    public const string DeadLetterErrorType = "dlq-error-type";
    public const string DeadLetterErrorMessage = "dlq-error-message";
    public const string DeadLetterOriginalTopic = "dlq-original-topic";
    public const string DeadLetterOriginalPartition = "dlq-original-partition";
    public const string DeadLetterOriginalOffset = "dlq-original-offset";
    public const string DeadLetterAttempts = "dlq-attempts";
    /// <summary>The consumer group that gave up on the message: with instance handlers every replica reads every message, so each replica that fails it sends its own copy.</summary>
    public const string DeadLetterConsumerGroup = "dlq-consumer-group";
}

/// <summary>OpenTelemetry messaging semantic-convention attribute names.</summary>
internal static class MessagingTags
{
    public const string System = "messaging.system";
    public const string OperationType = "messaging.operation.type";
    public const string OperationName = "messaging.operation.name";
    public const string DestinationName = "messaging.destination.name";
    public const string PartitionId = "messaging.destination.partition.id";
    public const string ConsumerGroup = "messaging.consumer.group.name";
    public const string MessageId = "messaging.message.id";
    public const string KafkaKey = "messaging.kafka.message.key";
    public const string KafkaOffset = "messaging.kafka.offset";
    public const string ErrorType = "error.type";

    public const string Kafka = "kafka";
}
