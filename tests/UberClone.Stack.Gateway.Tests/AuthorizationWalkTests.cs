using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using UberClone.Stack.Tests.Infrastructure;
using Xunit.Sdk;

namespace UberClone.Stack.Gateway.Tests;

/// <summary>
/// Every public route, called by {anonymous, another rider, another driver, the right user}. The owning service decides:
/// wrong user → 404 (existence not revealed), wrong role → 403, no token → 401. One line per route.
/// </summary>
public sealed class AuthorizationWalkTests(TwoGatewaysFixture stack)
{
    private enum Owner { Rider, Driver }

    /// <param name="Owner">Whose route it is: the other role gets 403 unless <paramref name="OtherRole"/> says otherwise.</param>
    /// <param name="OtherSameRole">What another user of the same role gets.</param>
    /// <param name="Right">What the right user gets.</param>
    /// <param name="OtherRole">What a user of the other role gets, when the route is open to both roles.</param>
    /// <param name="RightUser">Who the right user is, when not the scenario's rider or driver.</param>
    /// <param name="Prepare">Runs before the route is walked (e.g. a fresh offer for the accept row).</param>
    private sealed record RouteCase(string Method, Func<Scenario, string> Path, Func<Scenario, object?> Body, Owner Owner,
        HttpStatusCode OtherSameRole, HttpStatusCode Right, HttpStatusCode? OtherRole = null,
        Func<Scenario, UserSession>? RightUser = null, Func<Scenario, Task>? Prepare = null)
    {
        public override string ToString() => $"{Method} {Path(Scenario.Placeholder)}";
    }

    /// <summary>Another driver's offer does not exist for you: 404, whether the trip exists or not.</summary>
    private const HttpStatusCode NotYourOffer = HttpStatusCode.NotFound;

    private static readonly RouteCase[] Routes =
    [
        // First: the offer made as the scenario started lasts 15 s, which a busy machine could spend on a dozen rows.
        new("POST", s => $"/api/drivers/me/offers/{s.TripId}/decline", _ => new { reason = "walk" }, Owner.Driver, OtherSameRole: NotYourOffer, Right: HttpStatusCode.OK),
        new("POST", _ => "/api/trips/quotes", s => s.QuoteBody, Owner.Rider, OtherSameRole: HttpStatusCode.OK, Right: HttpStatusCode.OK),
        new("POST", _ => "/api/trips", s => new { quoteId = s.QuoteId, vehicleClass = "economy" }, Owner.Rider, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.OK),
        // trips lets a driver read only the trip assigned to them, and answers anyone else "not found".
        new("GET", s => $"/api/trips/{s.TripId}", _ => null, Owner.Rider, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.OK, OtherRole: HttpStatusCode.NotFound),
        new("GET", _ => "/api/trips/active", _ => null, Owner.Rider, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.OK, OtherRole: HttpStatusCode.NotFound),
        // payments answers "no payment of yours" to another rider (there is none yet for the rider either); drivers may not ask.
        new("GET", s => $"/api/payments/trips/{s.TripId}", _ => null, Owner.Rider, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.NotFound, OtherRole: HttpStatusCode.Forbidden),
        // Ride credit (ADR 0051): every rider reads their own, a driver has none; only support reads or gives a rider's, the rider included.
        new("GET", _ => "/api/payments/credit", _ => null, Owner.Rider, OtherSameRole: HttpStatusCode.OK, Right: HttpStatusCode.OK),
        new("GET", s => $"/api/payments/riders/{s.Rider.UserId}/credit", _ => null, Owner.Rider, OtherSameRole: HttpStatusCode.Forbidden, Right: HttpStatusCode.Forbidden),
        new("POST", s => $"/api/payments/riders/{s.Rider.UserId}/credit", _ => new { amountMinor = 500, reason = "walk" }, Owner.Rider, OtherSameRole: HttpStatusCode.Forbidden, Right: HttpStatusCode.Forbidden),
        new("GET", _ => "/api/drivers/me", _ => null, Owner.Driver, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.OK),
        new("GET", _ => "/api/drivers/me/queue", _ => null, Owner.Driver, OtherSameRole: HttpStatusCode.OK /* acts on themselves: in no queue */, Right: HttpStatusCode.OK),
        new("POST", _ => "/api/drivers/me/location", s => new { lat = s.City.Lat, lng = s.City.Lng, accuracyMeters = 5 }, Owner.Driver, OtherSameRole: HttpStatusCode.BadRequest /* acts on themselves: not online */, Right: HttpStatusCode.OK),
        new("POST", s => $"/api/drivers/me/offers/{s.SecondTripId}/accept", _ => new { }, Owner.Driver, OtherSameRole: NotYourOffer, Right: HttpStatusCode.OK, Prepare: s => s.OfferSecondTripAsync()),
        new("POST", s => $"/api/trips/{s.SecondTripId}/arrive", s => new { location = new { lat = s.City.Lat, lng = s.City.Lng } }, Owner.Driver, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.OK, Prepare: s => s.WaitForSecondTripAssignedAsync()),
        // Only the trip's rider changes the note for the driver (ADR 0031), while the driver waits at the pickup here.
        new("PUT", s => $"/api/trips/{s.SecondTripId}/pickup-note", _ => new { note = "walk" }, Owner.Rider, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.OK, RightUser: s => s.SecondRider),
        // Only the trip's rider changes the ride's preferences (ADR 0049), until it ends.
        new("PUT", s => $"/api/trips/{s.SecondTripId}/preferences", _ => new { conversation = "quiet", helpWithBags = true, temperature = "cooler" }, Owner.Rider,
            OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.OK, RightUser: s => s.SecondRider),
        // Only the trip's rider moves the pickup (ADR 0046); with the driver waiting there it no longer moves (409 saying so).
        new("POST", s => $"/api/trips/{s.SecondTripId}/pickup", s => new { location = new { lat = s.City.Lat, lng = s.City.Lng + 0.001 } }, Owner.Rider, OtherSameRole: HttpStatusCode.NotFound,
            Right: HttpStatusCode.Conflict, RightUser: s => s.SecondRider),
        // Only the trip's rider moves it to another card (ADR 0032); this rider has no card of that id (400 saying so).
        new("POST", s => $"/api/trips/{s.SecondTripId}/card", _ => new { cardId = "card_walk" }, Owner.Rider, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.BadRequest, RightUser: s => s.SecondRider),
        new("POST", s => $"/api/trips/{s.SecondTripId}/start", s => new { pin = s.SecondTripPin }, Owner.Driver, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.OK, Prepare: s => s.ReadSecondTripPinAsync()),
        // After the rows that answer an offer (it has a deadline: rows that need none come after them).
        // "Pets welcome" (ADR 0041): a driver's own setting; one who never went online has none to change.
        new("PUT", _ => "/api/drivers/me/pets-welcome", _ => new { welcome = true }, Owner.Driver, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.OK),
        // "Accept cash rides" (ADR 0042): a driver's own setting, like pets welcome.
        new("PUT", _ => "/api/drivers/me/cash", _ => new { accept = false }, Owner.Driver, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.OK),
        // A driver's own quests (ADR 0038): every driver reads theirs, a rider none.
        new("GET", _ => "/api/trips/quests", _ => null, Owner.Driver, OtherSameRole: HttpStatusCode.OK /* acts on themselves */, Right: HttpStatusCode.OK),
        // Split fare (ADR 0040), while the second ride is under way: only its rider asks (the gateway finds the first rider by
        // email), only the invitee answers (declining here), and a declined invitation is not withdrawn (409); every rider
        // reads their own invitations.
        new("POST", s => $"/api/trips/{s.SecondTripId}/split", s => new { email = s.Rider.Email }, Owner.Rider, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.OK, RightUser: s => s.SecondRider),
        new("POST", s => $"/api/trips/{s.SecondTripId}/split/answer", _ => new { accept = false }, Owner.Rider, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.OK),
        new("DELETE", s => $"/api/trips/{s.SecondTripId}/split/{s.Rider.UserId}", _ => null, Owner.Rider, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.Conflict, RightUser: s => s.SecondRider),
        new("GET", _ => "/api/trips/split-invitations", _ => null, Owner.Rider, OtherSameRole: HttpStatusCode.OK, Right: HttpStatusCode.OK),
        // The trip's rider or driver answers the ride's safety check (ADR 0033); none is open on this short ride: 409.
        new("POST", s => $"/api/trips/{s.SecondTripId}/safety-check", _ => new { answer = "ok" }, Owner.Rider, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.Conflict, OtherRole: HttpStatusCode.NotFound, RightUser: s => s.SecondRider),
        new("POST", s => $"/api/trips/{s.SecondTripId}/complete", _ => new { }, Owner.Driver, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.OK),
        new("POST", s => $"/api/trips/{s.SecondTripId}/rating", _ => new { stars = 5, comment = "walk" }, Owner.Rider, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.OK, OtherRole: HttpStatusCode.NotFound, RightUser: s => s.SecondRider),
        // A lost item (ADR 0035): the trip's rider reports it and closes it, its driver answers and marks it returned;
        // closing one that went back is 409.
        new("POST", s => $"/api/trips/{s.SecondTripId}/lost-item", _ => new { description = "walk", phone = "+4915112345678" }, Owner.Rider, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.OK, RightUser: s => s.SecondRider),
        new("POST", s => $"/api/trips/{s.SecondTripId}/lost-item/answer", _ => new { found = true, note = "walk" }, Owner.Driver, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.OK),
        new("POST", s => $"/api/trips/{s.SecondTripId}/lost-item/returned", _ => new { }, Owner.Driver, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.OK),
        new("POST", s => $"/api/trips/{s.SecondTripId}/lost-item/pay", _ => new { }, Owner.Rider, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.Conflict, RightUser: s => s.SecondRider),
        new("POST", s => $"/api/trips/{s.SecondTripId}/lost-item/close", _ => new { }, Owner.Rider, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.Conflict, RightUser: s => s.SecondRider),
        // Only the trip's rider switches a completed ride between personal and business (ADR 0034).
        new("PUT", s => $"/api/trips/{s.SecondTripId}/profile", _ => new { profile = "business", expenseMemo = "walk" }, Owner.Rider, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.OK, RightUser: s => s.SecondRider),
        // A rider's own business rides (none here): every rider gets theirs, a driver none (ADR 0034).
        new("GET", _ => "/api/trips/business-report", _ => null, Owner.Rider, OtherSameRole: HttpStatusCode.OK, Right: HttpStatusCode.OK),
        // Online 30 km away: the first trip's cancellation reaches dispatch through Kafka, and until it has, a driver going
        // online near it could still be offered it (and an offered driver cannot go offline in the next row).
        new("POST", _ => "/api/drivers/me/online", s => new { vehicleClass = "economy", location = new { lat = s.City.Offset(30_000, 0).Lat, lng = s.City.Lng } }, Owner.Driver, OtherSameRole: HttpStatusCode.OK, Right: HttpStatusCode.OK, Prepare: s => s.EndFirstTripAsync()),
        new("POST", _ => "/api/drivers/me/offline", _ => new { }, Owner.Driver, OtherSameRole: HttpStatusCode.OK, Right: HttpStatusCode.OK, Prepare: s => s.WaitForDriverReleasedAsync()),
        // Repeating rides (ADR 0043): every rider makes and reads their own, a driver none; only its rider pauses, resumes
        // or deletes one.
        new("POST", _ => "/api/trips/schedules", s => s.ScheduleBody, Owner.Rider, OtherSameRole: HttpStatusCode.OK, Right: HttpStatusCode.OK),
        new("GET", _ => "/api/trips/schedules", _ => null, Owner.Rider, OtherSameRole: HttpStatusCode.OK, Right: HttpStatusCode.OK),
        // A rider's own PIN setting (ADR 0044); "always" is what every rider has until they choose, so later rows ride as before.
        new("GET", _ => "/api/trips/pin-verification", _ => null, Owner.Rider, OtherSameRole: HttpStatusCode.OK, Right: HttpStatusCode.OK),
        new("PUT", _ => "/api/trips/pin-verification", _ => new { mode = "always", timeZone = "Europe/Rome" }, Owner.Rider, OtherSameRole: HttpStatusCode.OK, Right: HttpStatusCode.OK),
        // A rider's own ride preferences (ADR 0049).
        new("GET", _ => "/api/trips/ride-preferences", _ => null, Owner.Rider, OtherSameRole: HttpStatusCode.OK, Right: HttpStatusCode.OK),
        new("PUT", _ => "/api/trips/ride-preferences", _ => new { conversation = "chat", helpWithBags = false, temperature = "none" }, Owner.Rider, OtherSameRole: HttpStatusCode.OK, Right: HttpStatusCode.OK),
        new("POST", s => $"/api/trips/schedules/{s.ScheduleId}/pause", _ => new { }, Owner.Rider, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.OK, Prepare: s => s.MakeScheduleAsync()),
        new("POST", s => $"/api/trips/schedules/{s.ScheduleId}/resume", _ => new { }, Owner.Rider, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.OK),
        new("POST", s => $"/api/trips/schedules/{s.ScheduleId}/skip", s => new { pickupAt = s.ScheduleNextPickupAt }, Owner.Rider, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.OK,
            Prepare: s => s.ReadScheduleNextPickupAsync()),
        new("PUT", s => $"/api/trips/schedules/{s.ScheduleId}/ends-on", _ => new { endsOn = "" }, Owner.Rider, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.OK),
        new("DELETE", s => $"/api/trips/schedules/{s.ScheduleId}", _ => null, Owner.Rider, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.OK),
        // Where you're signed in (ADR 0048): everyone lists their own sessions; only its owner ends one (the rider's
        // second sign-in here, so the rider's own token lives on), anyone else is told it does not exist.
        new("GET", _ => "/api/auth/me/sessions", _ => null, Owner.Rider, OtherSameRole: HttpStatusCode.OK, Right: HttpStatusCode.OK, OtherRole: HttpStatusCode.OK),
        new("DELETE", s => $"/api/auth/me/sessions/{s.RiderOtherSessionId}", _ => null, Owner.Rider, OtherSameRole: HttpStatusCode.NotFound, Right: HttpStatusCode.NoContent,
            OtherRole: HttpStatusCode.NotFound, Prepare: s => s.SignInRiderElsewhereAsync()),
        // 2-step verification (ADR 0052): everyone acts on their own account. New recovery codes ask for the password again
        // (the rider's here: anyone else's account refuses it, 401) and need 2-step verification on (the rider's is off: 409).
        new("POST", _ => "/api/auth/me/two-step/recovery-codes", s => new { password = s.Rider.Password, code = "123456" }, Owner.Rider,
            OtherSameRole: HttpStatusCode.Unauthorized, Right: HttpStatusCode.Conflict, OtherRole: HttpStatusCode.Unauthorized),
        new("DELETE", _ => "/api/auth/me/two-step/remembered-browsers", _ => null, Owner.Rider, OtherSameRole: HttpStatusCode.OK, Right: HttpStatusCode.OK, OtherRole: HttpStatusCode.OK),
        // Rides for later near a driver (ADR 0047): every approved driver lists them and their own reservations, a rider none.
        new("GET", s => $"/api/trips/reservable?lat={s.City.Lat.ToString(System.Globalization.CultureInfo.InvariantCulture)}&lng={s.City.Lng.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            _ => null, Owner.Driver, OtherSameRole: HttpStatusCode.OK, Right: HttpStatusCode.OK, Prepare: s => s.BookLaterTripAsync()),
        new("GET", _ => "/api/trips/reservations", _ => null, Owner.Driver, OtherSameRole: HttpStatusCode.OK, Right: HttpStatusCode.OK),
        // First come: the other driver (walked first) reserves the ride, so the scenario's driver is refused (409 saying so).
        new("POST", s => $"/api/trips/{s.LaterTripId}/reservation", _ => new { }, Owner.Driver, OtherSameRole: HttpStatusCode.OK, Right: HttpStatusCode.Conflict),
        // Only the reserving driver (here the other one) releases it; to the scenario's driver it is not theirs (404).
        new("POST", s => $"/api/trips/{s.LaterTripId}/reservation/release", _ => new { }, Owner.Driver, OtherSameRole: HttpStatusCode.OK, Right: HttpStatusCode.NotFound),
        // A driver's reservations record is support's (ADR 0050): the driver themselves neither reads it there nor removes a strike.
        new("GET", s => $"/api/trips/ops/drivers/{s.Driver.UserId}/reservations", _ => null, Owner.Driver, OtherSameRole: HttpStatusCode.Forbidden, Right: HttpStatusCode.Forbidden),
        new("GET", s => $"/api/trips/ops/drivers/{s.Driver.UserId}/rating", _ => null, Owner.Driver, OtherSameRole: HttpStatusCode.Forbidden, Right: HttpStatusCode.Forbidden),
        new("POST", s => $"/api/trips/ops/drivers/{s.Driver.UserId}/reservations/strikes/remove", s => new { tripId = s.LaterTripId, reason = "walk" }, Owner.Driver,
            OtherSameRole: HttpStatusCode.Forbidden, Right: HttpStatusCode.Forbidden),
        // Waiving what a rider owes, and approving or declining a colleague's waiver, is support's (ADR 0053): not the rider's own, nor a driver's.
        new("POST", s => $"/api/trips/{s.TripId}/payment/waive", _ => new { reason = "walk" }, Owner.Rider, OtherSameRole: HttpStatusCode.Forbidden, Right: HttpStatusCode.Forbidden),
        new("POST", s => $"/api/trips/{s.TripId}/payment/waive/approve", _ => new { }, Owner.Rider, OtherSameRole: HttpStatusCode.Forbidden, Right: HttpStatusCode.Forbidden),
        new("POST", s => $"/api/trips/{s.TripId}/payment/waive/decline", _ => new { reason = "walk" }, Owner.Rider, OtherSameRole: HttpStatusCode.Forbidden, Right: HttpStatusCode.Forbidden),
        // A rider's rating standing is support's to read and to reinstate (ADR 0056): not the rider's own there (they read it at ratings/me), nor a driver's.
        new("GET", s => $"/api/trips/ops/riders/{s.Rider.UserId}/rating", _ => null, Owner.Rider, OtherSameRole: HttpStatusCode.Forbidden, Right: HttpStatusCode.Forbidden),
        new("POST", s => $"/api/trips/ops/riders/{s.Rider.UserId}/rating/reinstate", _ => new { reason = "walk" }, Owner.Rider, OtherSameRole: HttpStatusCode.Forbidden,
            Right: HttpStatusCode.Forbidden),
        // The waivers awaiting a colleague's approval (ADR 0053): the desk's list, never a rider's or a driver's.
        new("GET", _ => "/api/trips/waivers/awaiting", _ => null, Owner.Rider, OtherSameRole: HttpStatusCode.Forbidden, Right: HttpStatusCode.Forbidden),
        // The support accounts' names (ADR 0054): the desk's only, never a rider's or a driver's.
        new("GET", _ => "/api/ops/operators", _ => null, Owner.Rider, OtherSameRole: HttpStatusCode.Forbidden, Right: HttpStatusCode.Forbidden),
    ];

    [Fact]
    public async Task Every_route_answers_each_kind_of_caller_as_its_owner_decides()
    {
        var scenario = await Scenario.StartAsync(stack.Client());
        var failures = new List<string>();

        foreach (var route in Routes)
        {
            if (route.Prepare is not null) await route.Prepare(scenario);
            var otherRole = route.OtherRole ?? HttpStatusCode.Forbidden;
            var otherRider = route.Owner == Owner.Rider ? route.OtherSameRole : otherRole;
            var otherDriver = route.Owner == Owner.Driver ? route.OtherSameRole : otherRole;
            var right = route.RightUser?.Invoke(scenario) ?? (route.Owner == Owner.Rider ? scenario.Rider : scenario.Driver);

            await CheckAsync(scenario, route, "anonymous", null, HttpStatusCode.Unauthorized, failures);
            await CheckAsync(scenario, route, "another rider", scenario.OtherRider, otherRider, failures);
            await CheckAsync(scenario, route, "another driver", scenario.OtherDriver, otherDriver, failures);
            await CheckAsync(scenario, route, "the right user", right, route.Right, failures);
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static async Task CheckAsync(Scenario scenario, RouteCase route, string who, UserSession? caller, HttpStatusCode expected, List<string> failures)
    {
        var path = route.Path(scenario);
        var body = route.Body(scenario);
        var request = new HttpRequestMessage(new HttpMethod(route.Method), path) { Content = body is null ? null : JsonContent.Create(body) };
        if (caller is not null) request.Headers.Authorization = new("Bearer", caller.Token);
        using var response = await scenario.Client.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        if (response.StatusCode != expected)
        {
            failures.Add($"{route.Method} {path} as {who}: expected {(int)expected}, got {(int)response.StatusCode} {text}");
        }
        else if ((int)response.StatusCode >= 400)
        {
            var type = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                ? JsonNode.Parse(text)?["type"]?.GetValue<string>()
                : null;
            if (type is null || !type.StartsWith("https://uberclone.dev/problems/", StringComparison.Ordinal))
            {
                failures.Add($"{route.Method} {path} as {who}: {(int)response.StatusCode} is not a problem+json with a stable type: {text}");
            }
        }
    }

    private sealed class Scenario
    {
        public static readonly Scenario Placeholder = new() { TripId = "{tripId}", SecondTripId = "{tripId}", QuoteId = "{quoteId}", ScheduleId = "{scheduleId}", RiderOtherSessionId = "{sessionId}", LaterTripId = "{tripId}" };

        public PlatformClient Client { get; private init; } = null!;
        public UserSession Rider { get; private init; } = null!;
        public UserSession Driver { get; private init; } = null!;
        public UserSession OtherRider { get; private init; } = null!;
        public UserSession OtherDriver { get; private init; } = null!;
        public Point City { get; private init; } = new(0, 0);
        public string QuoteId { get; private init; } = "";
        public string TripId { get; private init; } = "";
        public string SecondTripId { get; private set; } = "";
        public string SecondTripPin { get; private set; } = "";
        public UserSession SecondRider { get; private set; } = null!;
        public string ScheduleId { get; private set; } = "";
        public string ScheduleNextPickupAt { get; private set; } = "";
        /// <summary>The rider's second session (another sign-in), which the walk ends.</summary>
        public string RiderOtherSessionId { get; private set; } = "";

        public async Task SignInRiderElsewhereAsync()
        {
            var signedIn = await PlatformClient.ReadAsync(await Client.Http.PostAsJsonAsync("/api/auth/signin", new { email = Rider.Email, password = Rider.Password }));
            var elsewhere = new UserSession(Client, Rider.UserId, Rider.Role, signedIn.Str("accessToken"));
            var sessions = (await elsewhere.GetOkAsync("/api/auth/me/sessions"))["sessions"]!.AsArray();
            RiderOtherSessionId = sessions.Single(s => s!["current"]!.GetValue<bool>())!.Str("id");
        }

        /// <summary>A ride the rider booked for tomorrow, for the rows of drivers' reservations (ADR 0047).</summary>
        public string LaterTripId { get; private set; } = "";
        public object ScheduleBody => new
        {
            days = new[] { "saturday" }, pickupTime = "03:00", timeZone = "UTC", pickup = new { lat = City.Lat, lng = City.Lng },
            dropoff = new { lat = City.Offset(2_000, 0).Lat, lng = City.Lng }, vehicleClass = "economy",
        };
        public object QuoteBody => new { pickup = new { lat = City.Lat, lng = City.Lng }, dropoff = new { lat = City.Offset(2_000, 0).Lat, lng = City.Lng } };
        private RealtimeClient _driverSocket = null!;

        /// <summary>A driver online in a city of its own, and a rider whose trip has been offered to that driver.</summary>
        public static async Task<Scenario> StartAsync(PlatformClient client)
        {
            var city = Point.FreshCity();
            var driver = await client.SignInAsync("driver", "Walk driver");
            var rider = await client.SignInAsync("rider", "Walk rider");
            var otherRider = await client.SignInAsync("rider", "Other rider");
            var otherDriver = await client.SignInAsync("driver", "Other driver");
            var socket = await driver.ConnectAsync();
            await driver.GoOnlineAsync(city.Offset(200, 0));
            var quote = await rider.PostOkAsync("/api/trips/quotes", new { pickup = new { lat = city.Lat, lng = city.Lng }, dropoff = new { lat = city.Offset(2_000, 0).Lat, lng = city.Lng } });
            var trip = await rider.PostOkAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy" });
            await socket.WaitForAsync("offer", m => m["data"].Str("tripId") == trip.Str("tripId"));
            return new Scenario
            {
                Client = client,
                City = city,
                Driver = driver,
                Rider = rider,
                OtherRider = otherRider,
                OtherDriver = otherDriver,
                QuoteId = quote.Str("quoteId"),
                TripId = trip.Str("tripId"),
                _driverSocket = socket,
            };
        }

        /// <summary>The first offer was declined; a second rider's trip is offered to the same driver for the accept row.</summary>
        public async Task OfferSecondTripAsync()
        {
            SecondRider = await Client.SignInAsync("rider", "Second rider");
            var trip = await SecondRider.RequestTripAsync(City, City.Offset(0, 2_500));
            SecondTripId = trip.Str("tripId");
            await _driverSocket.WaitForAsync("offer", m => m["data"].Str("tripId") == SecondTripId);
        }

        /// <summary>Accepting is recorded by drivers at once and reaches trips through Kafka: wait until trips has it.</summary>
        public Task WaitForSecondTripAssignedAsync() =>
            Eventually.Async(async () => (await Driver.GetAsync($"/api/trips/{SecondTripId}")).IsSuccessStatusCode, "the second trip is assigned to the driver");

        /// <summary>Completion frees the driver in drivers through Kafka (trip.event.completed): wait until it has.</summary>
        public Task WaitForDriverReleasedAsync() =>
            Eventually.Async(async () => (await Driver.GetOkAsync("/api/drivers/me")).Str("state") == "available", "the driver is available again");

        /// <summary>
        /// The first trip is still searching (its driver declined): the rider cancels it, or dispatch would offer it to
        /// the other driver as soon as they go online in this city, and an offered driver cannot go offline.
        /// </summary>
        public async Task EndFirstTripAsync()
        {
            using var cancel = await Rider.PostAsync($"/api/trips/{TripId}/cancel", new { reason = "walk done" });
            var status = (await Rider.GetOkAsync($"/api/trips/{TripId}")).Str("status");
            Assert.True(status is "cancelled" or "no_drivers_found", $"the first trip should have ended, it is {status} ({(int)cancel.StatusCode} on cancel)");
        }

        /// <summary>The rider books a ride for tomorrow, which drivers may reserve (ADR 0047).</summary>
        public async Task BookLaterTripAsync()
        {
            var quote = await Rider.PostOkAsync("/api/trips/quotes", QuoteBody);
            LaterTripId = (await Rider.PostOkAsync("/api/trips", new { quoteId = quote.Str("quoteId"), vehicleClass = "economy", scheduledFor = DateTimeOffset.UtcNow.AddDays(1) })).Str("tripId");
        }

        /// <summary>A repeating ride of the rider's, for the rows that change one.</summary>
        public async Task MakeScheduleAsync() => ScheduleId = (await Rider.PostOkAsync("/api/trips/schedules", ScheduleBody)).Str("id");

        /// <summary>The schedule's next ride as its rider's app shows it (what skipping names).</summary>
        public async Task ReadScheduleNextPickupAsync() =>
            ScheduleNextPickupAt = (await Rider.GetOkAsync("/api/trips/schedules"))["schedules"]!.AsArray().Single(x => x!.Str("id") == ScheduleId)!.Str("nextPickupAt");

        /// <summary>The second trip's start code, which only its rider sees once a driver is assigned.</summary>
        public async Task ReadSecondTripPinAsync()
        {
            await Eventually.Async(async () => (await SecondRider.GetOkAsync($"/api/trips/{SecondTripId}"))["pin"]?.GetValue<string>() is { Length: 4 },
                "the second trip has a PIN");
            SecondTripPin = (await SecondRider.GetOkAsync($"/api/trips/{SecondTripId}")).Str("pin");
        }
    }
}
