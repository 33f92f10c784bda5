using System.Buffers;
using System.Net.WebSockets;
using UberClone.Gateway.Identity;

namespace UberClone.Gateway.Realtime;

/// <summary>/ws: an authenticated user's socket. Receives client commands, sends the user's live events.</summary>
public static class RealtimeEndpoint
{
    private const int MaxMessageBytes = 16 * 1024;
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(20);

    /// <summary>Offered by clients that pass their token as a subprotocol: ["uberclone", "access_token.{jwt}"].</summary>
    public const string SubProtocol = "uberclone";
    private const string TokenProtocolPrefix = "access_token.";

    /// <summary>The access token from ?access_token= or from a Sec-WebSocket-Protocol entry "access_token.{jwt}".</summary>
    public static string? TokenFrom(HttpRequest request)
    {
        if (request.Query["access_token"] is { Count: > 0 } query) return query.ToString();
        foreach (var protocols in request.Headers.SecWebSocketProtocol)
        {
            foreach (var protocol in (protocols ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (protocol.StartsWith(TokenProtocolPrefix, StringComparison.Ordinal)) return protocol[TokenProtocolPrefix.Length..];
            }
        }
        return null;
    }

    public static IEndpointConventionBuilder MapRealtime(this IEndpointRouteBuilder app) =>
        app.Map("/ws", HandleAsync).RequireAuthorization();

    private static async Task HandleAsync(HttpContext context, ConnectionRegistry registry, ClientCommands commands, SnapshotReader snapshots, ILoggerFactory loggers)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Problems.Problems.WriteAsync(context.Response, Problems.Problems.Create(400, "Connect with a WebSocket upgrade."));
            return;
        }
        var caller = CurrentUser.From(context.User)!;
        var subProtocol = context.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol) ? SubProtocol : null;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = KeepAlive, SubProtocol = subProtocol });
        var connection = new ClientConnection(caller.UserId, caller.Role, socket, loggers.CreateLogger<ClientConnection>());
        using var closing = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        // Registered before the snapshot is read, so no event can fall between the read and the registration: events
        // queue behind the snapshot, and those already in it (seq below the snapshot's) are dropped by the sender.
        registry.Add(connection);
        var sender = connection.RunSenderAsync(closing.Token);
        try
        {
            var seq = registry.NextSeq(caller.UserId);
            connection.SetSnapshot(await snapshots.ReadAsync(caller, seq, closing.Token), seq);
            await ReceiveLoopAsync(connection, commands, closing.Token);
        }
        catch (OperationCanceledException)
        {
            // The client left while its snapshot was being read.
        }
        finally
        {
            registry.Remove(connection);
            connection.Complete();
            await closing.CancelAsync();
            await sender;
        }
    }

    private static async Task ReceiveLoopAsync(ClientConnection connection, ClientCommands commands, CancellationToken ct)
    {
        var socket = connection.Socket;
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                // An idle socket holds no buffer: a zero-byte read waits for the next frame, then one is rented for it.
                var result = await socket.ReceiveAsync(Memory<byte>.Empty, ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    return;
                }
                var buffer = ArrayPool<byte>.Shared.Rent(MaxMessageBytes);
                try
                {
                    var length = 0;
                    while (!result.EndOfMessage)
                    {
                        if (length == MaxMessageBytes)
                        {
                            await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, $"messages are limited to {MaxMessageBytes} bytes", ct);
                            return;
                        }
                        result = await socket.ReceiveAsync(buffer.AsMemory(length, MaxMessageBytes - length), ct);
                        if (result.MessageType == WebSocketMessageType.Close)
                        {
                            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                            return;
                        }
                        length += result.Count;
                    }
                    if (result.MessageType == WebSocketMessageType.Text)
                    {
                        await commands.HandleAsync(connection, buffer.AsMemory(0, length), ct);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // Client gone: nothing to clean beyond the caller's finally.
        }
    }
}
