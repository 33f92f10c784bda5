using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using UberClone.Contracts.Drivers;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Extensions;
using UberClone.Gateway.RateLimiting;
using UberClone.Gateway.Realtime;

namespace UberClone.Bench.Realtime;

/// <summary>A server under test: started in its own process so its memory is measured alone.</summary>
public interface IPushServer
{
    Task<int> StartAsync();
    IReadOnlyCollection<string> Users { get; }
    /// <summary>Pushes one message to the user (the payload carries the push time); false when it was not sent.</summary>
    bool Push(string userId);
}

/// <summary>
/// The gateway's realtime hub as the gateway wires it: /ws ahead of authentication with its own JWT validation, the snapshot read
/// (services unreachable, so it answers fast with "unavailable"), ConnectionRegistry, bounded per-socket queues.
/// Pushes go through ConnectionRegistry.SendToUser, exactly what the Kafka forwarders call; Kafka itself is not in
/// the measured path.
/// </summary>
public sealed class GatewayHubServer : IPushServer
{
    public const string SigningKey = "YmVuY2gtc2lnbmluZy1rZXktZm9yLXRoZS1yZWFsdGltZS1iZW5jaG1hcmsh";
    private WebApplication? _app;
    private ConnectionRegistry _registry = null!;

    public IReadOnlyCollection<string> Users => [.. _registry.ConnectedUsers];

    public async Task<int> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.Limits.MaxConcurrentConnections = null;
            o.Limits.MaxConcurrentUpgradedConnections = null;
        });
        var closed = $"http://127.0.0.1:{ClosedPort()}";
        builder.Configuration["Jwt:SigningKey"] = SigningKey;
        builder.AddGatewayAuthentication();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.AddGrpcClient<DriverService.DriverServiceClient>(o => o.Address = new Uri(closed));
        builder.Services.AddGrpcClient<TripService.TripServiceClient>(o => o.Address = new Uri(closed));
        builder.Services.AddSingleton(new RateLimitOptions());
        builder.Services.AddSingleton<RateLimits>();
        builder.Services.AddSingleton(new GatewayInstance("bench"));
        builder.Services.AddSingleton<ConnectionRegistry>();
        builder.Services.AddSingleton<ClientCommands>();
        builder.Services.AddSingleton<SnapshotReader>();
        _app = builder.Build();
        // The gateway's order (Extensions.MapGateway): WebSockets, then /ws ahead of authentication and authorization.
        _app.UseWebSockets();
        _app.UseRealtime();
        _app.UseAuthentication();
        _app.UseAuthorization();
        await _app.StartAsync();
        _registry = _app.Services.GetRequiredService<ConnectionRegistry>();
        return new Uri(_app.Urls.First()).Port;
    }

    public bool Push(string userId) => _registry.SendToUser(userId, "driver.location", Payload.Create()) > 0;

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// The peer: the plainest correct Kestrel WebSocket server. /ws?user= registers the socket; a push serializes the same
/// message shape and sends it straight on the socket (skipped if that socket's previous send is still in flight).
/// </summary>
public sealed class PlainKestrelServer : IPushServer
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<string, Client> _clients = new();

    public IReadOnlyCollection<string> Users => (IReadOnlyCollection<string>)_clients.Keys;

    public async Task<int> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.Limits.MaxConcurrentConnections = null;
            o.Limits.MaxConcurrentUpgradedConnections = null;
        });
        var app = builder.Build();
        app.UseWebSockets();
        app.Map("/ws", async context =>
        {
            var user = context.Request.Query["user"].ToString();
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var client = new Client(socket);
            _clients[user] = client;
            var buffer = new byte[1024];
            try
            {
                while (socket.State == WebSocketState.Open)
                {
                    var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
                    if (result.MessageType == WebSocketMessageType.Close) break;
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
            _clients.TryRemove(user, out _);
        });
        await app.StartAsync();
        return new Uri(app.Urls.First()).Port;
    }

    public bool Push(string userId)
    {
        if (!_clients.TryGetValue(userId, out var client) || Interlocked.Exchange(ref client.Sending, 1) == 1) return false;
        var seq = Interlocked.Increment(ref client.Seq);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new ServerMessage("driver.location", seq, Payload.Create()), Json);
        _ = SendAsync(client, bytes);
        return true;
    }

    private static async Task SendAsync(Client client, byte[] bytes)
    {
        try
        {
            await client.Socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
        {
        }
        finally
        {
            Volatile.Write(ref client.Sending, 0);
        }
    }

    private sealed class Client(WebSocket socket)
    {
        public WebSocket Socket { get; } = socket;
        public long Seq;
        public int Sending;
    }
}

/// <summary>What both servers push: a driver.location-like body with the push time (Stopwatch ticks, machine-wide monotonic).</summary>
public static class Payload
{
    public sealed record Location(long T, string DriverId, string TripId, double Lat, double Lng, double Heading);

    public static Location Create() => new(Stopwatch.GetTimestamp(), "d0195b3a0c7e4f7a9c1d2e3f4a5b6c7d8", "t0195b3a0c7e4f7a9c1d2e3f4a5b6c7d8", 52.520008, 13.404954, 90);
}
