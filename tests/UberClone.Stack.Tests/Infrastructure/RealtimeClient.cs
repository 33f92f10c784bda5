using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace UberClone.Stack.Tests.Infrastructure;

/// <summary>A user's WebSocket to the gateway: every received message is kept, and waits have deadlines.</summary>
public sealed class RealtimeClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly List<JsonObject> _received = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly CancellationTokenSource _stop = new();
    private Task _receiver = Task.CompletedTask;

    public static async Task<RealtimeClient> ConnectAsync(Uri gateway, string token)
    {
        var client = new RealtimeClient();
        var uri = new UriBuilder(gateway) { Scheme = gateway.Scheme == "https" ? "wss" : "ws", Path = "/ws", Query = "access_token=" + token }.Uri;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client._socket.ConnectAsync(uri, deadline.Token);
        client._receiver = client.ReceiveAsync();
        return client;
    }

    /// <summary>How the server closed the socket (null while it is open or when the test closed it).</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;
    public string? CloseReason => _socket.CloseStatusDescription;

    /// <summary>Waits until the server has closed the socket.</summary>
    public async Task<WebSocketCloseStatus?> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        await _receiver.WaitAsync(timeout ?? TimeSpan.FromSeconds(20));
        return _socket.CloseStatus;
    }

    public IReadOnlyList<JsonObject> Received
    {
        get { lock (_received) return [.. _received]; }
    }

    public Task SendAsync(object message) =>
        _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message, Json.Web), WebSocketMessageType.Text, true, _stop.Token);

    /// <summary>The first message (already received or still to come) of the type matching the predicate.</summary>
    public async Task<JsonObject> WaitForAsync(string type, Func<JsonObject, bool>? predicate = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var match = Received.FirstOrDefault(m => m.Str("type") == type && (predicate?.Invoke(m) ?? true));
            if (match is not null) return match;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
            {
                throw new TimeoutException($"No '{type}' message within {timeout ?? TimeSpan.FromSeconds(20)}. Received: {string.Join(" | ", Received.Select(m => m.ToJsonString()))}");
            }
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var builder = new StringBuilder();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, _stop.Token);
                    if (result.MessageType == WebSocketMessageType.Close) return;
                    builder.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                } while (!result.EndOfMessage);
                lock (_received) _received.Add(JsonNode.Parse(builder.ToString())!.AsObject());
                _arrived.Release();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Closed by the test or the server.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", deadline.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
                // Already gone.
            }
        }
        await _receiver;
        _socket.Dispose();
    }
}
