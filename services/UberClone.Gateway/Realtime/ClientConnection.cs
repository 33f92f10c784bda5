using System.Net.WebSockets;
using System.Threading.Channels;

namespace UberClone.Gateway.Realtime;

/// <summary>
/// One open socket. Sends go through a bounded queue drained by one writer, so a slow client never slows the
/// producer of its messages or other clients; when its queue is full the socket is closed (the client reconnects).
/// </summary>
public sealed class ClientConnection(string userId, string role, WebSocket socket, ILogger logger)
{
    private const int SendQueueCapacity = 256;
    private readonly Channel<ReadOnlyMemory<byte>> _queue =
        Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(SendQueueCapacity) { SingleReader = true });

    public string Id { get; } = Guid.NewGuid().ToString("N");
    public string UserId { get; } = userId;
    public string Role { get; } = role;
    public WebSocket Socket { get; } = socket;

    public bool TryEnqueue(ReadOnlyMemory<byte> message)
    {
        if (_queue.Writer.TryWrite(message)) return true;
        logger.LogWarning("Send queue of {UserId} connection {ConnectionId} is full; closing it", UserId, Id);
        _queue.Writer.TryComplete(new InvalidOperationException("send queue full"));
        return false;
    }

    /// <summary>Writes queued messages until the socket or the queue ends.</summary>
    public async Task RunSenderAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var message in _queue.Reader.ReadAllAsync(ct))
            {
                await Socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, ct);
            }
        }
        catch (InvalidOperationException) when (Socket.State == WebSocketState.Open)
        {
            await Socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "send queue full: reconnect", CancellationToken.None);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The socket went away; the receive loop cleans up.
        }
    }

    public void Complete() => _queue.Writer.TryComplete();
}
