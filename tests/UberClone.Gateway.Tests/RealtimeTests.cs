using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.Realtime;
using UberClone.Gateway.Realtime.Forwarding;
using UberClone.Messaging;

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
        client.SubProtocols.Add(SocketAuthenticator.SubProtocol);
        client.SubProtocols.Add("access_token." + token);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        using var socket = await client.ConnectAsync(new Uri(gateway.Server.BaseAddress, "/ws"), deadline.Token);

        Assert.Equal(SocketAuthenticator.SubProtocol, socket.SubProtocol);
        Assert.Equal("snapshot", (await ReceiveAsync(socket, deadline.Token))["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_ws_itself_is_the_socket_a_path_below_it_is_404_problem()
    {
        using var client = gateway.CreateClient();
        var response = await client.GetAsync("/ws/anything");

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_batch_of_on_trip_positions_gives_each_rider_their_own_drivers_newest_position_and_no_one_elses()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var registry = new ConnectionRegistry(services.GetRequiredService<IMeterFactory>());
        var sockets = new Dictionary<string, RecordingSocket>();
        var connections = new List<ClientConnection>();
        foreach (var rider in new[] { "r1", "r2", "r3" })
        {
            var socket = sockets[rider] = new RecordingSocket();
            var connection = new ClientConnection(rider, "rider", socket, NullLogger.Instance);
            connections.Add(connection);
            registry.Add(connection);
            await connection.SendSnapshotAsync("snapshot"u8.ToArray(), seq: 0, CancellationToken.None);
        }
        var forwarder = new RealtimeForwarder<DriverLocationsUpdatedIntegrationEvent>(registry, RealtimeRoutes.DriverLocations);
        var at = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
        DriverLocationUpdatedIntegrationEvent Position(string driver, string? rider, double lat, int second = 0) =>
            new(driver, new GeoPoint(lat, 13.4), null, at.AddSeconds(second), rider is null ? null : "t-" + rider, rider, 60, 600);
        Task HandleAsync(params DriverLocationUpdatedIntegrationEvent[] positions) =>
            forwarder.HandleAsync(new DriverLocationsUpdatedIntegrationEvent(positions),
                new MessageContext("m1", Topics.DriverLocationsUpdated, "d1", "batch", at, 1), CancellationToken.None);

        await HandleAsync(Position("d1", "r1", 52.1), Position("d2", "r2", 52.2), Position("d1", "r1", 52.3, second: 4), Position("d9", null, 52.9), null!);
        // A batch that was overtaken: its older positions of the same drivers are not sent; a new driver's are.
        await HandleAsync(Position("d1", "r1", 52.2, second: 2), Position("d2", "r2", 52.2), Position("d5", "r3", 52.5, second: -60));
        foreach (var connection in connections) await connection.Drained.WaitAsync(TimeSpan.FromSeconds(5));

        double[] Lats(string rider) => sockets[rider].Sent.Skip(1).Select(text => JsonNode.Parse(text))
            .Select(m => { Assert.Equal("driver.location", m!["type"]!.GetValue<string>()); return m["data"]!["location"]!["lat"]!.GetValue<double>(); }).ToArray();
        Assert.Equal([52.1, 52.3], Lats("r1"));
        Assert.Equal([52.2], Lats("r2"));
        Assert.Equal([52.5], Lats("r3"));
    }

    [Fact]
    public void The_driver_is_told_a_trip_ended_without_the_riders_promotion()
    {
        var at = new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
        var completed = RealtimeRoutes.TripCompleted.Deliveries(new TripCompletedIntegrationEvent("t1", "r1", "d1", 1_500, "USD", at, "HALF50")).ToDictionary(d => d.UserId!, d => d.Data);
        Assert.Equal("HALF50", ((TripCompletedIntegrationEvent)completed["r1"]).PromotionCode);
        Assert.Equal(("t1", null), (((TripCompletedIntegrationEvent)completed["d1"]).TripId, ((TripCompletedIntegrationEvent)completed["d1"]).PromotionCode));
        var cancelled = RealtimeRoutes.TripCancelled.Deliveries(new TripCancelledIntegrationEvent("t1", "r1", "d1", "rider", "", 0, "USD", at, PromotionCode: "HALF50"))
            .ToDictionary(d => d.UserId!, d => (TripCancelledIntegrationEvent)d.Data);
        Assert.Equal(("HALF50", null), (cancelled["r1"].PromotionCode, cancelled["d1"].PromotionCode));
    }

    [Fact]
    public void An_invitees_part_of_a_split_fares_refund_goes_to_them_naming_neither_the_rider_nor_the_driver_nor_their_earnings()
    {
        var at = new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
        var refund = new TripRefundedIntegrationEvent("t1", "r1", "d1", "rf1_split_ana", 150, 150, RefundKinds.FareAdjustment, "EUR", 1_200, at, InviteeId: "ana");

        var deliveries = RealtimeRoutes.TripRefunded.Deliveries(refund).ToDictionary(d => d.UserId!, d => (TripRefundedIntegrationEvent)d.Data);

        Assert.Equal(["ana", "d1"], deliveries.Keys.Order());
        Assert.Equal(("", null, null, 150L), (deliveries["ana"].RiderId, deliveries["ana"].DriverId, deliveries["ana"].DriverEarningsMinor, deliveries["ana"].AmountMinor));
        Assert.Equal(1_200, deliveries["d1"].DriverEarningsMinor);
        // The rider's own part, and a goodwill refund (the driver's earnings unchanged: not theirs to hear).
        Assert.Equal(["d1", "r1"], RealtimeRoutes.TripRefunded.Deliveries(refund with { InviteeId = null }).Select(d => d.UserId).Order());
        Assert.Equal(["r1"], RealtimeRoutes.TripRefunded.Deliveries(refund with { InviteeId = null, Kind = RefundKinds.Goodwill }).Select(d => d.UserId));
    }

    [Fact]
    public void A_waiver_tells_the_rider_the_amounts_and_the_driver_only_which_trip_and_when()
    {
        var at = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
        var waived = new TripPaymentWaivedIntegrationEvent("t1", "r1", 1_240, 500, "EUR", "the driver took a long detour", "ops1", at, DriverId: "d1", StillOwedMinor: 300);

        var deliveries = RealtimeRoutes.TripPaymentWaived.Deliveries(waived)
            .ToDictionary(d => d.UserId!, d => System.Text.Json.JsonSerializer.SerializeToNode(d.Data, System.Text.Json.JsonSerializerOptions.Web)!.AsObject());

        Assert.Equal(["d1", "r1"], deliveries.Keys.Order());
        Assert.Equal(["tripId", "fareMinor", "returnFeeMinor", "currency", "waivedAt", "stillOwedMinor"], deliveries["r1"].Select(p => p.Key));
        Assert.Equal((1_240L, 500L), (deliveries["r1"]["fareMinor"]!.GetValue<long>(), deliveries["r1"]["returnFeeMinor"]!.GetValue<long>()));
        Assert.Equal(300, deliveries["r1"]["stillOwedMinor"]!.GetValue<long>()); // support waived a part: what the rider still owes
        Assert.Equal(["tripId", "waivedAt"], deliveries["d1"].Select(p => p.Key)); // not what the rider owed, nor support's note
        Assert.Equal(RealtimeTypes.TripPaymentWaived, RealtimeRoutes.TripPaymentWaived.Type);
        // From an older trips (no driver named): the rider only.
        Assert.Equal(["r1"], RealtimeRoutes.TripPaymentWaived.Deliveries(waived with { DriverId = null }).Where(d => d.UserId is not null).Select(d => d.UserId));
    }

    [Fact]
    public void A_split_fares_change_goes_to_the_rider_and_each_invitee_naming_no_other_invitee()
    {
        var at = new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
        var deliveries = RealtimeRoutes.TripSplit.Deliveries(new TripSplitChangedIntegrationEvent("t1", "r1", ["ana", "bob"], at))
            .ToDictionary(d => d.UserId!, d => (TripSplitChangedIntegrationEvent)d.Data);

        Assert.Equal(["ana", "bob", "r1"], deliveries.Keys.Order());
        Assert.Equal(["ana", "bob"], deliveries["r1"].InviteeIds);
        Assert.Equal(["ana"], deliveries["ana"].InviteeIds);
        Assert.Equal(["bob"], deliveries["bob"].InviteeIds);
        Assert.Equal(RealtimeTypes.TripSplit, RealtimeRoutes.TripSplit.Type);
    }

    [Fact]
    public void A_drivers_approval_goes_to_the_desk_and_a_decision_to_the_driver_too()
    {
        var at = new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
        string?[] To(string status) => [.. RealtimeRoutes.DriverApproval.Deliveries(new DriverApprovalChangedIntegrationEvent("d1", status, ["economy"], at.AddYears(1), null, at)).Select(d => d.UserId)];
        Assert.Equal([RealtimeAudience.Operators], To("pending")); // documents sent: the desk's queue only
        Assert.Equal(["d1", RealtimeAudience.Operators], To("approved"));
        Assert.Equal(["d1", RealtimeAudience.Operators], To("expired"));
    }

    [Fact]
    public void A_waiver_awaiting_approval_is_told_to_the_support_desks_only()
    {
        var changed = new TripWaiverRequestChangedIntegrationEvent("t1", true, new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
        var delivery = Assert.Single(RealtimeRoutes.WaiversChanged.Deliveries(changed));
        Assert.Equal((RealtimeAudience.Operators, RealtimeTypes.SupportWaiversChanged), (delivery.UserId, RealtimeRoutes.WaiversChanged.Type));
    }

    [Fact]
    public async Task A_help_request_change_goes_to_the_user_who_asked_and_every_support_desk_socket_and_no_one_else()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var registry = new ConnectionRegistry(services.GetRequiredService<IMeterFactory>());
        var sockets = new Dictionary<string, RecordingSocket>();
        var connections = new Dictionary<string, ClientConnection>();
        foreach (var (name, userId, role) in new[] { ("rider", "r1", "rider"), ("other", "r2", "rider"), ("desk", "o1", "operator"), ("desk2", "o1", "operator"), ("colleague", "o2", "operator") })
        {
            var connection = connections[name] = new ClientConnection(userId, role, sockets[name] = new RecordingSocket(), NullLogger.Instance);
            registry.Add(connection);
            await connection.SendSnapshotAsync("snapshot"u8.ToArray(), seq: 0, CancellationToken.None);
        }
        var forwarder = new RealtimeForwarder<TripHelpUpdatedIntegrationEvent>(registry, RealtimeRoutes.HelpUpdated);
        var at = new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
        Task HandleAsync(string requestId) => forwarder.HandleAsync(new TripHelpUpdatedIntegrationEvent(requestId, "t1", "r1", "open", "rider", at),
            new MessageContext("m-" + requestId, Topics.TripHelpUpdated, "t1", "help", at, 1), CancellationToken.None);

        await HandleAsync("h1");
        registry.Remove(connections["colleague"]);
        registry.Remove(connections["desk2"]); // o1 still has a socket: still told
        await HandleAsync("h2");
        foreach (var connection in connections.Values) await connection.Drained.WaitAsync(TimeSpan.FromSeconds(5));

        string[] Requests(string name) => sockets[name].Sent.Skip(1).Select(text => JsonNode.Parse(text)!)
            .Select(m => { Assert.Equal("help.updated", m["type"]!.GetValue<string>()); return m["data"]!["requestId"]!.GetValue<string>(); }).ToArray();
        Assert.Equal(["h1", "h2"], Requests("rider"));
        Assert.Equal(["h1", "h2"], Requests("desk"));
        Assert.Equal(["h1"], Requests("desk2"));
        Assert.Equal(["h1"], Requests("colleague"));
        Assert.Empty(Requests("other"));
    }

    [Fact]
    public async Task Events_queued_before_the_snapshot_wait_behind_it_and_those_it_already_contains_are_dropped()
    {
        var socket = new RecordingSocket();
        var connection = new ClientConnection("r1", "rider", socket, NullLogger.Instance);

        connection.TryEnqueue("old"u8.ToArray(), seq: 4);
        connection.TryEnqueue("new"u8.ToArray(), seq: 6);
        await Task.Delay(50);
        Assert.Empty(socket.Sent);

        await connection.SendSnapshotAsync("snapshot"u8.ToArray(), seq: 5, CancellationToken.None);
        connection.TryEnqueue("reply"u8.ToArray());
        await connection.Drained.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(["snapshot", "new", "reply"], socket.Sent);
    }

    [Fact]
    public async Task Messages_are_written_in_the_order_they_were_queued_while_a_write_is_in_progress()
    {
        var socket = new RecordingSocket { Stalled = true };
        var connection = new ClientConnection("r1", "rider", socket, NullLogger.Instance);
        var snapshot = connection.SendSnapshotAsync("snapshot"u8.ToArray(), seq: 1, CancellationToken.None);

        var accepted = Enumerable.Range(2, 20).Count(seq => connection.TryEnqueue(Encoding.UTF8.GetBytes($"e{seq}"), seq));
        socket.Release();
        await snapshot.WaitAsync(TimeSpan.FromSeconds(5));
        await connection.Drained.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(20, accepted);
        Assert.Equal(["snapshot", .. Enumerable.Range(2, 20).Select(seq => $"e{seq}")], socket.Sent);
    }

    [Fact]
    public async Task A_client_that_does_not_read_is_closed_with_a_reason_when_its_queue_is_full()
    {
        var socket = new RecordingSocket();
        var connection = new ClientConnection("r1", "rider", socket, NullLogger.Instance, sendQueueCapacity: 4);
        await connection.SendSnapshotAsync("snapshot"u8.ToArray(), seq: 1, CancellationToken.None);
        socket.Stall();

        var accepted = Enumerable.Range(2, 10).Count(seq => connection.TryEnqueue("event"u8.ToArray(), seq));
        socket.Release();
        await connection.Drained.WaitAsync(TimeSpan.FromSeconds(5));

        // One write in flight and four queued; the sixth message overflows, the queue is dropped and the socket closed.
        Assert.Equal(5, accepted);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
        Assert.Equal(ClientConnection.QueueFullReason, socket.CloseDescription);
        Assert.False(connection.TryEnqueue("late"u8.ToArray(), 20));
    }

    [Fact]
    public async Task A_socket_closed_for_its_token_is_closed_once_and_aborted_when_the_client_does_not_answer_the_close()
    {
        var socket = new RecordingSocket();
        var connection = new ClientConnection("r1", "rider", socket, NullLogger.Instance);
        await connection.SendSnapshotAsync("snapshot"u8.ToArray(), seq: 1, CancellationToken.None);

        Assert.True(connection.Close(ClientConnection.TokenExpired, ClientConnection.TokenExpiredReason));
        Assert.False(connection.Close(ClientConnection.TokenExpired, ClientConnection.TokenExpiredReason)); // the sweep a second later
        await connection.Drained.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(ClientConnection.TokenExpired, socket.CloseStatus);
        Assert.False(socket.Aborted);
        Assert.False(connection.TryEnqueue("late"u8.ToArray(), 2));

        // The client never answers the close: its socket is aborted, which ends its receive loop and frees its place.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!socket.Aborted && DateTime.UtcNow < deadline) await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.True(socket.Aborted);
    }

    [Fact]
    public async Task A_client_that_never_reads_again_is_aborted_a_few_seconds_after_its_queue_overflowed()
    {
        var socket = new RecordingSocket();
        var connection = new ClientConnection("r1", "rider", socket, NullLogger.Instance, sendQueueCapacity: 2);
        await connection.SendSnapshotAsync("snapshot"u8.ToArray(), seq: 1, CancellationToken.None);
        socket.Stall();

        Assert.Equal(3, Enumerable.Range(2, 5).Count(seq => connection.TryEnqueue("event"u8.ToArray(), seq)));
        await connection.Drained.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(socket.Aborted);
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

    /// <summary>A socket that records what is sent; when stalled, sends block until released (a client that stopped reading) or aborted.</summary>
    private sealed class RecordingSocket : WebSocket
    {
        private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<string> _sent = [];
        private WebSocketCloseStatus? _closeStatus;

        public bool Stalled { get; init; }
        public IReadOnlyList<string> Sent { get { lock (_sent) return [.. _sent]; } }
        public string? CloseDescription { get; private set; }
        public bool Aborted { get; private set; }

        public RecordingSocket() => _released.TrySetResult();

        public void Stall() => _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public void Release() => _released.TrySetResult();

        public override WebSocketCloseStatus? CloseStatus => _closeStatus;
        public override string? CloseStatusDescription => CloseDescription;
        public override WebSocketState State => Aborted ? WebSocketState.Aborted : _closeStatus is null ? WebSocketState.Open : WebSocketState.CloseSent;
        public override string? SubProtocol => null;

        public override async Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        {
            if (Stalled && _sent.Count == 0) Stall();
            await _released.Task.WaitAsync(cancellationToken);
            if (Aborted) throw new WebSocketException(WebSocketError.InvalidState);
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

        public override void Abort()
        {
            Aborted = true;
            _released.TrySetResult();
        }

        public override void Dispose() { }
    }
}
