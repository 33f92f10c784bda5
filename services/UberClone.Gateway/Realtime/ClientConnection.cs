using System.Net.WebSockets;

namespace UberClone.Gateway.Realtime;

/// <summary>
/// One open socket and its bounded send queue. A message is written by whoever finds the socket idle, and messages
/// that arrive during a write queue behind it and are written by the same drain, in order; so a socket holds no task
/// between messages and no queue until its first message, a slow client never slows the producer of its messages or
/// other clients, and when its queue is full the socket is closed with a reason (the client reconnects and gets a
/// fresh snapshot). A socket lives as long as the token it was opened with, or the last one it sent in an "auth"
/// message (<see cref="ValidUntil"/>): past that, <see cref="SocketExpiry"/> closes it the same way, with its own code.
/// The first message written is always the snapshot: events queued while it was being read wait behind it, and those
/// numbered before the snapshot's sequence number are dropped because the snapshot already contains them.
/// </summary>
public sealed class ClientConnection(string userId, string role, WebSocket socket, ILogger logger, int sendQueueCapacity = ClientConnection.DefaultSendQueueCapacity)
{
    public const int DefaultSendQueueCapacity = 256;
    public const string QueueFullReason = "send queue full: reconnect";
    /// <summary>Close code of a socket whose token expired (4000-4999: the application's own codes).</summary>
    public const WebSocketCloseStatus TokenExpired = (WebSocketCloseStatus)4001;
    public const string TokenExpiredReason = "token expired: send a renewed token in an auth message, or reconnect with one";
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    /// <summary>Messages waiting to be written; created on the socket's first message (most sockets stay idle).</summary>
    private Queue<OutgoingMessage>? _waiting;
    /// <summary>-1 until the snapshot is written; then its sequence number.</summary>
    private long _snapshotSeq = -1;
    private bool _draining;
    /// <summary>Set when the socket is to be closed (queue full, token expired): what is queued is dropped, the close is written after the write in progress.</summary>
    private (WebSocketCloseStatus Status, string Reason)? _closing;
    private long _validUntilTicks = DateTimeOffset.MaxValue.UtcTicks;
    private bool _ended;
    private Task _drain = Task.CompletedTask;
    /// <summary>The ordered stream this socket was last given a message of (<see cref="TakeNewer"/>), and that message's time.</summary>
    private string? _stream;
    private long _streamAtTicks;

    /// <summary>The socket's allowance of client messages; touched by its receive loop alone.</summary>
    public RateLimiting.MessageBudget Budget;

    public string UserId { get; } = userId;
    public string Role { get; } = role;
    public WebSocket Socket { get; } = socket;

    /// <summary>When the socket's token (the last one sent) was issued: a session ended everywhere closes sockets of older tokens.</summary>
    public DateTimeOffset TokenIssuedAt
    {
        get => new(Volatile.Read(ref _issuedAtTicks), TimeSpan.Zero);
        set => Volatile.Write(ref _issuedAtTicks, value.UtcTicks);
    }

    private long _issuedAtTicks;

    /// <summary>The session of the socket's token (its <c>sid</c>; null for a token from before tokens named one): ending that session closes the socket.</summary>
    public string? SessionId
    {
        get => Volatile.Read(ref _sessionId);
        set => Volatile.Write(ref _sessionId, value);
    }

    private string? _sessionId;

    /// <summary>Until when the socket's token lets it stay open; a renewed token (an "auth" message) moves it.</summary>
    public DateTimeOffset ValidUntil
    {
        get => new(Volatile.Read(ref _validUntilTicks), TimeSpan.Zero);
        set => Volatile.Write(ref _validUntilTicks, value.UtcTicks);
    }

    /// <summary>
    /// Whether a message of an ordered stream (one driver's positions) is newer than the last one of that stream this
    /// socket was given, and if so, counts it as given. Messages of such a stream can overtake each other on their way
    /// (batches from several senders); a socket never gets an older one after a newer one. One stream per socket (a
    /// rider follows one driver): a message of another stream starts it again.
    /// </summary>
    public bool TakeNewer(string stream, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (_stream == stream && at.UtcTicks <= _streamAtTicks) return false;
            (_stream, _streamAtTicks) = (stream, at.UtcTicks);
            return true;
        }
    }

    /// <summary>Seq 0 = a reply to this socket (ack, error, pong), outside the user's event sequence.</summary>
    public bool TryEnqueue(ReadOnlyMemory<byte> message, long seq = 0)
    {
        lock (_gate)
        {
            if (_ended || _closing is not null) return false;
            _waiting ??= new Queue<OutgoingMessage>();
            if (_waiting.Count >= sendQueueCapacity)
            {
                logger.LogWarning("Send queue of {UserId} is full ({Capacity} messages); closing the socket", UserId, sendQueueCapacity);
                BeginClose(WebSocketCloseStatus.PolicyViolation, QueueFullReason);
                return false;
            }
            _waiting.Enqueue(new OutgoingMessage(seq, message));
            StartDrainIfIdle();
            return true;
        }
    }

    /// <summary>
    /// Closes the socket with a code and a reason the client can act on, after the write in progress (a client that
    /// stopped reading is aborted a few seconds later); what is still queued is dropped. Once only: false when the
    /// socket is already closing or ended.
    /// </summary>
    public bool Close(WebSocketCloseStatus status, string reason)
    {
        lock (_gate)
        {
            if (_ended || _closing is not null) return false;
            BeginClose(status, reason);
            return true;
        }
    }

    /// <summary>Called under the lock.</summary>
    private void BeginClose(WebSocketCloseStatus status, string reason)
    {
        _closing = (status, reason);
        if (_draining) _ = AbortUnlessDrainedAsync(_drain);
        else StartDrainIfIdle();
    }

    /// <summary>Writes the snapshot, then lets the messages that queued while it was read follow it.</summary>
    public async Task SendSnapshotAsync(ReadOnlyMemory<byte> snapshot, long seq, CancellationToken ct)
    {
        await Socket.SendAsync(snapshot, WebSocketMessageType.Text, endOfMessage: true, ct);
        lock (_gate)
        {
            _snapshotSeq = seq;
            StartDrainIfIdle();
        }
    }

    /// <summary>The write in progress, if any (completed when the socket is idle).</summary>
    public Task Drained
    {
        get { lock (_gate) return _drain; }
    }

    /// <summary>No more messages; waits for a write in progress (a client that stopped reading is aborted after a few seconds).</summary>
    public async Task EndAsync()
    {
        Task drain;
        lock (_gate)
        {
            _ended = true;
            _waiting = null;
            drain = _drain;
        }
        await AbortUnlessDrainedAsync(drain);
    }

    /// <summary>Called under the lock.</summary>
    private void StartDrainIfIdle()
    {
        if (_draining || _ended || _snapshotSeq < 0 || (_closing is null && _waiting is not { Count: > 0 })) return;
        _draining = true;
        _drain = DrainAsync();
    }

    /// <summary>Writes queued messages in order until none is left; runs on the caller's thread until a write has to wait.</summary>
    private async Task DrainAsync()
    {
        while (true)
        {
            OutgoingMessage message;
            lock (_gate)
            {
                if (_closing is not null) break;
                if (_ended || _waiting is not { Count: > 0 } waiting)
                {
                    _draining = false;
                    return;
                }
                message = waiting.Dequeue();
            }
            if (message.Seq != 0 && message.Seq < _snapshotSeq) continue;
            try
            {
                await Socket.SendAsync(message.Payload, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
            catch (Exception ex) when (IsSocketGone(ex))
            {
                lock (_gate) (_ended, _waiting, _draining) = (true, null, false);
                return;
            }
        }
        await CloseWithReasonAsync();
    }

    /// <summary>What is still queued is dropped and the client told why (it renews its token, or reconnects for a snapshot).</summary>
    private async Task CloseWithReasonAsync()
    {
        (WebSocketCloseStatus Status, string Reason) closing;
        lock (_gate) (_ended, _waiting, _draining, closing) = (true, null, false, _closing!.Value);
        if (Socket.State != WebSocketState.Open) return;
        using var deadline = new CancellationTokenSource(CloseTimeout);
        try
        {
            await Socket.CloseOutputAsync(closing.Status, closing.Reason, deadline.Token);
        }
        catch (Exception ex) when (IsSocketGone(ex))
        {
            Socket.Abort();
            return;
        }
        _ = AbortUnlessClosedAsync();
    }

    /// <summary>
    /// A client that does not answer the close (or stopped reading) would keep the socket, and its place in the
    /// registry, for as long as its connection lives: it gets a few seconds.
    /// </summary>
    private async Task AbortUnlessClosedAsync()
    {
        await Task.Delay(CloseTimeout);
        if (Socket.State != WebSocketState.Closed) Socket.Abort();
    }

    /// <summary>A write that does not finish in time belongs to a client that stopped reading: abort its socket, which ends the write.</summary>
    private async Task AbortUnlessDrainedAsync(Task drain)
    {
        if (await Task.WhenAny(drain, Task.Delay(CloseTimeout)) != drain) Socket.Abort();
        await drain;
    }

    private static bool IsSocketGone(Exception ex) =>
        ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException;

    private readonly record struct OutgoingMessage(long Seq, ReadOnlyMemory<byte> Payload);
}
