using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using UberClone.Storage;

namespace UberClone.Messaging.Publishing;

/// <summary>
/// Publishes envelopes to Kafka: key = entity id, trace context, the message's identity and this host's
/// (<see cref="PublisherIdentity"/>) in headers, one producer span each.
/// </summary>
internal sealed class KafkaEventPublisher(IProducer<string, byte[]> producer, PublisherIdentity publisher, TimeProvider time) : IEventPublisher
{
    public Task PublishAsync<T>(string topic, string entityId, T data, CancellationToken ct = default) where T : notnull =>
        PublishAsync(OutboxMessages.Create(topic, entityId, data, time), ct);

    /// <remarks>
    /// Everything before the first await runs before this method returns, so the message is already queued in the
    /// producer then: callers that start several publishes before awaiting them keep their order (the outbox relay does).
    /// Cancelling stops the wait, not the delivery: the message may still arrive (at-least-once either way).
    /// </remarks>
    public async Task PublishAsync(OutboxMessage message, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ct.ThrowIfCancellationRequested();

        var parent = ParentOf(message);
        using var activity = MessagingDiagnostics.ActivitySource.StartActivity(
            $"send {message.Topic}", ActivityKind.Producer, parent);
        activity?.SetTag(MessagingTags.System, MessagingTags.Kafka)
            .SetTag(MessagingTags.OperationType, "send")
            .SetTag(MessagingTags.OperationName, "send")
            .SetTag(MessagingTags.DestinationName, message.Topic)
            .SetTag(MessagingTags.KafkaKey, message.Key)
            .SetTag(MessagingTags.MessageId, message.Id);

        var delivered = new TaskCompletionSource<DeliveryResult<string, byte[]>>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            producer.Produce(message.Topic, ToKafkaMessage(message, activity, parent), report =>
            {
                if (report.Error.IsError)
                {
                    delivered.TrySetException(new ProduceException<string, byte[]>(report.Error, report));
                }
                else
                {
                    delivered.TrySetResult(report);
                }
            });
            var result = await delivered.Task.WaitAsync(ct);
            activity?.SetTag(MessagingTags.PartitionId, result.Partition.Value.ToString())
                .SetTag(MessagingTags.KafkaOffset, result.Offset.Value);
        }
        catch (Exception ex) when (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, ex.Message)
                .SetTag(MessagingTags.ErrorType, ex.GetType().FullName)
                .AddException(ex);
            throw;
        }
    }

    /// <summary>
    /// A stored message continues the trace it was written under. When it was written in the current span (a direct
    /// publish) that span's context is used as is, which also keeps its tracestate.
    /// </summary>
    private static ActivityContext ParentOf(OutboxMessage message)
    {
        var current = Activity.Current;
        if (message.TraceParent is null || (current is not null && current.Id == message.TraceParent))
        {
            return current?.Context ?? default;
        }
        return ActivityContext.TryParse(message.TraceParent, null, out var stored) ? stored : default;
    }

    private Message<string, byte[]> ToKafkaMessage(OutboxMessage message, Activity? activity, ActivityContext parent)
    {
        var headers = new Headers
        {
            { MessageHeaders.MessageId, Encoding.UTF8.GetBytes(message.Id) },
            { MessageHeaders.Type, Encoding.UTF8.GetBytes(message.Type) },
            { MessageHeaders.PublisherInstance, Encoding.UTF8.GetBytes(publisher.Id) },
        };
        // Without a listener there is no producer span; the stored context still travels so the trace is not cut.
        var traceParent = activity?.Id ?? message.TraceParent;
        var traceState = activity is not null ? activity.TraceStateString : parent.TraceState;
        if (traceParent is not null)
        {
            headers.Add(MessageHeaders.TraceParent, Encoding.UTF8.GetBytes(traceParent));
        }
        if (!string.IsNullOrEmpty(traceState))
        {
            headers.Add(MessageHeaders.TraceState, Encoding.UTF8.GetBytes(traceState));
        }
        return new Message<string, byte[]>
        {
            Key = message.Key,
            Value = Encoding.UTF8.GetBytes(message.Value),
            Headers = headers,
        };
    }
}
