using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UberClone.Storage;

namespace UberClone.Messaging.Consuming;

/// <summary>Takes one consumed message to a final outcome: handled, skipped as already handled, or dead-lettered.</summary>
internal sealed class MessageProcessor(
    IServiceScopeFactory scopes,
    MessagingOptions options,
    ProcessedMessageLog processed,
    DeadLetterPublisher deadLetters,
    TimeProvider time,
    ILogger<MessageProcessor> logger)
{
    /// <summary>
    /// Completes once the message has its outcome, so its offset may be stored. Throws OperationCanceledException
    /// when stopping interrupted it; the message then has no outcome and must be redelivered.
    /// </summary>
    /// <param name="group">The consumer group that read it (the service's, or an instance consumer's), for its span.</param>
    public async Task ProcessAsync(ConsumeResult<string, byte[]> result, MessageHandlerRegistration registration, string group, CancellationToken stopping)
    {
        using var activity = StartActivity(result, group);

        IncomingMessage message;
        try
        {
            message = registration.Read(result.Message.Value);
        }
        catch (MalformedMessageException ex)
        {
            activity?.AddException(ex);
            MarkFailed(activity, ex);
            await deadLetters.SendAsync(result, ex, attempts: 0, group, stopping);
            return;
        }
        activity?.SetTag(MessagingTags.MessageId, message.MessageId);

        Exception? lastError = null;
        for (var attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            try
            {
                await HandleOnceAsync(result, registration, group, message, attempt, stopping);
                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                lastError = ex;
                activity?.AddException(ex);
                logger.LogWarning(ex, "Handling message {MessageId} from {Topic} failed (attempt {Attempt} of {MaxAttempts}).",
                    message.MessageId, result.Topic, attempt, options.MaxAttempts);
                if (attempt < options.MaxAttempts)
                {
                    await Task.Delay(options.BackoffAfter(attempt), time, stopping);
                }
            }
        }

        MarkFailed(activity, lastError!);
        await deadLetters.SendAsync(result, lastError!, options.MaxAttempts, group, stopping);
    }

    private async Task HandleOnceAsync(
        ConsumeResult<string, byte[]> result, MessageHandlerRegistration registration, string group, IncomingMessage message, int attempt, CancellationToken stopping)
    {
        await using var scope = scopes.CreateAsyncScope();
        var database = registration.Idempotent ? scope.ServiceProvider.GetService<IDocumentDatabase>() : null;
        if (database is not null && await processed.ContainsAsync(database, group, message.MessageId, stopping))
        {
            logger.LogDebug("Message {MessageId} from {Topic} was already handled; skipped.", message.MessageId, result.Topic);
            return;
        }

        // A key-less message (not written by this library) still names its entity in the envelope.
        var key = result.Message.Key ?? message.EntityId ?? "";
        var context = new MessageContext(message.MessageId, result.Topic, key, message.Type, message.OccurredAt, attempt, result.Partition.Value);
        await registration.InvokeAsync(scope.ServiceProvider, message.Data, context, stopping);

        if (database is not null)
        {
            await processed.RecordAsync(database, group, message.MessageId, result.Topic);
        }
    }

    /// <summary>Continues the producer's trace from the traceparent header; handlers run with this span as Activity.Current.</summary>
    private static Activity? StartActivity(ConsumeResult<string, byte[]> result, string group)
    {
        var headers = result.Message.Headers;
        ActivityContext.TryParse(Header(headers, MessageHeaders.TraceParent), Header(headers, MessageHeaders.TraceState), out var parent);
        return MessagingDiagnostics.ActivitySource.StartActivity($"process {result.Topic}", ActivityKind.Consumer, parent)
            ?.SetTag(MessagingTags.System, MessagingTags.Kafka)
            .SetTag(MessagingTags.OperationType, "process")
            .SetTag(MessagingTags.OperationName, "process")
            .SetTag(MessagingTags.DestinationName, result.Topic)
            .SetTag(MessagingTags.ConsumerGroup, group)
            .SetTag(MessagingTags.PartitionId, result.Partition.Value.ToString())
            .SetTag(MessagingTags.KafkaOffset, result.Offset.Value)
            .SetTag(MessagingTags.KafkaKey, result.Message.Key);
    }

    private static void MarkFailed(Activity? activity, Exception error) =>
        activity?.SetStatus(ActivityStatusCode.Error, error.Message)
            .SetTag(MessagingTags.ErrorType, error.GetType().FullName);

    private static string? Header(Headers? headers, string key) =>
        headers is not null && headers.TryGetLastBytes(key, out var value) ? Encoding.UTF8.GetString(value) : null;
}
