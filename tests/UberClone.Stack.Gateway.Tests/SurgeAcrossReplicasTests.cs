using System.Net.Http.Json;
using System.Text.Json.Nodes;
using UberClone.Contracts.Identity;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Gateway.Tests;

/// <summary>
/// Two trips replicas quote the same surge: demand booked through one replica raises the price quoted by the other
/// (each replica reads every trip event, not only its consumer group's share).
/// </summary>
public sealed class SurgeAcrossReplicasTests(TwoGatewaysFixture stack)
{
    [Fact]
    public async Task Requests_booked_on_one_trips_replica_raise_the_surge_quoted_by_every_replica()
    {
        var (city, dropoff) = await TwoOpenRequestsAsync();

        var surges = await QuoteUntilAllAsync(city, dropoff, 1.5);
        Assert.True(surges.All(s => s == 1.5), $"Quotes at {city} after two open requests, alternating replicas: {string.Join(", ", surges)}");
    }

    [Fact]
    public async Task Drivers_who_come_online_near_open_requests_bring_every_replicas_surge_down_and_it_rises_again_when_one_leaves()
    {
        var (city, dropoff) = await TwoOpenRequestsAsync();
        var surges = await QuoteUntilAllAsync(city, dropoff, 1.5);
        Assert.True(surges.All(s => s == 1.5), $"Quotes at {city} after two open requests: {string.Join(", ", surges)}");

        // Two drivers come online next to the requests (premium: the economy searches do not take them, so they stay
        // available). Each is a client of its own, so the gateway's proxy may send them to either drivers replica.
        var drivers = new List<UserSession>();
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var driver = await stack.Client().SignInAsync("driver");
            await driver.GoOnlineAsync(city.Offset(50, 0), "premium");
            drivers.Add(driver);
        }
        surges = await QuoteUntilAllAsync(city, dropoff, 1.0);
        Assert.True(surges.All(s => s == 1.0), $"Quotes at {city} with two open requests and two available drivers: {string.Join(", ", surges)}");

        await drivers[0].PostOkAsync("/api/drivers/me/offline", new { });
        surges = await QuoteUntilAllAsync(city, dropoff, 1.5);
        Assert.True(surges.All(s => s == 1.5), $"Quotes at {city} with two open requests and one available driver: {string.Join(", ", surges)}");
    }

    /// <summary>
    /// Two riders book economy trips 140 m from a fresh city's centre (nobody drives there, so both stay open). Every
    /// call is a new connection, and the proxy hands connections to the replicas in turn, so consecutive calls
    /// alternate between the two trips replicas: bookings and quotes are spread over both.
    /// </summary>
    private async Task<(Point City, Point Dropoff)> TwoOpenRequestsAsync()
    {
        var city = Point.FreshCity();
        var dropoff = city.Offset(4_000, 0);
        var pickup = city.Offset(100, 100);
        foreach (var rider in new[] { $"surge-rider-{Guid.NewGuid():N}", $"surge-rider-{Guid.NewGuid():N}" })
        {
            var quote = await PostAsync(rider, "/api/trips/quotes", QuoteBody(pickup, dropoff));
            await PostAsync(rider, "/api/trips", new { quoteId = quote["quoteId"]!.GetValue<string>(), vehicleClass = "economy" });
        }
        return (city, dropoff);
    }

    /// <summary>
    /// Economy surges quoted at a point by both trips replicas (several quotes each), again until all are the expected
    /// one or 20 s have passed (the events take a moment to reach every replica): the last round's quotes.
    /// </summary>
    private async Task<List<double>> QuoteUntilAllAsync(Point at, Point dropoff, double expected)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20);
        List<double> surges;
        do
        {
            surges = [];
            for (var i = 0; i < 2 * TwoGatewaysFixture.TripsReplicas; i++)
            {
                var quote = await PostAsync($"surge-quoter-{i}", "/api/trips/quotes", QuoteBody(at, dropoff));
                surges.Add(quote["options"]!.AsArray().Single(o => o!["vehicleClass"]!.GetValue<string>() == "economy")!["surgeMultiplier"]!.GetValue<double>());
            }
        } while (surges.Any(s => s != expected) && DateTimeOffset.UtcNow < deadline && await Pause());
        return surges;
    }

    private static object QuoteBody(Point pickup, Point dropoff) =>
        new { pickup = new { lat = pickup.Lat, lng = pickup.Lng }, dropoff = new { lat = dropoff.Lat, lng = dropoff.Lng } };

    private static async Task<bool> Pause()
    {
        await Task.Delay(250, TestContext.Current.CancellationToken);
        return true;
    }

    /// <summary>A call as the gateway makes it (identity headers), on a connection of its own.</summary>
    private async Task<JsonObject> PostAsync(string riderId, string path, object body)
    {
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { BaseAddress = stack.TripsUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add(Caller.UserIdHeader, riderId);
        request.Headers.Add(Caller.RoleHeader, Roles.Rider);
        request.Headers.ConnectionClose = true;
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
