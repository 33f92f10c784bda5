using System.Buffers;
using System.Net.WebSockets;

namespace UberClone.Gateway.Realtime;

/// <summary>/ws: an authenticated user's socket. Receives client commands, sends the user's live events.</summary>
public static class RealtimeEndpoint
{
    private const int MaxMessageBytes = 16 * 1024;
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(20);

    /// <summary>
    /// /ws as a branch of its own ahead of authentication, routing and authorization: an idle socket then holds only
    /// what a plain Kestrel WebSocket holds plus its <see cref="ClientConnection"/>. The services it needs are
    /// singletons, resolved once here (a request scope would live as long as the socket).
    /// </summary>
    public static IApplicationBuilder UseRealtime(this IApplicationBuilder app)
    {
        var services = app.ApplicationServices;
        var authenticator = services.GetRequiredService<SocketAuthenticator>();
        var registry = services.GetRequiredService<ConnectionRegistry>();
        var commands = services.GetRequiredService<ClientCommands>();
        var snapshots = services.GetRequiredService<SnapshotReader>();
        var logger = services.GetRequiredService<ILogger<ClientConnection>>();
        return app.Map("/ws", ws => ws.Run(context => HandleAsync(context, authenticator, registry, commands, snapshots, logger)));
    }

    private static async Task HandleAsync(HttpContext context, SocketAuthenticator authenticator, ConnectionRegistry registry, ClientCommands commands, SnapshotReader snapshots, ILogger logger)
    {
        // Map("/ws") also matches /ws/anything: only /ws itself is the socket.
        if (context.Request.Path.HasValue && context.Request.Path != "/")
        {
            await Problems.Problems.WriteAsync(context.Response, Problems.Problems.Create(404, "No such route; the socket is /ws."));
            return;
        }
        if (await authenticator.AuthenticateAsync(context) is not { Caller: var caller, ValidUntil: var validUntil, IssuedAt: var issuedAt, SessionId: var sessionId })
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Problems.Problems.WriteAsync(context.Response, Problems.Problems.Create(401, "A valid access token is required (?access_token=, subprotocol access_token.{token} or Authorization: Bearer)."));
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Problems.Problems.WriteAsync(context.Response, Problems.Problems.Create(400, "Connect with a WebSocket upgrade."));
            return;
        }
        var subProtocol = context.WebSockets.WebSocketRequestedProtocols.Contains(SocketAuthenticator.SubProtocol) ? SocketAuthenticator.SubProtocol : null;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = KeepAlive, SubProtocol = subProtocol });
        SocketAuthenticator.ForgetSubProtocols(context);
        var connection = new ClientConnection(caller.UserId, caller.Role, socket, logger) { ValidUntil = validUntil, TokenIssuedAt = issuedAt, SessionId = sessionId };
        var ct = context.RequestAborted;
        // Registered before the snapshot is read, so no event can fall between the read and the registration: events
        // queue behind the snapshot, and those already in it (seq below the snapshot's) are dropped.
        registry.Add(connection);
        try
        {
            var seq = registry.NextSeq();
            await connection.SendSnapshotAsync(await snapshots.ReadAsync(caller, seq, ct), seq, ct);
            await ReceiveLoopAsync(connection, commands, ct);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The client left while its snapshot was being read or written.
        }
        finally
        {
            registry.Remove(connection);
            await connection.EndAsync();
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
