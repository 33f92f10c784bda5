namespace UberClone.Messaging.Publishing;

/// <summary>
/// This host's name on what it publishes (<see cref="MessageHeaders.PublisherInstance"/>), so its instance consumer
/// can tell its own messages from everyone else's. One per DI container, new at every start: a restarted replica keeps
/// its service.instance.id but must still read what its previous run published, and tests run several hosts in one
/// process.
/// </summary>
internal sealed class PublisherIdentity
{
    public string Id { get; } = Guid.NewGuid().ToString("N");
}
