using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

public sealed class PricingTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task Requests_with_no_drivers_around_raise_the_surge_shown_in_the_next_quote_and_the_upfront_price_is_the_fare()
    {
        var client = stack.Client();
        var city = Point.FreshCity();
        var dropoff = city.Offset(4_000, 0);
        var quoteBody = new { pickup = new { lat = city.Lat, lng = city.Lng }, dropoff = new { lat = dropoff.Lat, lng = dropoff.Lng } };
        var calm = await (await client.SignInAsync("rider")).PostOkAsync("/api/trips/quotes", quoteBody);
        Assert.All(calm["options"]!.AsArray(), o => Assert.Equal(1.0, o!["surgeMultiplier"]!.GetValue<double>()));

        foreach (var rider in await Task.WhenAll(client.SignInAsync("rider"), client.SignInAsync("rider")))
        {
            await rider.RequestTripAsync(city.Offset(100, 100), dropoff);
        }

        var late = await client.SignInAsync("rider");
        var surged = await late.PostOkAsync("/api/trips/quotes", quoteBody);
        var economy = surged["options"]!.AsArray().Single(o => o.Str("vehicleClass") == "economy")!;
        var calmEconomy = calm["options"]!.AsArray().Single(o => o.Str("vehicleClass") == "economy")!;
        Assert.True(economy["surgeMultiplier"]!.GetValue<double>() == 1.5,
            $"Expected surge 1.5 at {city} after two open requests 140 m away; the quote was {surged.ToJsonString()}");
        Assert.True(economy["breakdown"]!["surgeMinor"]!.GetValue<long>() > 0);
        var price = economy["price"]!["amountMinor"]!.GetValue<long>();
        Assert.True(price > calmEconomy["price"]!["amountMinor"]!.GetValue<long>());

        var trip = await late.PostOkAsync("/api/trips", new { quoteId = surged.Str("quoteId"), vehicleClass = "economy" });
        Assert.Equal(price, trip["fare"]!["amountMinor"]!.GetValue<long>());
        Assert.Equal(1.5, trip["surgeMultiplier"]!.GetValue<double>());
    }
}
