using Microsoft.Extensions.Logging.Abstractions;
using UberClone.Contracts;
using UberClone.Drivers.Application;
using UberClone.Drivers.Domain;
using UberClone.Messaging;
using UberClone.Storage;

namespace UberClone.Drivers.Tests;

/// <summary>Fixes go to the other replicas in batches: what arrives while the messages before are on their way goes together.</summary>
public sealed class DriverPositionPublisherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Fixes_that_wait_for_a_free_send_go_in_one_message_and_each_goes_once()
    {
        var kafka = new HeldPublisher();
        var publisher = new DriverPositionPublisher(kafka, NullLogger<DriverPositionPublisher>.Instance);
        await publisher.StartAsync(CancellationToken.None);
        try
        {
            // Both sends in flight, held: one fix each.
            publisher.Announce(Fix(0));
            await kafka.WaitForAsync(1);
            publisher.Announce(Fix(1));
            await kafka.WaitForAsync(2);
            for (var i = 2; i < 2_502; i++) publisher.Announce(Fix(i));

            kafka.Release();
            await kafka.WaitForFixesAsync(2_502);

            var messages = kafka.Messages;
            Assert.All(messages, m => Assert.Equal(Topics.DriverPositions, m.Topic));
            Assert.Equal([1, 1, 1_000, 1_000, 500], messages.Select(m => m.Batch.Fixes.Count));
            Assert.Equal(Enumerable.Range(0, 2_502).Select(i => $"d{i}"), messages.SelectMany(m => m.Batch.Fixes).Select(f => f.DriverId));
        }
        finally
        {
            kafka.Release();
            await publisher.StopAsync(CancellationToken.None);
        }
    }

    private static DriverFix Fix(int i) => new($"d{i}", 48.85, 2.35, Now.AddSeconds(i), 1);

    /// <summary>Kafka as the publisher sees it: every send waits until released.</summary>
    private sealed class HeldPublisher : IEventPublisher
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<(string Topic, DriverFixBatch Batch)> _messages = [];

        public IReadOnlyList<(string Topic, DriverFixBatch Batch)> Messages
        {
            get { lock (_messages) return _messages.ToList(); }
        }

        public void Release() => _released.TrySetResult();

        public async Task WaitForAsync(int messages)
        {
            using var deadline = new CancellationTokenSource(Patience);
            while (Messages.Count < messages) await Task.Delay(5, deadline.Token);
        }

        public async Task WaitForFixesAsync(int fixes)
        {
            using var deadline = new CancellationTokenSource(Patience);
            while (Messages.Sum(m => m.Batch.Fixes.Count) < fixes) await Task.Delay(5, deadline.Token);
        }

        public async Task PublishAsync<T>(string topic, string entityId, T data, CancellationToken ct = default) where T : notnull
        {
            lock (_messages) _messages.Add((topic, (DriverFixBatch)(object)data));
            await _released.Task.WaitAsync(ct);
        }

        public Task PublishAsync(OutboxMessage message, CancellationToken ct = default) => throw new NotSupportedException();
    }
}
