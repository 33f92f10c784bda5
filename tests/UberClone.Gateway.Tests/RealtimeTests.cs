using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using UberClone.Gateway.Realtime;

namespace UberClone.Gateway.Tests;

public sealed class RealtimeTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task The_first_message_is_a_snapshot_even_when_the_services_are_down()
    {
        var token = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.DriverSignUp())).Body["accessToken"]!.GetValue<string>();
        var client = gateway.Server.CreateWebSocketClient();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        using var socket = await client.ConnectAsync(new Uri(gateway.Server.BaseAddress, "/ws?access_token=" + token), deadline.Token);
        var first = await ReceiveAsync(socket, deadline.Token);

        Assert.Equal("snapshot", first["type"]!.GetValue<string>());
        Assert.True(first["seq"]!.GetValue<long>() > 0);
        Assert.Null(first["data"]!["trip"]);
        Assert.Contains("trips", first["data"]!["unavailable"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains("drivers", first["data"]!["unavailable"]!.AsArray().Select(n => n!.GetValue<string>()));

        await socket.SendAsync("""{"type":"ping","id":"p1"}"""u8.ToArray(), WebSocketMessageType.Text, true, deadline.Token);
        var pong = await ReceiveAsync(socket, deadline.Token);
        Assert.Equal("pong", pong["type"]!.GetValue<string>());
        Assert.Equal("p1", pong["data"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_token_can_come_as_a_subprotocol()
    {
        var token = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp())).Body["accessToken"]!.GetValue<string>();
        var client = gateway.Server.CreateWebSocketClient();
        client.SubProtocols.Add(RealtimeEndpoint.SubProtocol);
        client.SubProtocols.Add("access_token." + token);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        using var socket = await client.ConnectAsync(new Uri(gateway.Server.BaseAddress, "/ws"), deadline.Token);

        Assert.Equal(RealtimeEndpoint.SubProtocol, socket.SubProtocol);
        Assert.Equal("snapshot", (await ReceiveAsync(socket, deadline.Token))["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Events_queued_before_the_snapshot_wait_behind_it_and_those_it_already_contains_are_dropped()
    {
        var socket = new RecordingSocket();
        var connection = new ClientConnection("r1", "rider", socket, NullLogger.Instance);
        var sender = connection.RunSenderAsync(CancellationToken.None);

        connection.TryEnqueue("old"u8.ToArray(), seq: 4);
        connection.TryEnqueue("new"u8.ToArray(), seq: 6);
        await Task.Delay(50);
        Assert.Empty(socket.Sent);

        connection.SetSnapshot("snapshot"u8.ToArray(), seq: 5);
        connection.Complete();
        await sender.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(["snapshot", "new"], socket.Sent);
    }

    [Fact]
    public async Task A_client_that_does_not_read_is_closed_with_a_reason_when_its_queue_is_full()
    {
        var socket = new RecordingSocket { Stalled = true };
        var connection = new ClientConnection("r1", "rider", socket, NullLogger.Instance, sendQueueCapacity: 4);
        var sender = connection.RunSenderAsync(CancellationToken.None);
        connection.SetSnapshot("snapshot"u8.ToArray(), seq: 1);

        var accepted = Enumerable.Range(2, 10).Count(seq => connection.TryEnqueue("event"u8.ToArray(), seq));
        socket.Release();
        await sender.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.InRange(accepted, 4, 5);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
        Assert.Equal(ClientConnection.QueueFullReason, socket.CloseDescription);
    }

    private static async Task<JsonObject> ReceiveAsync(WebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), ct);
            length += result.Count;
        } while (!result.EndOfMessage);
        return JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, length))!.AsObject();
    }

    /// <summary>A socket that records what is sent; when stalled, the first send blocks until released (a client that stopped reading).</summary>
    private sealed class RecordingSocket : WebSocket
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<string> _sent = [];

        public bool Stalled { get; init; }
        public IReadOnlyList<string> Sent { get { lock (_sent) return [.. _sent]; } }
        public string? CloseDescription { get; private set; }
        private WebSocketCloseStatus? _closeStatus;

        public void Release() => _released.TrySetResult();

        public override WebSocketCloseStatus? CloseStatus => _closeStatus;
        public override string? CloseStatusDescription => CloseDescription;
        public override WebSocketState State => _closeStatus is null ? WebSocketState.Open : WebSocketState.CloseSent;
        public override string? SubProtocol => null;

        public override async Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        {
            if (Stalled) await _released.Task.WaitAsync(cancellationToken);
            lock (_sent) _sent.Add(Encoding.UTF8.GetString(buffer));
        }

        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
        {
            (_closeStatus, CloseDescription) = (closeStatus, statusDescription);
            return Task.CompletedTask;
        }

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
            CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

        public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
            Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => new WebSocketReceiveResult(0, WebSocketMessageType.Close, true));

        public override void Abort() => _closeStatus ??= WebSocketCloseStatus.EndpointUnavailable;
        public override void Dispose() { }
    }
}
