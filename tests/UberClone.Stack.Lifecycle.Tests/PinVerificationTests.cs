using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// "Verify my rides with a PIN" (ADR 0044) on the whole stack: the rider's setting (always until they choose), taken
/// when the ride is booked; a ride without a PIN starts without one; a ride with one starts only with it, five wrong
/// PINs lock the start for <see cref="LifecycleStackFixture.PinLockout"/> (429 with Retry-After), and the driver never
/// reads the PIN, in an answer or on their socket.
/// </summary>
public sealed class PinVerificationTests(LifecycleStackFixture stack)
{
    /// <summary>A fixed-offset zone where the clock now shows <paramref name="localHour"/> (and some minutes): far from the night window's edges.</summary>
    private static string ZoneWhereItIsNow(int localHour)
    {
        var hours = ((localHour - DateTimeOffset.UtcNow.Hour) % 24 + 24) % 24;
        if (hours > 12) hours -= 24;
        // Etc/GMT zones are signed the POSIX way: Etc/GMT-3 is three hours ahead of UTC.
        return hours == 0 ? "Etc/UTC" : $"Etc/GMT{(hours > 0 ? "-" : "+")}{Math.Abs(hours)}";
    }

    private static async Task<JsonObject> SetAsync(UserSession rider, object setting) =>
        await PlatformClient.ReadAsync(await rider.SendAsync(HttpMethod.Put, "/api/trips/pin-verification", JsonContent.Create(setting)));

    /// <summary>The rider books a ride, the driver 600 m away accepts it and arrives at the pickup.</summary>
    private async Task<(OnlineDriver Driver, string TripId)> BookedAndArrivedAsync(UserSession rider)
    {
        var pickup = Point.FreshCity();
        var driver = await OnlineDriver.StartAsync(stack.Client(), pickup.Offset(600, 0));
        await using var riderSocket = await rider.ConnectAsync();
        var tripId = (await rider.RequestTripAsync(pickup, pickup.Offset(-3_000, 2_000))).Str("tripId");
        await driver.OfferAsync(tripId);
        await driver.AcceptAsync(tripId);
        await riderSocket.WaitForAsync("trip.driver_assigned", m => m["data"].Str("tripId") == tripId);
        await driver.PostAsync($"/api/trips/{tripId}/arrive", new { location = new { lat = pickup.Lat, lng = pickup.Lng } }).OkAsync();
        return (driver, tripId);
    }

    [Fact]
    public async Task A_rider_who_turned_the_pin_off_is_driven_without_one()
    {
        var rider = await stack.Client().SignInAsync("rider");
        Assert.Equal("always", (await rider.GetOkAsync("/api/trips/pin-verification")).Str("mode"));
        Assert.Equal("off", (await SetAsync(rider, new { mode = "off", timeZone = "Europe/Rome" })).Str("mode"));
        var read = await rider.GetOkAsync("/api/trips/pin-verification");
        Assert.Equal(("off", "Europe/Rome"), (read.Str("mode"), read.Str("timeZone")));

        var (driver, tripId) = await BookedAndArrivedAsync(rider);
        await using var _ = driver;
        var riderView = await rider.GetOkAsync($"/api/trips/{tripId}");
        Assert.True(string.IsNullOrEmpty((string?)riderView["pin"]));
        Assert.NotEqual(true, riderView["pinRequired"]?.GetValue<bool>());
        Assert.NotEqual(true, (await driver.User.GetOkAsync($"/api/trips/{tripId}"))["pinRequired"]?.GetValue<bool>());

        var started = await driver.PostAsync($"/api/trips/{tripId}/start", new { }).OkAsync();
        Assert.Equal("in_progress", started.Str("status"));
    }

    [Fact]
    public async Task A_night_ride_starts_only_with_its_pin_and_five_wrong_ones_lock_the_start_for_a_while()
    {
        var rider = await stack.Client().SignInAsync("rider");
        var zone = ZoneWhereItIsNow(0);
        var set = await SetAsync(rider, new { mode = "night", timeZone = zone });
        Assert.Equal(("night", zone), (set.Str("mode"), set.Str("timeZone")));

        var (driver, tripId) = await BookedAndArrivedAsync(rider);
        await using var _ = driver;
        var riderView = await rider.GetOkAsync($"/api/trips/{tripId}");
        var pin = riderView.Str("pin");
        Assert.Matches("^[0-9]{4}$", pin);
        Assert.True(riderView["pinRequired"]!.GetValue<bool>());
        var driverView = await driver.User.GetOkAsync($"/api/trips/{tripId}");
        Assert.True(driverView["pinRequired"]!.GetValue<bool>());
        Assert.True(string.IsNullOrEmpty((string?)driverView["pin"]), "the driver must not read the rider's PIN");
        // The rider's data download has their setting, never the PIN of the ride they wait for.
        var export = await rider.GetOkAsync("/api/auth/me/export");
        Assert.Equal("night", export["pinVerification"].Str("mode"));
        Assert.Contains(tripId, export.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain($"\"{pin}\"", export.ToJsonString(), StringComparison.Ordinal);

        var missing = await driver.PostAsync($"/api/trips/{tripId}/start", new { }).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("pin", missing.Str("detail"));
        await driver.PostAsync($"/api/trips/{tripId}/start", new { pin = "12a4" }).ProblemAsync(HttpStatusCode.BadRequest);

        var wrong = pin == "0000" ? "1111" : "0000";
        for (var i = 1; i <= 5; i++)
        {
            var refused = await driver.PostAsync($"/api/trips/{tripId}/start", new { pin = wrong }).ProblemAsync(HttpStatusCode.BadRequest);
            Assert.Contains("PIN is wrong", refused.Str("detail"));
        }
        // The sixth attempt, even with the right PIN, waits out the lock.
        using (var locked = await driver.PostAsync($"/api/trips/{tripId}/start", new { pin }))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
            Assert.Equal("application/problem+json", locked.Content.Headers.ContentType?.MediaType);
            var retryAfter = locked.Headers.RetryAfter?.Delta;
            Assert.NotNull(retryAfter);
            Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), LifecycleStackFixture.PinLockout);
            Assert.EndsWith("/pin-attempts-exceeded", Json.Parse(await locked.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Str("type"));
        }
        var lockedView = await driver.User.GetOkAsync($"/api/trips/{tripId}");
        Assert.Equal(("driver_arrived", 5), (lockedView.Str("status"), lockedView["wrongPinAttempts"]!.GetValue<int>()));
        Assert.False(string.IsNullOrEmpty(lockedView.Str("pinLockedUntil")));

        await Task.Delay(LifecycleStackFixture.PinLockout + TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
        var started = await driver.PostAsync($"/api/trips/{tripId}/start", new { pin }).OkAsync();
        Assert.Equal("in_progress", started.Str("status"));

        // Nothing the driver received carried the PIN.
        Assert.DoesNotContain(driver.Socket.Received, m => m.ToJsonString().Contains($"\"{pin}\"", StringComparison.Ordinal));
        Assert.DoesNotContain($"\"{pin}\"", (await driver.User.GetOkAsync($"/api/trips/{tripId}")).ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_night_setting_at_midday_gives_the_ride_no_pin()
    {
        var rider = await stack.Client().SignInAsync("rider");
        await SetAsync(rider, new { mode = "night", timeZone = ZoneWhereItIsNow(12) });

        var (driver, tripId) = await BookedAndArrivedAsync(rider);
        await using var _ = driver;
        Assert.True(string.IsNullOrEmpty((string?)(await rider.GetOkAsync($"/api/trips/{tripId}"))["pin"]));
        Assert.Equal("in_progress", (await driver.PostAsync($"/api/trips/{tripId}/start", new { }).OkAsync()).Str("status"));
    }

    [Fact]
    public async Task A_setting_that_is_not_one_is_refused_naming_its_field()
    {
        var rider = await stack.Client().SignInAsync("rider");
        async Task<string> RefusedAsync(object body) =>
            (await rider.SendAsync(HttpMethod.Put, "/api/trips/pin-verification", JsonContent.Create(body)).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail");

        Assert.StartsWith("mode", await RefusedAsync(new { mode = "sometimes", timeZone = "Europe/Rome" }));
        Assert.StartsWith("timeZone", await RefusedAsync(new { mode = "night" }));
        Assert.StartsWith("timeZone", await RefusedAsync(new { mode = "night", timeZone = "Mars/Olympus" }));
        Assert.Equal("always", (await rider.GetOkAsync("/api/trips/pin-verification")).Str("mode"));

        var driver = await stack.Client().SignInAsync("driver");
        using var asDriver = await driver.SendAsync(HttpMethod.Put, "/api/trips/pin-verification", JsonContent.Create(new { mode = "off" }));
        Assert.Equal(HttpStatusCode.Forbidden, asDriver.StatusCode);
    }
}
