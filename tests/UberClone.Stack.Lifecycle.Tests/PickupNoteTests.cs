using System.Net;
using System.Net.Http.Json;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// A note for the driver and riding for someone else (ADR 0031), on the whole stack: bad input is refused naming the
/// field, the driver's offer says who to pick up and the note, the driver's trip has the passenger's phone, the rider
/// changes the note while the offer is out (the same offer comes again with it), booked for later, and while the driver
/// is on the way (the driver's socket is told); once the ride started it is 409,
/// and the rider's data download has the passenger; the trip's link shows the passenger the PIN until the ride starts.
/// </summary>
public sealed class PickupNoteTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task A_driver_sees_who_to_pick_up_and_the_riders_note_as_the_rider_changes_it()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        await using var driver = await OnlineDriver.StartAsync(client, pickup.Offset(300, 0));
        var rider = await client.SignInAsync("rider", name: "Rita Rossi");
        await using var riderSocket = await rider.ConnectAsync();
        var quoteId = (await rider.PostOkAsync("/api/trips/quotes", new { pickup, dropoff = pickup.Offset(-2_500, 1_500) })).Str("quoteId");

        Assert.Contains("pickupNote", (await rider.PostAsync("/api/trips", new { quoteId, vehicleClass = "economy", pickupNote = new string('x', 201) })
            .ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("passenger.name", (await rider.PostAsync("/api/trips", new { quoteId, vehicleClass = "economy", passenger = new { name = "  " } })
            .ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("passenger.phone", (await rider.PostAsync("/api/trips", new { quoteId, vehicleClass = "economy", passenger = new { name = "Anna", phone = "06 1234" } })
            .ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));

        var booked = await rider.PostOkAsync("/api/trips", new
        {
            quoteId, vehicleClass = "economy", pickupNote = "  Gate 3, blue jacket ", passenger = new { name = " Anna ", phone = "+39 06-1234 5678" },
        });
        var tripId = booked.Str("tripId");
        Assert.Equal(("Gate 3, blue jacket", "Anna", "+390612345678"), (booked.Str("pickupNote"), booked["passenger"].Str("name"), booked["passenger"].Str("phone")));

        var offer = (await driver.OfferAsync(tripId))["data"]!;
        Assert.Equal(("Anna", "Gate 3, blue jacket"), (offer.Str("passengerName"), offer.Str("pickupNote")));
        Assert.DoesNotContain("+390612345678", offer.ToJsonString(), StringComparison.Ordinal); // the phone only once the driver took the trip
        await driver.AcceptAsync(tripId);
        await riderSocket.WaitForAsync("trip.driver_assigned", m => m["data"].Str("tripId") == tripId);
        var driversTrip = await driver.User.GetOkAsync($"/api/trips/{tripId}");
        Assert.Equal(("Anna", "+390612345678", "Gate 3, blue jacket"), (driversTrip["passenger"].Str("name"), driversTrip["passenger"].Str("phone"), driversTrip.Str("pickupNote")));
        Assert.Equal("Rita", (await driver.User.GetOkAsync($"/api/trips/{tripId}/rider")).Str("name")); // "booked by Rita"

        // On the way: the rider moves the note, the driver's app is told at once; only the rider may, and only a note.
        var path = $"/api/trips/{tripId}/pickup-note";
        Assert.Contains("note", (await Put(rider, path, new { note = "Gate 5\nby the bus stop" }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        await Put(driver.User, path, new { note = "Gate 5" }).ProblemAsync(HttpStatusCode.Forbidden);
        var changed = await Put(rider, path, new { note = "Gate 5, by the bus stop" }).OkAsync();
        Assert.Equal("Gate 5, by the bus stop", changed.Str("pickupNote"));
        var told = await driver.Socket.WaitForAsync("trip.pickup_note_changed", m => m["data"].Str("tripId") == tripId);
        Assert.Equal("Gate 5, by the bus stop", told["data"].Str("pickupNote"));
        Assert.Equal("Gate 5, by the bus stop", (await driver.User.GetOkAsync($"/api/trips/{tripId}")).Str("pickupNote"));

        // The rider sends Anna the trip's link: without an account she sees who comes for her, and the PIN to give the driver.
        var pin = (await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => !string.IsNullOrEmpty((string?)t["pin"]))).Str("pin");
        var token = (await rider.PostOkAsync($"/api/trips/{tripId}/share", new { })).Str("shareToken");
        var followed = await SharedTripTests.SharedAsync(client, token);
        Assert.Equal(("Anna", pin, "Rita"), (followed.Str("passengerName"), followed.Str("pin"), followed.Str("riderName")));
        Assert.DoesNotContain("+390612345678", followed.ToJsonString(), StringComparison.Ordinal);

        // Once the ride started the pickup is past: a note sent from a screen that was behind is a conflict; the link no
        // longer shows the PIN.
        await driver.PostAsync($"/api/trips/{tripId}/arrive", new { location = pickup }).OkAsync();
        await driver.PostAsync($"/api/trips/{tripId}/start", new { pin }).OkAsync();
        Assert.Contains("in_progress", (await Put(rider, path, new { note = "Never mind" }).ProblemAsync(HttpStatusCode.Conflict)).Str("detail"));
        var riding = await SharedTripTests.SharedAsync(client, token);
        Assert.Equal(("in_progress", "Anna"), (riding.Str("status"), riding.Str("passengerName")));
        Assert.Null(riding["pin"]);
        await driver.PostAsync($"/api/trips/{tripId}/complete", new { }).OkAsync();

        // The passenger is personal data the rider gave: it is in their data download; the driver keeps the name, not the phone.
        var export = await PlatformClient.ReadAsync(await rider.GetAsync("/api/auth/me/export"));
        var exported = Assert.Single(export["trips"]!.AsArray())!;
        Assert.Equal(("Anna", "+390612345678", "Gate 5, by the bus stop"), (exported["passenger"].Str("name"), exported["passenger"].Str("phone"), exported.Str("pickupNote")));
        var afterwards = await driver.User.GetOkAsync($"/api/trips/{tripId}");
        Assert.Equal("Anna", afterwards["passenger"].Str("name"));
        Assert.True(string.IsNullOrEmpty((string?)afterwards["passenger"]!["phone"]));
    }

    [Fact]
    public async Task A_note_changed_while_searching_reaches_the_offer_out_now_and_one_booked_for_later_changes_too()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        await using var driver = await OnlineDriver.StartAsync(client, pickup.Offset(300, 0));
        var rider = await client.SignInAsync("rider");
        var quote = await rider.PostOkAsync("/api/trips/quotes", new { pickup, dropoff = pickup.Offset(-2_500, 1_500) });
        var tripId = (await rider.PostOkAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy", pickupNote = "Gate 3" })).Str("tripId");
        var offer = (await driver.OfferAsync(tripId))["data"]!;
        Assert.Equal("Gate 3", offer.Str("pickupNote"));

        // The driver is looking at the offer: the rider adds to the note, and the same offer comes again with it.
        var path = $"/api/trips/{tripId}/pickup-note";
        Assert.Equal("Gate 3, with a dog", (await Put(rider, path, new { note = "Gate 3, with a dog" }).OkAsync()).Str("pickupNote"));
        var again = (await driver.Socket.WaitForAsync("offer", m => m["data"].Str("tripId") == tripId && m["data"].Str("pickupNote") == "Gate 3, with a dog"))["data"]!;
        Assert.Equal((offer.Str("offerId"), offer.Str("expiresAt")), (again.Str("offerId"), again.Str("expiresAt")));
        // A reload shows it too (the driver's pending offer), and the trip the driver accepts has it.
        Assert.Equal("Gate 3, with a dog", (await driver.User.GetOkAsync("/api/drivers/me"))["offer"].Str("pickupNote"));
        await driver.AcceptAsync(tripId);
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t.Str("status") == "driver_assigned");
        Assert.Equal("Gate 3, with a dog", (await driver.User.GetOkAsync($"/api/trips/{tripId}")).Str("pickupNote"));

        // A ride booked for later: its note changes until its search starts with it.
        var later = await rider.PostOkAsync("/api/trips/quotes", new { pickup, dropoff = pickup.Offset(2_000, 0) });
        var reserved = await rider.PostOkAsync("/api/trips", new
        {
            quoteId = later.Str("quoteId"), vehicleClass = "economy", scheduledFor = DateTimeOffset.UtcNow.AddHours(3).ToString("O"), pickupNote = "Lobby",
        });
        var reservedPath = $"/api/trips/{reserved.Str("tripId")}/pickup-note";
        Assert.Equal(("scheduled", "Lobby, door B"), ((await Put(rider, reservedPath, new { note = "Lobby, door B" }).OkAsync()).Str("status"),
            (await rider.GetOkAsync($"/api/trips/{reserved.Str("tripId")}")).Str("pickupNote")));
    }

    private static Task<HttpResponseMessage> Put(UserSession user, string path, object body) => user.SendAsync(HttpMethod.Put, path, JsonContent.Create(body));
}
