using System.Text.Json.Nodes;

namespace UberClone.Simulator;

/// <summary>A driver: goes online somewhere in the city, pings every 3 s, answers offers, drives, arrives, starts with the PIN, completes.</summary>
public sealed class SimulatedDriver(int index, GatewayClient api, City city, SimulatorOptions options, PinBoard pins, SimulationStats stats)
{
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(3);
    private static readonly string[] Classes = ["economy", "economy", "economy", "comfort", "xl", "premium"];

    private UserSession _user = null!;
    private Point _position;
    private JsonObject? _trip;

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            var vehicleClass = Classes[index % Classes.Length];
            _user = await api.SignUpAsync("driver", $"Sim Driver {index}", new { make = "Toyota", model = "Prius", plate = $"SIM {index:0000}", colour = "white", @class = vehicleClass }, ct);
            await api.ApproveDriverAsync(_user, vehicleClass, options.OperatorPassword, ct);
            _position = city.RandomPoint();
            await using var socket = await api.ConnectAsync(_user, ct);
            await api.PostAsync(_user, "/api/drivers/me/online", new { vehicleClass, location = _position.ToJson() }, ct);
            stats.DriverOnline();
            var nextPing = DateTime.UtcNow;
            while (!ct.IsCancellationRequested)
            {
                var wait = nextPing - DateTime.UtcNow;
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(ct);
                tick.CancelAfter(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
                try
                {
                    var message = await socket.Incoming.ReadAsync(tick.Token);
                    await OnMessageAsync(socket, message, ct);
                    continue;
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // Time for the next ping.
                }
                nextPing = DateTime.UtcNow + PingInterval;
                await DriveAsync(socket, ct);
            }
        }
        catch (Exception ex) when (ct.IsCancellationRequested && ex is OperationCanceledException or System.Threading.Channels.ChannelClosedException
            or System.Net.WebSockets.WebSocketException)
        {
            // The run is over: its sockets close under whatever this user was waiting for.
        }
        catch (Exception ex) when (ex is SimulationException or System.Net.WebSockets.WebSocketException or HttpRequestException or System.Threading.Channels.ChannelClosedException)
        {
            stats.Error($"driver {index}", ex);
        }
    }

    private async Task OnMessageAsync(GatewayClient.Socket socket, JsonObject message, CancellationToken ct)
    {
        var type = message["type"]?.GetValue<string>();
        var data = message["data"] as JsonObject;
        if (type == "offer" && data?["tripId"]?.GetValue<string>() is { } tripId)
        {
            stats.Offered();
            await Task.Delay(TimeSpan.FromMilliseconds(300 + city.NextDouble() * 2_000), ct);
            var accept = city.NextDouble() < options.AcceptProbability;
            if (!accept) stats.Declined();
            await socket.SendAsync(new { type = accept ? "offer.accept" : "offer.decline", id = tripId, tripId, reason = accept ? null : "busy" }, ct);
        }
        else if (type == "trip.driver_assigned" && data?["tripId"]?.GetValue<string>() is { } assigned)
        {
            _trip = await api.GetAsync(_user, $"/api/trips/{assigned}", ct);
        }
        else if (type is "trip.cancelled" or "trip.completed")
        {
            _trip = null;
        }
    }

    /// <summary>Moves toward the next stop (time-lapsed by --speedup), reports the position, and acts on arrival.</summary>
    private async Task DriveAsync(GatewayClient.Socket socket, CancellationToken ct)
    {
        if (_trip is { } trip)
        {
            var status = trip["status"]!.GetValue<string>();
            var target = Point(trip[status == "in_progress" ? "dropoff" : "pickup"]!);
            _position = City.MoveToward(_position, target, City.SpeedAlongLineMetersPerSecond * PingInterval.TotalSeconds * options.Speedup);
            await socket.SendAsync(new { type = "location", lat = _position.Lat, lng = _position.Lng, accuracy = 5 }, ct);
            if (City.Distance(_position, target) < 30) await ActAtStopAsync(trip, status, ct);
            return;
        }
        await socket.SendAsync(new { type = "location", lat = _position.Lat, lng = _position.Lng, accuracy = 5 }, ct);
    }

    private async Task ActAtStopAsync(JsonObject trip, string status, CancellationToken ct)
    {
        var tripId = trip["tripId"]!.GetValue<string>();
        try
        {
            _trip = status switch
            {
                "driver_assigned" => await api.PostAsync(_user, $"/api/trips/{tripId}/arrive", new { location = _position.ToJson() }, ct),
                "driver_arrived" when pins.Ask(tripId) is { } pin => await api.PostAsync(_user, $"/api/trips/{tripId}/start", new { pin }, ct),
                "in_progress" => await api.PostAsync(_user, $"/api/trips/{tripId}/complete", new { }, ct),
                _ => _trip,
            };
            if (_trip?["status"]?.GetValue<string>() == "completed")
            {
                await api.PostAsync(_user, $"/api/trips/{tripId}/rating", new { stars = 4 + (int)(city.NextDouble() * 2) }, ct);
                _trip = null;
            }
        }
        catch (SimulationException ex) when (ex.Status is 400 or 404 or 409)
        {
            // The trip moved on (the rider cancelled); reload it.
            _trip = await api.GetAsync(_user, $"/api/trips/{tripId}", ct);
            if (_trip["status"]?.GetValue<string>() is "cancelled" or "completed") _trip = null;
        }
    }

    private static Point Point(JsonNode node) => new(node["lat"]!.GetValue<double>(), node["lng"]!.GetValue<double>());
}
