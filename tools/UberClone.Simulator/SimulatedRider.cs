using System.Diagnostics;
using System.Text.Json.Nodes;

namespace UberClone.Simulator;

/// <summary>
/// A rider: requests a trip, tells the driver the PIN, rides, tips one trip in three before paying, pays in the
/// sandbox (or, having saved a card, is charged when the ride ends), tips one of the other trips in four after paying
/// (a checkout or a charge of its own), rates, waits, and again.
/// </summary>
public sealed class SimulatedRider(int index, GatewayClient api, City city, SimulatorOptions options, PinBoard pins, SimulationStats stats)
{
    private static readonly TimeSpan TripDeadline = TimeSpan.FromMinutes(15);

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            var user = await api.SignUpAsync("rider", $"Sim Rider {index}", null, ct);
            if (city.NextDouble() < options.CardShare) await api.SaveCardAsync(user, ct);
            await using var socket = await api.ConnectAsync(user, ct);
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1 + city.NextDouble() * 8), ct);
                await RideAsync(user, socket, ct);
            }
        }
        catch (Exception ex) when (ct.IsCancellationRequested && ex is OperationCanceledException or System.Threading.Channels.ChannelClosedException
            or System.Net.WebSockets.WebSocketException)
        {
            // The run is over: its sockets close under whatever this user was waiting for.
        }
        catch (Exception ex) when (ex is SimulationException or System.Net.WebSockets.WebSocketException or HttpRequestException or System.Threading.Channels.ChannelClosedException)
        {
            stats.Error($"rider {index}", ex);
        }
    }

    private async Task RideAsync(UserSession user, GatewayClient.Socket socket, CancellationToken ct)
    {
        var pickup = city.RandomPoint();
        var dropoff = city.Destination(pickup);
        var quote = await api.PostAsync(user, "/api/trips/quotes", new { pickup = pickup.ToJson(), dropoff = dropoff.ToJson() }, ct);
        var trip = await api.PostAsync(user, "/api/trips", new { quoteId = quote["quoteId"]!.GetValue<string>(), vehicleClass = "economy" }, ct, Guid.NewGuid().ToString("N"));
        var tripId = trip["tripId"]!.GetValue<string>();
        stats.Requested();
        var requested = Stopwatch.StartNew();
        // A rider who tips pays only the checkout that includes the tip: the one without it is replaced by the tip.
        var tips = city.NextDouble() < 1.0 / 3;
        var tipsLater = !tips && city.NextDouble() < 1.0 / 4;
        long? payable = null;

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TripDeadline / options.Speedup + TimeSpan.FromMinutes(2));
        await foreach (var message in socket.Incoming.ReadAllAsync(deadline.Token))
        {
            if ((message["data"] as JsonObject)?["tripId"]?.GetValue<string>() != tripId) continue;
            switch (message["type"]?.GetValue<string>())
            {
                case "trip.driver_assigned":
                    stats.Assigned(requested.Elapsed);
                    var assigned = await api.GetAsync(user, $"/api/trips/{tripId}", ct);
                    if (assigned["pin"]?.GetValue<string>() is { } pin) pins.Tell(tripId, pin);
                    break;
                case "trip.no_drivers_found":
                    stats.NoDrivers();
                    return;
                case "trip.cancelled":
                    stats.Cancelled();
                    return;
                case "trip.completed":
                    stats.CompletedTrip();
                    await api.PostAsync(user, $"/api/trips/{tripId}/rating", new { stars = 5 }, ct);
                    if (tips)
                    {
                        var tipped = await api.PostAsync(user, $"/api/trips/{tripId}/tip", new { amountMinor = 100 + (int)(city.NextDouble() * 400) }, ct);
                        payable = tipped["receipt"]!["amountDue"]!["amountMinor"]!.GetValue<long>();
                        stats.Tipped();
                    }
                    break;
                case "payment.session_created" when IsCard(message):
                    break; // the saved card is charged: nothing to open
                case "payment.session_created":
                    if (tips && message["data"]!["amountMinor"]!.GetValue<long>() != payable) break;
                    await api.PayInSandboxAsync(message["data"]!["checkoutUrl"]!.GetValue<string>(), ct);
                    break;
                case "payment.succeeded" when IsTip(message):
                    stats.TippedLater();
                    return;
                case "payment.succeeded":
                    stats.Paid(byCard: message["data"]?["cardLabel"] is not null);
                    await SettledAsync(user, tripId, ct);
                    if (!tipsLater) return;
                    // The tip's own checkout comes as payment.session_created (purpose tip), paid above.
                    await api.PostAsync(user, $"/api/trips/{tripId}/tip", new { amountMinor = 100 + (int)(city.NextDouble() * 400) }, ct);
                    break;
            }
        }
    }

    private static bool IsCard(JsonObject message) => (message["data"] as JsonObject)?["method"]?.GetValue<string>() == "card";

    private static bool IsTip(JsonObject message) => (message["data"] as JsonObject)?["purpose"]?.GetValue<string>() == "tip";

    /// <summary>
    /// Waits until the trip itself says paid, as the rider's app shows it: the next booking is refused while the last
    /// trip is unpaid, and trips learns of the payment from the same event, a moment after the rider may.
    /// </summary>
    private async Task SettledAsync(UserSession user, string tripId, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var trip = await api.GetAsync(user, $"/api/trips/{tripId}", ct);
            if (trip["receipt"]?["paymentStatus"]?.GetValue<string>() == "paid") return;
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }
    }
}
