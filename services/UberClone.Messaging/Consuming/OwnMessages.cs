using System.Text;
using Confluent.Kafka;
using UberClone.Messaging.Publishing;

namespace UberClone.Messaging.Consuming;

/// <summary>
/// Messages this host published, on the topics whose instance handler skips them (skipOwn): a replica that applies
/// what it announces before announcing it gains nothing from reading it back. Told apart by the header's bytes, so
/// a skipped message is never parsed.
/// </summary>
internal sealed class OwnMessages(PublisherIdentity publisher, IEnumerable<string> topics)
{
    private readonly byte[] _publisher = Encoding.UTF8.GetBytes(publisher.Id);
    private readonly HashSet<string> _topics = [.. topics];

    /// <summary>A message without the header (an older producer, kcat) is nobody's own: it is handled.</summary>
    public bool Contains(ConsumeResult<string, byte[]> result) =>
        _topics.Contains(result.Topic)
        && result.Message.Headers is { } headers
        && headers.TryGetLastBytes(MessageHeaders.PublisherInstance, out var sender)
        && sender.AsSpan().SequenceEqual(_publisher);
}
