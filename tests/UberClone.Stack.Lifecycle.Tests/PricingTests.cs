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

        // A driver's map shows where: the square of the requests (and those around it) surge by as much.
        var driver = await client.SignInAsync("driver");
        var map = await driver.GetOkAsync($"/api/trips/surge?lat={city.Lat.ToString(System.Globalization.CultureInfo.InvariantCulture)}&lng={city.Lng.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        var here = Assert.Single(map["areas"]!.AsArray(), a => a!["south"]!.GetValue<double>() <= city.Lat && city.Lat < a["north"]!.GetValue<double>()
            && a["west"]!.GetValue<double>() <= city.Lng && city.Lng < a["east"]!.GetValue<double>())!;
        Assert.Equal(1.5, here["multiplier"]!.GetValue<double>());
        Assert.Contains("lat/lng", (await driver.GetAsync("/api/trips/surge").ProblemAsync(System.Net.HttpStatusCode.BadRequest)).Str("detail"));

        var trip = await late.PostOkAsync("/api/trips", new { quoteId = surged.Str("quoteId"), vehicleClass = "economy" });
        Assert.Equal(price, trip["fare"]!["amountMinor"]!.GetValue<long>());
        Assert.Equal(1.5, trip["surgeMultiplier"]!.GetValue<double>());
    }

    [Fact]
    public async Task A_ride_in_a_city_with_its_own_prices_is_quoted_and_charged_in_its_currency_with_its_classes()
    {
        var client = stack.Client();
        var pickup = LifecycleStackFixture.YenCity.Offset(Random.Shared.Next(-20_000, 20_000), Random.Shared.Next(-8_000, 8_000));
        var dropoff = pickup.Offset(-2_500, 1_500);
        await using var driver = await OnlineDriver.StartAsync(client, pickup.Offset(40, 0));
        var rider = await client.SignInAsync("rider");
        var quote = await rider.PostOkAsync("/api/trips/quotes", new { pickup = new { lat = pickup.Lat, lng = pickup.Lng }, dropoff = new { lat = dropoff.Lat, lng = dropoff.Lng } });

        // Only the classes the city prices, in yen (no minor unit): booking fee 100 + base 500 + per km and minute.
        var economy = Assert.Single(quote["options"]!.AsArray())!;
        Assert.Equal(("economy", "JPY"), (economy.Str("vehicleClass"), economy["price"].Str("currency")));
        Assert.Equal((500L, 100L), (economy["breakdown"]!["baseMinor"]!.GetValue<long>(), economy["breakdown"]!["bookingFeeMinor"]!.GetValue<long>()));
        Assert.Equal(40, economy["waitPerMinute"]!["amountMinor"]!.GetValue<long>());
        var price = economy["price"]!["amountMinor"]!.GetValue<long>();

        await using var riderSocket = await rider.ConnectAsync();
        var tripId = (await rider.PostOkAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy" })).Str("tripId");
        var completed = await Rides.DriveAsync(rider, driver, tripId, pickup);
        Assert.Equal("110", completed.Str("emergencyNumber")); // the city's, for the emergency button
        Assert.Equal((price, "JPY"), (completed["receipt"]!["amountDue"]!["amountMinor"]!.GetValue<long>(), completed["receipt"]!["amountDue"].Str("currency")));
        var charge = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        Assert.Equal((price, "jpy"), (charge["data"]!["amountMinor"]!.GetValue<long>(), charge["data"].Str("currency").ToLowerInvariant()));
    }

    [Fact]
    public async Task A_late_cancellation_in_a_city_with_a_fee_of_its_own_costs_that_fee_in_its_currency()
    {
        var client = stack.Client();
        var pickup = LifecycleStackFixture.YenCity.Offset(Random.Shared.Next(-20_000, 20_000), Random.Shared.Next(-8_000, 8_000));
        var dropoff = pickup.Offset(2_000, 0);
        await using var driver = await OnlineDriver.StartAsync(client, pickup.Offset(40, 0));
        var rider = await client.SignInAsync("rider");
        await using var riderSocket = await rider.ConnectAsync();
        var tripId = (await rider.RequestTripAsync(pickup, dropoff)).Str("tripId");
        await driver.OfferAsync(tripId);
        await driver.AcceptAsync(tripId);

        var terms = (await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => !string.IsNullOrEmpty((string?)t["cancellationTerms"]?["freeUntil"])))["cancellationTerms"]!;
        Assert.Equal((LifecycleStackFixture.YenCancellationFee, "JPY"), (terms["fee"]!["amountMinor"]!.GetValue<long>(), terms["fee"].Str("currency")));
        var wait = DateTimeOffset.Parse(terms.Str("freeUntil")) - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, TestContext.Current.CancellationToken);

        var cancelled = await rider.PostOkAsync($"/api/trips/{tripId}/cancel", new { reason = "too late", maxFeeMinor = LifecycleStackFixture.YenCancellationFee });
        Assert.Equal(LifecycleStackFixture.YenCancellationFee, cancelled["cancellation"]!["fee"]!["amountMinor"]!.GetValue<long>());
        var charge = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        Assert.Equal((LifecycleStackFixture.YenCancellationFee, "jpy"), (charge["data"]!["amountMinor"]!.GetValue<long>(), charge["data"].Str("currency").ToLowerInvariant()));
    }
}
