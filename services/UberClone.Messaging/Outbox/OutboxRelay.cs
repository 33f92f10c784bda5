using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using UberClone.Storage;

namespace UberClone.Messaging.Outbox;

/// <summary>
/// Publishes the messages services stored with their aggregates, oldest first, and marks them published.
/// A crash or a Kafka failure between publishing and marking republishes them later: duplicates are possible,
/// loss is not, and consumers skip duplicates by message id.
/// </summary>
internal sealed class OutboxRelay(
    IServiceScopeFactory scopes,
    IEventPublisher publisher,
    MessagingOptions options,
    TimeProvider time,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A missing registration is a wiring mistake, not an outage: fail the host now rather than log forever.
        await using (var scope = scopes.CreateAsyncScope())
        {
            OutboxOf(scope.ServiceProvider);
        }

        var retryDelay = FirstRetryDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var (found, failed) = await RelayBatchAsync(stoppingToken);
                wait = failed > 0 ? retryDelay : found == 0 ? options.OutboxPollInterval : TimeSpan.Zero;
                retryDelay = failed > 0 ? Longer(retryDelay) : FirstRetryDelay;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "The outbox relay failed; retrying in {Delay}.", retryDelay);
                wait = retryDelay;
                retryDelay = Longer(retryDelay);
            }

            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<(int Found, int Failed)> RelayBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var outbox = OutboxOf(scope.ServiceProvider);
        var pending = await outbox.GetPendingAsync(options.OutboxBatchSize, ct);
        if (pending.Count == 0)
        {
            return (0, 0);
        }

        // Every publish is queued before the first is awaited (see KafkaEventPublisher), in the outbox's order.
        var publishes = pending.Select(message => publisher.PublishAsync(message, ct)).ToList();
        try
        {
            await Task.WhenAll(publishes);
        }
        catch (Exception)
        {
            // Each message's outcome is read from its own task below.
        }

        var published = pending.Where((_, i) => publishes[i].IsCompletedSuccessfully).Select(m => m.Id).ToList();
        if (published.Count > 0)
        {
            // Not cancellable: these are in Kafka now, and leaving them pending would only publish them twice.
            await outbox.MarkPublishedAsync(published, CancellationToken.None);
        }
        var failed = pending.Count - published.Count;
        if (failed > 0)
        {
            ct.ThrowIfCancellationRequested();
            logger.LogWarning(publishes.FirstOrDefault(p => p.IsFaulted)?.Exception?.InnerException,
                "{Failed} of {Count} outbox messages were not published; they stay pending.", failed, pending.Count);
        }
        return (pending.Count, failed);
    }

    private static IOutbox OutboxOf(IServiceProvider services) =>
        services.GetService<IOutbox>()
        ?? services.GetService<IDocumentDatabase>()?.Outbox
        ?? throw new InvalidOperationException("The outbox relay needs an IDocumentDatabase (or an IOutbox) registered.");

    private static TimeSpan Longer(TimeSpan delay) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
}
