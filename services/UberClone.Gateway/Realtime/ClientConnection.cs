using System.Net.WebSockets;
using System.Threading.Channels;

namespace UberClone.Gateway.Realtime;

/// <summary>
/// One open socket. Sends go through a bounded queue drained by one writer, so a slow client never slows the
/// producer of its messages or other clients; when its queue is full the socket is closed with a reason (the client
/// reconnects and gets a fresh snapshot).
/// The first message written is always the snapshot: events queued while it was being read wait behind it, and those
/// numbered before the snapshot's sequence number are dropped because the snapshot already contains them.
/// </summary>
public sealed class ClientConnection(string userId, string role, WebSocket socket, ILogger logger, int sendQueueCapacity = ClientConnection.DefaultSendQueueCapacity)
{
    public const int DefaultSendQueueCapacity = 256;
    public const string QueueFullReason = "send queue full: reconnect";

    private readonly Channel<OutgoingMessage> _queue =
        Channel.CreateBounded<OutgoingMessage>(new BoundedChannelOptions(sendQueueCapacity) { SingleReader = true });
    private readonly TaskCompletionSource<OutgoingMessage> _snapshot = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Id { get; } = Guid.NewGuid().ToString("N");
    public string UserId { get; } = userId;
    public string Role { get; } = role;
    public WebSocket Socket { get; } = socket;

    /// <summary>Seq 0 = a reply to this socket (ack, error, pong), outside the user's event sequence.</summary>
    public bool TryEnqueue(ReadOnlyMemory<byte> message, long seq = 0)
    {
        if (_queue.Writer.TryWrite(new OutgoingMessage(seq, message))) return true;
        if (_queue.Writer.TryComplete(new SendQueueFullException()))
        {
            logger.LogWarning("Send queue of {UserId} connection {ConnectionId} is full; closing it", UserId, Id);
        }
        return false;
    }

    public void SetSnapshot(ReadOnlyMemory<byte> message, long seq) => _snapshot.TrySetResult(new OutgoingMessage(seq, message));

    /// <summary>Writes the snapshot, then queued messages until the socket or the queue ends.</summary>
    public async Task RunSenderAsync(CancellationToken ct)
    {
        try
        {
            var snapshot = await _snapshot.Task.WaitAsync(ct);
            await Socket.SendAsync(snapshot.Payload, WebSocketMessageType.Text, endOfMessage: true, ct);
            await foreach (var message in _queue.Reader.ReadAllAsync(ct))
            {
                if (message.Seq != 0 && message.Seq < snapshot.Seq) continue;
                await Socket.SendAsync(message.Payload, WebSocketMessageType.Text, endOfMessage: true, ct);
            }
        }
        catch (SendQueueFullException) when (Socket.State == WebSocketState.Open)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await Socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, QueueFullReason, deadline.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
                Socket.Abort();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or SendQueueFullException)
        {
            // The socket went away; the receive loop cleans up.
        }
    }

    public void Complete() => _queue.Writer.TryComplete();

    private readonly record struct OutgoingMessage(long Seq, ReadOnlyMemory<byte> Payload);

    private sealed class SendQueueFullException() : Exception("send queue full");
}
