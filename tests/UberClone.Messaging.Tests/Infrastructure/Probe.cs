using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;

namespace UberClone.Messaging.Tests.Infrastructure;

public sealed record Ping(string Text, int Sequence);

/// <summary>What a handler saw: the data, its context, and the span it ran in.</summary>
public sealed record Received<T>(T Data, MessageContext Context, string? TraceId, ActivityKind? SpanKind, string? SpanSource, string? ConsumerGroup = null);

/// <summary>Records what <see cref="ProbeHandler{T}"/> is given; <see cref="Behaviour"/> decides whether a call fails.</summary>
public sealed class Probe<T>
{
    private readonly Channel<Received<T>> _handled = Channel.CreateUnbounded<Received<T>>();

    /// <summary>Runs before a call is recorded as handled; throwing makes the handler fail.</summary>
    public Func<T, MessageContext, CancellationToken, Task> Behaviour { get; set; } = (_, _, _) => Task.CompletedTask;

    /// <summary>Every call, failed ones included.</summary>
    public ConcurrentQueue<MessageContext> Calls { get; } = new();

    public async Task HandleAsync(T data, MessageContext context, CancellationToken ct)
    {
        Calls.Enqueue(context);
        await Behaviour(data, context, ct);
        var span = Activity.Current;
        _handled.Writer.TryWrite(new Received<T>(data, context, span?.TraceId.ToString(), span?.Kind, span?.Source.Name,
            span?.GetTagItem("messaging.consumer.group.name") as string));
    }

    public async Task<List<Received<T>>> HandledAsync(int count, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? Deadlines.Message);
        var handled = new List<Received<T>>(count);
        try
        {
            while (handled.Count < count)
            {
                handled.Add(await _handled.Reader.ReadAsync(deadline.Token));
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"Only {handled.Count} of {count} messages were handled within {timeout ?? Deadlines.Message}.");
        }
        return handled;
    }

    /// <summary>Whatever else was handled within a short quiet period (used to prove something did NOT happen again).</summary>
    public async Task<List<Received<T>>> MoreWithinAsync(TimeSpan quiet)
    {
        var more = new List<Received<T>>();
        using var deadline = new CancellationTokenSource(quiet);
        try
        {
            while (true)
            {
                more.Add(await _handled.Reader.ReadAsync(deadline.Token));
            }
        }
        catch (OperationCanceledException)
        {
            return more;
        }
    }
}

public sealed class ProbeHandler<T>(Probe<T> probe) : IMessageHandler<T> where T : notnull
{
    public Task HandleAsync(T data, MessageContext context, CancellationToken ct) => probe.HandleAsync(data, context, ct);
}

public static class Deadlines
{
    /// <summary>Generous for one message (a group join included) yet bounded, so no test can hang.</summary>
    public static readonly TimeSpan Message = TimeSpan.FromSeconds(15);
}
