using System.Globalization;
using System.Text.Json.Nodes;
using UberClone.Contracts;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// Place fees (ADR 0037) on the whole stack, with the fixture's fee place (an airport's fee for the default prices): a
/// quote to it carries the fee in each class's price and breakdown (one through it as a stop does not), the booked trip
/// keeps it, a new destination outside it drops it from the price, the rider is charged it, the driver's earnings leave it out and the receipt mail lists it.
/// </summary>
public sealed class PlaceFeeTests(LifecycleStackFixture stack)
{
    private static readonly Point Airport = LifecycleStackFixture.FeePlace;

    private static JsonObject Economy(JsonObject quote) =>
        quote["options"]!.AsArray().Select(o => o!.AsObject()).Single(o => o.Str("vehicleClass") == "economy");

    private static List<(string Name, long AmountMinor)> Fees(JsonNode? breakdown) =>
        [.. (breakdown?["placeFees"]?.AsArray() ?? []).Select(f => (f.Str("name"), f!["amountMinor"]!.GetValue<long>()))];

    private static long Minor(JsonNode? money) => money?["amountMinor"]?.GetValue<long>() ?? 0;

    private static string Major(long minor) => (minor / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_ride_to_the_airport_charges_the_rider_its_fee_which_the_driver_neither_earns_nor_pays_a_service_fee_on()
    {
        var client = stack.Client();
        var pickup = Airport.Offset(-3_000, 0); // 3 km south: outside the fee's 1 km
        var terminal = Airport.Offset(300, 0);
        await using var driver = await OnlineDriver.StartAsync(client, pickup.Offset(40, 0));
        var rider = await client.SignInAsync("rider");
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
        await using var riderSocket = await rider.ConnectAsync();

        // Away from the airport: no fee. To it: the drop-off fee, in every class's price. From it: the pickup fee.
        var inTown = Economy(await rider.PostOkAsync("/api/trips/quotes", new { pickup, dropoff = pickup.Offset(-2_000, 0) }));
        Assert.Empty(Fees(inTown["breakdown"]));
        var quote = await rider.PostOkAsync("/api/trips/quotes", new { pickup, dropoff = terminal });
        foreach (var option in quote["options"]!.AsArray())
        {
            Assert.Equal([(LifecycleStackFixture.PlaceFeeName, LifecycleStackFixture.PlaceFeeDropoffMinor)], Fees(option!["breakdown"]));
            Assert.Equal(Minor(option["price"]), option["breakdown"]!["totalMinor"]!.GetValue<long>());
        }
        var fromTheAirport = Economy(await rider.PostOkAsync("/api/trips/quotes", new { pickup = terminal, dropoff = pickup }));
        Assert.Equal([(LifecycleStackFixture.PlaceFeeName, LifecycleStackFixture.PlaceFeePickupMinor)], Fees(fromTheAirport["breakdown"]));
        // Through the airport as a stop on the way: the airport charges what starts or ends there, not what passes.
        var throughIt = Economy(await rider.PostOkAsync("/api/trips/quotes", new { pickup, dropoff = pickup.Offset(-2_000, 0), stops = new[] { terminal } }));
        Assert.Empty(Fees(throughIt["breakdown"]));

        var booked = await rider.PostOkAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy" });
        var tripId = booked.Str("tripId");
        var fare = Minor(Economy(quote)["price"]);
        Assert.Equal(fare, Minor(booked["fare"]));
        await driver.OfferAsync(tripId);
        await driver.AcceptAsync(tripId);
        await riderSocket.WaitForAsync("trip.driver_assigned", m => m["data"].Str("tripId") == tripId);

        // A new drop-off in town would drop the fee from the price (only asked: the ride goes on to the airport).
        var elsewhere = pickup.Offset(-2_500, 1_000);
        var moved = await rider.PostOkAsync($"/api/trips/{tripId}/destination/quote", new { dropoff = new { lat = elsewhere.Lat, lng = elsewhere.Lng } });
        Assert.Empty(Fees(moved["breakdown"]));
        Assert.Equal([(LifecycleStackFixture.PlaceFeeName, LifecycleStackFixture.PlaceFeeDropoffMinor)],
            Fees((await rider.GetOkAsync($"/api/trips/{tripId}"))["receipt"]!["fare"]));

        var pin = (await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => !string.IsNullOrEmpty((string?)t["pin"]))).Str("pin");
        await driver.PostAsync($"/api/trips/{tripId}/arrive", new { location = pickup }).OkAsync();
        await driver.PostAsync($"/api/trips/{tripId}/start", new { pin }).OkAsync();
        await driver.PostAsync($"/api/trips/{tripId}/complete", new { }).OkAsync();

        // The rider pays the whole fare, the fee in it.
        var session = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(fare, session["data"]!["amountMinor"]!.GetValue<long>());
        await Rides.PayAsync(rider, session, "pay");
        var paid = await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid");
        Assert.Equal([(LifecycleStackFixture.PlaceFeeName, LifecycleStackFixture.PlaceFeeDropoffMinor)], Fees(paid["receipt"]!["fare"]));

        // The driver: the fee is passed on like the booking fee; the service fee is a share of the rest, and they earn the rest of that.
        var earnings = (await driver.User.GetOkAsync($"/api/trips/{tripId}"))["driverEarnings"]!;
        var bookingFee = Minor(earnings["bookingFee"]);
        Assert.Equal((fare, LifecycleStackFixture.PlaceFeeDropoffMinor), (Minor(earnings["amount"]), Minor(earnings["placeFees"])));
        var shared = fare - bookingFee - LifecycleStackFixture.PlaceFeeDropoffMinor;
        var serviceFee = (long)Math.Round(shared * earnings["serviceFeePercent"]!.GetValue<double>() / 100, MidpointRounding.AwayFromZero);
        Assert.Equal((serviceFee, shared - serviceFee), (Minor(earnings["serviceFee"]), Minor(earnings["earnings"])));
        // Their earnings CSV: the fee in a column of its own, what they earned without it.
        var month = DateTimeOffset.Parse(paid.Str("completedAt")).UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        using var csv = await driver.User.GetAsync($"/api/drivers/me/earnings.csv?month={month}");
        var lines = (await csv.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var row = Assert.Single(lines, l => l.Contains($",{tripId},"))!.Split(',');
        string Cell(string column) => row[Array.IndexOf(header, column)];
        Assert.Equal((Major(LifecycleStackFixture.PlaceFeeDropoffMinor), Major(shared - serviceFee), Major(fare)), (Cell("place_fees"), Cell("earned"), Cell("rider_paid")));

        // The receipt mail lists the fee as a line of its own.
        var receipt = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.StartsWith("Your UberClone receipt:"));
        var line = receipt.Text.Split('\n').Single(l => l.StartsWith(LifecycleStackFixture.PlaceFeeName, StringComparison.Ordinal));
        Assert.EndsWith(Currencies.Display(LifecycleStackFixture.PlaceFeeDropoffMinor, "USD"), line.TrimEnd());
    }
}
