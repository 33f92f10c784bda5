using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using UberClone.Contracts;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// Rides with a pet (ADR 0041) on the whole stack: the quote says what a pet costs where pets are taken (the trips
/// service's appsettings: 3.00 with the default prices; the fixture's yen city takes none), a booking with a pet costs
/// that much more and holds it on the card, only a driver who welcomes pets is offered it (the nearer one who does not
/// is passed over), a new destination keeps the fee, the driver earns on it after the usual service fee, and the
/// receipt and its mail show it.
/// </summary>
public sealed class PetTests(LifecycleStackFixture stack)
{
    /// <summary>Pricing:PetFeeMinor in the trips service's appsettings.json (the default prices).</summary>
    private const long PetFeeMinor = 300;

    private static long Minor(JsonNode? money) => money?["amountMinor"]?.GetValue<long>() ?? 0;

    private static JsonObject Economy(JsonObject quote) =>
        quote["options"]!.AsArray().Select(o => o!.AsObject()).Single(o => o.Str("vehicleClass") == "economy");

    [Fact]
    public async Task A_ride_with_a_pet_costs_the_pet_fee_more_and_goes_past_the_nearest_driver_to_one_who_welcomes_pets()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        await using var noPets = await OnlineDriver.StartAsync(client, pickup.Offset(100, 0));
        await using var petsWelcome = await OnlineDriver.StartAsync(client, pickup.Offset(1_500, 0));
        var set = await petsWelcome.User.SendAsync(HttpMethod.Put, "/api/drivers/me/pets-welcome", JsonContent(new { welcome = true })).OkAsync();
        Assert.True(set["petsWelcome"]?.GetValue<bool>());
        Assert.False((await noPets.User.GetOkAsync("/api/drivers/me"))["petsWelcome"]!.GetValue<bool>());

        var rider = await client.SignInAsync("rider");
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
        await CardsOnFileTests.SaveCardAsync(rider, "4242 4242 4242 4242");
        await using var riderSocket = await rider.ConnectAsync();

        var dropoff = pickup.Offset(-2_500, 1_500);
        var quote = await rider.PostOkAsync("/api/trips/quotes", new { pickup = new { lat = pickup.Lat, lng = pickup.Lng }, dropoff = new { lat = dropoff.Lat, lng = dropoff.Lng } });
        Assert.Equal((PetFeeMinor, "USD"), (Minor(quote["petFee"]), quote["petFee"].Str("currency")));
        var price = Minor(Economy(quote)["price"]);

        var booked = await rider.PostOkAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy", withPet = true });
        var tripId = booked.Str("tripId");
        var fare = price + PetFeeMinor;
        Assert.True(booked["withPet"]?.GetValue<bool>());
        Assert.Equal((fare, PetFeeMinor, fare), (Minor(booked["fare"]), booked["receipt"]!["fare"]!["petFeeMinor"]!.GetValue<long>(),
            booked["receipt"]!["fare"]!["totalMinor"]!.GetValue<long>()));
        // The upfront price held on the card includes the fee (ADR 0027).
        Assert.Equal(fare, Minor(booked["paymentHold"]!["amount"]));

        // Offered to the driver who welcomes pets, 1.5 km away, never to the one 100 m away.
        var offer = await petsWelcome.OfferAsync(tripId);
        Assert.True(offer["data"]!["withPet"]?.GetValue<bool>());
        Assert.Equal("available", (await noPets.User.GetOkAsync("/api/drivers/me")).Str("state"));
        Assert.True((await petsWelcome.User.GetOkAsync("/api/drivers/me"))["offer"]!["withPet"]?.GetValue<bool>());
        await petsWelcome.AcceptAsync(tripId);
        await riderSocket.WaitForAsync("trip.driver_assigned", m => m["data"].Str("tripId") == tripId);
        Assert.True((await petsWelcome.User.GetOkAsync($"/api/trips/{tripId}"))["withPet"]?.GetValue<bool>());
        Assert.DoesNotContain(noPets.Socket.Received, m => m.Str("type") == "offer" && m["data"].Str("tripId") == tripId);

        // A new drop-off is priced with the pet fee kept (only asked: the ride goes on as booked).
        var elsewhere = pickup.Offset(-4_000, 500);
        var moved = await rider.PostOkAsync($"/api/trips/{tripId}/destination/quote", new { dropoff = new { lat = elsewhere.Lat, lng = elsewhere.Lng } });
        Assert.Equal(PetFeeMinor, moved["breakdown"]!["petFeeMinor"]!.GetValue<long>());

        var pin = (await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => !string.IsNullOrEmpty((string?)t["pin"]))).Str("pin");
        await petsWelcome.PostAsync($"/api/trips/{tripId}/arrive", new { location = new { lat = pickup.Lat, lng = pickup.Lng } }).OkAsync();
        await petsWelcome.PostAsync($"/api/trips/{tripId}/start", new { pin }).OkAsync();
        await petsWelcome.PostAsync($"/api/trips/{tripId}/complete", new { }).OkAsync();

        // Taken from the hold: the whole fare, the fee in it.
        var paid = await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid");
        Assert.Equal((fare, PetFeeMinor), (Minor(paid["receipt"]!["amountDue"]), paid["receipt"]!["fare"]!["petFeeMinor"]!.GetValue<long>()));

        // The driver earns on it: the service fee is the usual share of all but the booking fee, the fee included.
        var earnings = (await petsWelcome.User.GetOkAsync($"/api/trips/{tripId}"))["driverEarnings"]!;
        var shared = fare - Minor(earnings["bookingFee"]);
        var serviceFee = (long)Math.Round(shared * earnings["serviceFeePercent"]!.GetValue<double>() / 100, MidpointRounding.AwayFromZero);
        Assert.Equal((fare, 0L, serviceFee, shared - serviceFee),
            (Minor(earnings["amount"]), Minor(earnings["placeFees"]), Minor(earnings["serviceFee"]), Minor(earnings["earnings"])));

        // The driver's trips (what their receipt shows): a ride with a pet, the fee in its fare. Their earnings CSV has no
        // column for it (its header is what spreadsheets read): rider_paid has it, and earned is after the service fee on it.
        var history = (await petsWelcome.User.GetOkAsync("/api/trips?limit=20"))["trips"]!.AsArray().Single(t => t.Str("tripId") == tripId)!;
        Assert.Equal((true, PetFeeMinor), (history["withPet"]?.GetValue<bool>(), history["receipt"]!["fare"]!["petFeeMinor"]!.GetValue<long>()));
        var month = DateTimeOffset.Parse(paid.Str("completedAt"), CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        using var csv = await petsWelcome.User.GetAsync($"/api/drivers/me/earnings.csv?month={month}");
        var lines = (await csv.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var row = Assert.Single(lines, l => l.Contains($",{tripId},"))!.Split(',');
        Assert.Equal((Currencies.FormatMajor(fare, "USD"), Currencies.FormatMajor(shared - serviceFee, "USD")),
            (row[Array.IndexOf(header, "rider_paid")], row[Array.IndexOf(header, "earned")]));

        // Support's desk reads the same trip (with a pet, the fee in its fare) and each driver's state: who welcomes pets.
        var support = await stack.SupportAsync();
        var desk = await support.GetOkAsync($"/api/trips/{tripId}");
        Assert.Equal((true, PetFeeMinor), (desk["withPet"]?.GetValue<bool>(), desk["receipt"]!["fare"]!["petFeeMinor"]!.GetValue<long>()));
        Assert.True((await support.GetOkAsync($"/api/drivers/{petsWelcome.User.UserId}"))["petsWelcome"]!.GetValue<bool>());
        Assert.False((await support.GetOkAsync($"/api/drivers/{noPets.User.UserId}"))["petsWelcome"]!.GetValue<bool>());

        // The receipt mail has the fee on a line of its own.
        var receipt = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.StartsWith("Your UberClone receipt:"));
        var line = receipt.Text.Split('\n').Single(l => l.StartsWith("Pet fee", StringComparison.Ordinal));
        Assert.EndsWith(Currencies.Display(PetFeeMinor, "USD"), line.TrimEnd());
    }

    [Fact]
    public async Task Where_pets_are_not_taken_the_quote_has_no_pet_fee_and_a_booking_with_a_pet_is_refused_saying_so()
    {
        var client = stack.Client();
        var pickup = LifecycleStackFixture.YenCity.Offset(Random.Shared.Next(-20_000, 20_000), Random.Shared.Next(-8_000, 8_000));
        var dropoff = pickup.Offset(-2_000, 1_000);
        var rider = await client.SignInAsync("rider");

        var quote = await rider.PostOkAsync("/api/trips/quotes", new { pickup = new { lat = pickup.Lat, lng = pickup.Lng }, dropoff = new { lat = dropoff.Lat, lng = dropoff.Lng } });
        Assert.Null(quote["petFee"]);

        var refused = await rider.PostAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy", withPet = true }).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("withPet: pets are not taken on rides picked up here", refused.Str("detail"));
        await rider.GetAsync("/api/trips/active").ProblemAsync(HttpStatusCode.NotFound); // nothing was booked

        // The same quote books at once without the pet.
        var booked = await rider.PostOkAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy" });
        Assert.False(booked["withPet"]!.GetValue<bool>());
        Assert.Equal(Minor(Economy(quote)["price"]), Minor(booked["fare"]));
        await rider.PostOkAsync($"/api/trips/{booked.Str("tripId")}/cancel", new { reason = "x" });
    }

    private static System.Net.Http.Json.JsonContent JsonContent(object body) => System.Net.Http.Json.JsonContent.Create(body);
}
