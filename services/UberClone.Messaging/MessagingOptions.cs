namespace UberClone.Messaging;

/// <summary>How this service consumes: its group, where a new group starts, and how failures are retried.</summary>
public sealed class MessagingOptions
{
    /// <summary>Kafka consumer group, also the prefix of processed-message ids. Defaults to the service name, lowercased.</summary>
    public string GroupId { get; set; } = "";

    /// <summary>Where a group without committed offsets starts: false = the earliest retained message, true = only new ones.</summary>
    public bool StartFromLatest { get; set; }

    /// <summary>Handler attempts per message before it is dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Wait before the second attempt; each later wait is <see cref="BackoffMultiplier"/> times longer.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    public double BackoffMultiplier { get; set; } = 4;

    /// <summary>How long the outbox relay waits when it finds nothing to publish.</summary>
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    public int OutboxBatchSize { get; set; } = 100;

    /// <summary>
    /// How long a handled message's id is remembered (configuration <c>Messaging:ProcessedMessageRetention</c>): 7 days,
    /// Kafka's default topic retention, past which the message itself is gone from the topic.
    /// </summary>
    public TimeSpan ProcessedMessageRetention { get; set; } = TimeSpan.FromDays(7);

    internal TimeSpan BackoffAfter(int failedAttempt) =>
        InitialBackoff * Math.Pow(BackoffMultiplier, failedAttempt - 1);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(GroupId))
        {
            throw new InvalidOperationException("MessagingOptions.GroupId is empty: set OTEL_SERVICE_NAME or configure a GroupId.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialBackoff, TimeSpan.Zero, nameof(InitialBackoff));
        ArgumentOutOfRangeException.ThrowIfLessThan(BackoffMultiplier, 1, nameof(BackoffMultiplier));
        ArgumentOutOfRangeException.ThrowIfLessThan(OutboxPollInterval, TimeSpan.Zero, nameof(OutboxPollInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(OutboxBatchSize, 1, nameof(OutboxBatchSize));
        if (ProcessedMessageRetention < TimeSpan.FromMinutes(1))
        {
            throw new InvalidOperationException(
                $"Messaging:ProcessedMessageRetention must be at least a minute (was {ProcessedMessageRetention}): redeliveries would run handlers again.");
        }
    }
}
