using System.Net;
using System.Text;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Tests;

/// <summary>Bad input gets a clear 4xx problem+json from the gateway and writes nothing.</summary>
public sealed class BadInputTests(StackFixture stack)
{
    private const string ProblemJson = "application/problem+json";

    [Fact]
    public async Task Malformed_json_is_a_400_problem()
    {
        var rider = await stack.Client().SignInAsync("rider");
        var response = await rider.SendAsync(HttpMethod.Post, "/api/trips/quotes", new StringContent("{\"pickup\": {\"lat\":", Encoding.UTF8, "application/json"));
        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData(91, 13.4)]
    [InlineData(52.5, -181)]
    [InlineData(0, 0)]
    public async Task Coordinates_out_of_range_are_a_400_problem_naming_the_field(double lat, double lng)
    {
        var rider = await stack.Client().SignInAsync("rider");
        var response = await rider.PostAsync("/api/trips/quotes", new { pickup = new { lat, lng }, dropoff = new { lat = 52.5, lng = 13.45 } });
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("pickup", problem.Str("detail"));
    }

    [Fact]
    public async Task Unknown_trip_is_a_404_problem()
    {
        var rider = await stack.Client().SignInAsync("rider");
        await AssertProblemAsync(await rider.GetAsync("/api/trips/t0000000000000000"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_riders_trip_is_not_found_for_them()
    {
        var client = stack.Client();
        var owner = await client.SignInAsync("rider");
        var other = await client.SignInAsync("rider");
        var city = Point.FreshCity();
        var tripId = (await owner.RequestTripAsync(city, city.Offset(2_000, 0))).Str("tripId");

        await AssertProblemAsync(await other.GetAsync($"/api/trips/{tripId}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Booking_an_unknown_quote_is_a_404_and_creates_no_trip()
    {
        var rider = await stack.Client().SignInAsync("rider");
        await AssertProblemAsync(await rider.PostAsync("/api/trips", new { quoteId = "q0000000000", vehicleClass = "economy" }), HttpStatusCode.NotFound);
        await AssertProblemAsync(await rider.GetAsync("/api/trips/tq0000000000"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Unknown_vehicle_class_is_a_400_problem()
    {
        var driver = await stack.Client().SignInAsync("driver");
        var problem = await AssertProblemAsync(await driver.PostAsync("/api/drivers/me/online", new { vehicleClass = "rocket" }), HttpStatusCode.BadRequest);
        Assert.Contains("vehicleClass", problem.Str("detail"));
    }

    [Fact]
    public async Task A_rider_cannot_call_driver_actions()
    {
        var rider = await stack.Client().SignInAsync("rider");
        await AssertProblemAsync(await rider.PostAsync("/api/drivers/me/online", new { vehicleClass = "economy" }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Nearby_drivers_are_for_riders_and_need_the_whole_pickup()
    {
        var driver = await stack.Client().SignInAsync("driver");
        await AssertProblemAsync(await driver.GetAsync("/api/drivers/nearby?lat=52.5&lng=13.4"), HttpStatusCode.Forbidden);
        var rider = await stack.Client().SignInAsync("rider");
        var missing = await AssertProblemAsync(await rider.GetAsync("/api/drivers/nearby?lat=52.5"), HttpStatusCode.BadRequest);
        Assert.Contains("lat and lng", missing.Str("detail"));
        var outOfRange = await AssertProblemAsync(await rider.GetAsync("/api/drivers/nearby?lat=52.5&lng=181"), HttpStatusCode.BadRequest);
        Assert.Contains("lng in [-180, 180]", outOfRange.Str("detail"));
        await AssertProblemAsync(await rider.GetAsync("/api/drivers/nearby?lat=north&lng=13.4"), HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("{\"welcome\": null}")]
    [InlineData("{\"welcome\": \"yes\"}")]
    [InlineData("{\"welcome\": 1}")]
    [InlineData("[true]")]
    public async Task Pets_welcome_without_a_true_or_false_is_a_400_problem_naming_welcome_and_changes_nothing(string? body)
    {
        var driver = await stack.Client().SignInAsync("driver");
        await driver.PostAsync("/api/drivers/me/online", new { vehicleClass = "economy" });
        await driver.SendAsync(HttpMethod.Put, "/api/drivers/me/pets-welcome", System.Net.Http.Json.JsonContent.Create(new { welcome = true }));

        var response = await driver.SendAsync(HttpMethod.Put, "/api/drivers/me/pets-welcome", body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Contains("welcome", (await AssertProblemAsync(response, HttpStatusCode.BadRequest)).Str("detail"));
        Assert.True((await driver.GetOkAsync("/api/drivers/me"))["petsWelcome"]?.GetValue<bool>());
    }

    [Fact]
    public async Task A_fee_limit_on_a_cancellation_must_be_a_riders_and_not_negative_and_cancels_nothing_otherwise()
    {
        var rider = await stack.Client().SignInAsync("rider");
        var city = Point.FreshCity();
        var tripId = (await rider.RequestTripAsync(city, city.Offset(2_000, 0))).Str("tripId");

        var negative = await AssertProblemAsync(await rider.PostAsync($"/api/trips/{tripId}/cancel", new { maxFeeMinor = -1 }), HttpStatusCode.BadRequest);
        Assert.Contains("maxFeeMinor", negative.Str("detail"));
        var driver = await stack.Client().SignInAsync("driver");
        var forDriver = await AssertProblemAsync(await driver.PostAsync($"/api/trips/{tripId}/cancel", new { maxFeeMinor = 0 }), HttpStatusCode.BadRequest);
        Assert.Contains("rider", forDriver.Str("detail"));
        Assert.Equal("searching", (await rider.GetOkAsync($"/api/trips/{tripId}")).Str("status"));
    }

    [Fact]
    public async Task A_rider_books_one_trip_at_a_time()
    {
        var rider = await stack.Client().SignInAsync("rider");
        var city = Point.FreshCity();
        var first = await rider.RequestTripAsync(city, city.Offset(2_000, 0));
        var quote = await rider.PostOkAsync("/api/trips/quotes", new { pickup = new { lat = city.Lat, lng = city.Lng }, dropoff = new { lat = city.Lat + 0.03, lng = city.Lng } });

        var second = await AssertProblemAsync(await rider.PostAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy" }), HttpStatusCode.BadRequest);
        Assert.Contains($"already have a trip in progress ({first.Str("tripId")}, searching)", second.Str("detail"));
        Assert.Equal(first.Str("tripId"), (await rider.GetOkAsync("/api/trips/active")).Str("tripId"));
        Assert.Single((await rider.GetOkAsync("/api/trips"))["trips"]!.AsArray());

        // Once that trip is over, the same quote books.
        await rider.PostOkAsync($"/api/trips/{first.Str("tripId")}/cancel", new { });
        var booked = await rider.PostOkAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy" });
        Assert.Equal("searching", booked.Str("status"));
    }

    [Fact]
    public async Task Bookings_of_several_quotes_at_the_same_instant_make_one_trip()
    {
        var rider = await stack.Client().SignInAsync("rider");
        var city = Point.FreshCity();
        var quotes = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var quote = await rider.PostOkAsync("/api/trips/quotes", new { pickup = new { lat = city.Lat, lng = city.Lng }, dropoff = new { lat = city.Lat + 0.01 * (i + 1), lng = city.Lng } });
            quotes.Add(quote.Str("quoteId"));
        }

        var answers = await Task.WhenAll(quotes.Select(q => rider.PostAsync("/api/trips", new { quoteId = q, vehicleClass = "economy" })));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.OK))
        {
            // Refused for the trip booked, or (its trip not written yet) for the booking being made.
            Assert.Matches("already have a trip in progress|Another booking of yours is being made", (await AssertProblemAsync(refused, HttpStatusCode.BadRequest)).Str("detail"));
        }
        var trips = (await rider.GetOkAsync("/api/trips"))["trips"]!.AsArray();
        Assert.Single(trips);
        Assert.Equal(trips[0]!["tripId"]!.GetValue<string>(), (await rider.GetOkAsync("/api/trips/active")).Str("tripId"));
        await rider.PostOkAsync($"/api/trips/{trips[0]!["tripId"]!.GetValue<string>()}/cancel", new { });
    }

    [Fact]
    public async Task Requests_without_a_token_are_a_401_problem()
    {
        var response = await stack.Client().Http.GetAsync("/api/trips/t1", TestContext.Current.CancellationToken);
        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Forged_identity_headers_are_ignored()
    {
        var client = stack.Client();
        var owner = await client.SignInAsync("rider");
        var attacker = await client.SignInAsync("rider");
        var city = Point.FreshCity();
        var tripId = (await owner.RequestTripAsync(city, city.Offset(2_000, 0))).Str("tripId");

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/trips/{tripId}");
        request.Headers.Authorization = new("Bearer", attacker.Token);
        request.Headers.Add("x-user-id", owner.UserId);
        await AssertProblemAsync(await client.Http.SendAsync(request, TestContext.Current.CancellationToken), HttpStatusCode.NotFound);
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        var problem = Json.Parse(body);
        Assert.StartsWith("https://uberclone.dev/problems/", problem.Str("type"));
        Assert.Equal((int)expected, problem["status"]!.GetValue<int>());
        return problem;
    }
}
