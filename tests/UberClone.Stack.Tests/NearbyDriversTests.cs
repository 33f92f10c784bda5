using System.Globalization;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Tests;

/// <summary>Before booking, a rider sees each vehicle class's pickup ETA and the available cars near the pickup (through the gateway's REST route).</summary>
public sealed class NearbyDriversTests(StackFixture stack)
{
    [Fact]
    public async Task A_rider_sees_the_nearest_available_driver_of_each_class_and_no_one_once_they_are_taken()
    {
        var client = stack.Client();
        var city = Point.FreshCity();
        var economy = await client.SignInAsync("driver");
        var comfort = await client.SignInAsync("driver");
        var rider = await client.SignInAsync("rider");
        await using var economySocket = await economy.ConnectAsync();
        await economy.GoOnlineAsync(city.Offset(500, 0));
        await comfort.GoOnlineAsync(city.Offset(0, 2_000), "comfort");
        var path = string.Create(CultureInfo.InvariantCulture, $"/api/drivers/nearby?lat={city.Lat}&lng={city.Lng}");

        var nearby = await rider.GetOkAsync(path);

        var classes = nearby["classes"]!.AsArray().ToDictionary(c => c.Str("vehicleClass"));
        Assert.Equal(["economy", "comfort", "xl", "premium"], classes.Keys);
        Assert.Equal(78, (int)classes["economy"]!["pickupEtaSeconds"]!);       // 500 m × 1.3 at 8.33 m/s
        Assert.InRange((int)classes["economy"]!["pickupDistanceMeters"]!, 499, 501);
        Assert.Equal(1, (int)classes["economy"]!["driversNearby"]!);
        Assert.Equal(312, (int)classes["comfort"]!["pickupEtaSeconds"]!);
        Assert.Null(classes["xl"]!["pickupEtaSeconds"]);
        Assert.Equal(10_000, (int)nearby["radiusMeters"]!);
        var cars = nearby["cars"]!.AsArray();
        Assert.Equal(["economy", "comfort"], cars.Select(c => c.Str("vehicleClass")));
        Assert.DoesNotContain(economy.UserId, nearby.ToJsonString());

        // Offered a trip, the economy driver is no longer available to anyone else.
        var tripId = (await rider.RequestTripAsync(city, city.Offset(3_000, 0))).Str("tripId");
        await economySocket.WaitForAsync("offer", m => m["data"].Str("tripId") == tripId);
        var taken = (await rider.GetOkAsync(path))["classes"]!.AsArray().ToDictionary(c => c.Str("vehicleClass"));
        Assert.Null(taken["economy"]!["pickupEtaSeconds"]);
        Assert.Equal(312, (int)taken["comfort"]!["pickupEtaSeconds"]!);
    }

    [Fact]
    public async Task A_rider_bringing_a_pet_sees_only_the_drivers_who_welcome_pets()
    {
        var client = stack.Client();
        var city = Point.FreshCity();
        var noPets = await client.SignInAsync("driver");
        var petsWelcome = await client.SignInAsync("driver");
        var rider = await client.SignInAsync("rider");
        await noPets.GoOnlineAsync(city.Offset(500, 0));
        await petsWelcome.GoOnlineAsync(city.Offset(1_500, 0));
        await petsWelcome.SendAsync(HttpMethod.Put, "/api/drivers/me/pets-welcome", System.Net.Http.Json.JsonContent.Create(new { welcome = true }));
        var path = string.Create(CultureInfo.InvariantCulture, $"/api/drivers/nearby?lat={city.Lat}&lng={city.Lng}");

        var anyone = (await rider.GetOkAsync(path))["classes"]!.AsArray().Single(c => c.Str("vehicleClass") == "economy")!;
        var withPet = await rider.GetOkAsync(path + "&withPet=true");

        Assert.Equal((2, 78), ((int)anyone["driversNearby"]!, (int)anyone["pickupEtaSeconds"]!));
        var economy = withPet["classes"]!.AsArray().Single(c => c.Str("vehicleClass") == "economy")!;
        Assert.Equal(1, (int)economy["driversNearby"]!);
        Assert.Equal(234, (int)economy["pickupEtaSeconds"]!); // 1.5 km × 1.3 at 8.33 m/s: the one who would be offered the ride
        Assert.Single(withPet["cars"]!.AsArray());
    }
}
