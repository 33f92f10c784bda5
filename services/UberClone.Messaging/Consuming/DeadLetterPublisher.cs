using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using UberClone.Contracts;

namespace UberClone.Messaging.Consuming;

/// <summary>Moves a message that cannot be handled to "&lt;topic&gt;.dlq", unchanged, with the reason in its headers.</summary>
internal sealed class DeadLetterPublisher(IProducer<string, byte[]> producer, TimeProvider time, ILogger<DeadLetterPublisher> logger)
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Returns only once the dead letter is stored by the broker: the caller then moves past the original, so
    /// giving up here would lose it. Retries until then, or until stopping (the original is then redelivered).
    /// </summary>
    public async Task SendAsync(ConsumeResult<string, byte[]> source, Exception error, int attempts, string group, CancellationToken stopping)
    {
        var topic = Topics.DeadLetter(source.Topic);
        var deadLetter = new Message<string, byte[]>
        {
            Key = source.Message.Key,
            Value = source.Message.Value,
            Headers = Headers(source, error, attempts, group),
        };
        var delay = FirstRetryDelay;
        while (true)
        {
            try
            {
                await producer.ProduceAsync(topic, deadLetter, stopping);
                logger.LogError(error, "Dead-lettered {Topic} [{Partition}] @{Offset} to {DeadLetterTopic} after {Attempts} attempts.",
                    source.Topic, source.Partition.Value, source.Offset.Value, topic, attempts);
                return;
            }
            catch (KafkaException ex) when (!stopping.IsCancellationRequested)
            {
                logger.LogError(ex, "Could not write to {DeadLetterTopic}; retrying in {Delay}.", topic, delay);
                await Task.Delay(delay, time, stopping);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    private static Headers Headers(ConsumeResult<string, byte[]> source, Exception error, int attempts, string group)
    {
        var headers = new Headers();
        foreach (var header in source.Message.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }
        Add(headers, MessageHeaders.DeadLetterErrorType, error.GetType().FullName ?? error.GetType().Name);
        Add(headers, MessageHeaders.DeadLetterErrorMessage, error.Message);
        Add(headers, MessageHeaders.DeadLetterOriginalTopic, source.Topic);
        Add(headers, MessageHeaders.DeadLetterOriginalPartition, source.Partition.Value.ToString(CultureInfo.InvariantCulture));
        Add(headers, MessageHeaders.DeadLetterOriginalOffset, source.Offset.Value.ToString(CultureInfo.InvariantCulture));
        Add(headers, MessageHeaders.DeadLetterAttempts, attempts.ToString(CultureInfo.InvariantCulture));
        Add(headers, MessageHeaders.DeadLetterConsumerGroup, group);
        return headers;
    }

    private static void Add(Headers headers, string key, string value) => headers.Add(key, Encoding.UTF8.GetBytes(value));
}
