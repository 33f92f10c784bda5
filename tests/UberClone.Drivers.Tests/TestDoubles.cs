using UberClone.Messaging;
using UberClone.Storage;

namespace UberClone.Drivers.Tests;

/// <summary>A clock the test moves by hand (thread-safe: racing tasks read it).</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

/// <summary>For tests about dispatch state: nothing is published directly (events go through the stored outbox).</summary>
internal sealed class NoPublishing : IEventPublisher
{
    public Task PublishAsync<T>(string topic, string entityId, T data, CancellationToken ct = default) where T : notnull => Task.CompletedTask;

    public Task PublishAsync(OutboxMessage message, CancellationToken ct = default) => Task.CompletedTask;
}
