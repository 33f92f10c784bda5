using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace UberClone.Gateway.OpenApi;

/// <summary>
/// /openapi/v1.json: the gateway's own endpoints (described from their minimal API metadata) plus the routes YARP
/// forwards to the services, which the gateway cannot discover and are listed here by hand. /scalar in Development.
/// </summary>
public static class GatewayOpenApi
{
    private sealed record ProxiedRoute(string Method, string Path, string Tag, string Summary, bool Anonymous = false, bool Idempotent = false);

    /// <summary>One line per route forwarded to a service (keep in step with the services' google.api.http options).</summary>
    private static readonly ProxiedRoute[] Proxied =
    [
        new("POST", "/api/trips/quotes", "Trips", "Price a ride from pickup to drop-off for every vehicle class (rider)"),
        new("POST", "/api/trips", "Trips", "Book a trip from a quote (rider); holds the upfront price on a saved card (400 when the bank declines it); wheelchairAccessible: true where the quote offers it (ADR 0045, 400 elsewhere); 403 rider-rating-too-low with `{average, rated, restrictBelow}` while the rider's rating has them restricted (ADR 0056); honours Idempotency-Key", Idempotent: true),
        new("GET", "/api/trips/active", "Trips", "The caller's unfinished trip (rider or driver); 404 when none"),
        new("GET", "/api/trips/schedules", "Trips", "The rider's repeating rides (ADR 0043), oldest first: weekdays, local pickup time and zone, what each books, the next ride and when it is booked, how the last one went (rider)"),
        new("POST", "/api/trips/schedules", "Trips", "Add a repeating ride {days: [monday…sunday], pickupTime: HH:mm, timeZone, pickup, dropoff, pickupLabel?, dropoffLabel?, vehicleClass, cardId?, pickupNote?, withPet?, wheelchairAccessible?, profile?, expenseMemo?, endsOn?}: each occurrence is booked as a ride for later a day before it, at the price then; at most 5 (rider)"),
        new("POST", "/api/trips/schedules/{scheduleId}/pause", "Trips", "Stop booking a repeating ride's occurrences; rides already booked stay (its rider)"),
        new("POST", "/api/trips/schedules/{scheduleId}/resume", "Trips", "Book a paused repeating ride again, from its next occurrence at least 30 minutes ahead (its rider)"),
        new("POST", "/api/trips/schedules/{scheduleId}/skip", "Trips", "Skip a repeating ride's next ride, named by its pickupAt (a holiday); the one after it is booked instead (its rider)"),
        new("PUT", "/api/trips/schedules/{scheduleId}/ends-on", "Trips", "Set {endsOn: yyyy-MM-dd} or clear {endsOn: \"\"} the last day a repeating ride books a ride for, in its time zone; past it the schedule has ended; rides booked for after it stay booked, named in bookedPastEnd (its rider)"),
        new("DELETE", "/api/trips/schedules/{scheduleId}", "Trips", "Delete a repeating ride; rides it booked stay booked (its rider)"),
        new("GET", "/api/trips/pin-verification", "Trips", "The rider's \"Verify my rides with a PIN\" (ADR 0044): {mode: off | always | night, timeZone}; always until they chose (rider)"),
        new("PUT", "/api/trips/pin-verification", "Trips", "Set it {mode, timeZone (IANA, required for night: pickups 21:00–06:00 there)}; rides booked from then on follow it (rider)"),
        new("GET", "/api/trips/ride-preferences", "Trips", "The rider's ride preferences (ADR 0049): {conversation: none | quiet | chat, helpWithBags, temperature: none | cooler | warmer}; none until they chose (rider)"),
        new("PUT", "/api/trips/ride-preferences", "Trips", "Set them (400 naming conversation or temperature); rides booked from then on copy them, those booked keep theirs (rider)"),
        new("GET", "/api/trips/scheduled", "Trips", "The rider's rides booked for later that have not started looking for a driver yet, soonest first (rider)"),
        new("GET", "/api/trips/reservable", "Trips", "Rides for later near you (ADR 0047): rides booked for later nobody reserved, within 15 km of ?lat=&lng= or your last position, of your approved classes, that your car and settings take (pets, cash, wheelchair); pickup and drop-off areas, pickup time, what you would earn; &order=pickup|newest, &limit=1-50 (approved driver); with reservingPausedUntil, reservingPausedReason and strikes (ADR 0050)"),
        new("GET", "/api/trips/reservations", "Trips", "The rides for later you reserved that wait for their time, soonest first, with the pickup, the note and until when you may release them (driver); with reservingPausedUntil, reservingPausedReason and strikes (ADR 0050)"),
        new("POST", "/api/trips/{tripId}/reservation", "Trips", "Reserve a ride booked for later: first come (409 when another driver has it), at most 3 upcoming and none within an hour of another's pickup (409 saying so); the rider is told (approved driver); 409 while reserving is paused after 2 strikes in 30 days, saying until when (ADR 0050)"),
        new("POST", "/api/trips/{tripId}/reservation/release", "Trips", "Release a reservation {reason?} until an hour before the pickup (409 after); support at any time while the ride waits, reason required (the reserving driver, support)"),
        new("POST", "/api/trips/{tripId}/reschedule", "Trips", "Move a ride booked for later to another pickup time {scheduledFor}, the price agreed, until its search starts (the trip's rider)"),
        new("GET", "/api/trips/ratings/me", "Trips", "The caller's own rating: average and count (rider or driver); a driver's also `{standing, windowAverage, rated, warnBelow, deactivateBelow, minimumRated}` (ADR 0055), a rider's `{standing, windowAverage, rated, warnBelow, restrictBelow, minimumRated}` (ADR 0056)"),
        new("GET", "/api/trips/{tripId}", "Trips", "A trip of the caller's; 404 for anyone else's"),
        new("GET", "/api/trips", "Trips", "The caller's trip history (rider or driver); a rider's also has splitRides, the rides whose fare they paid a share of (ADR 0040)"),
        new("GET", "/api/trips/earnings", "Trips", "What the driver earned from `from` until before `to` (ISO 8601 instants with offset, at most 31 days apart), with a total per currency (driver)"),
        new("POST", "/api/trips/{tripId}/arrive", "Trips", "Arrived at pickup, within the threshold (assigned driver)"),
        new("POST", "/api/trips/{tripId}/start", "Trips", "Start {pin}: the rider's 4-digit PIN when the trip's pinRequired (400 naming pin without it, 400 when wrong; 429 with Retry-After from the 5th wrong one, 60 s after each; ADR 0044), nothing otherwise (assigned driver)"),
        new("POST", "/api/trips/{tripId}/no-show", "Trips", "The rider did not come after the wait: cancelled, the rider pays the cancellation fee and the driver earns it (assigned driver)"),
        new("POST", "/api/trips/{tripId}/stops/{index}/reached", "Trips", "At stop {index} (0-based, within 100 m, in order) while riding; a repeat changes nothing (assigned driver)"),
        new("POST", "/api/trips/{tripId}/complete", "Trips", "Complete; the fare becomes final and payment starts (assigned driver)"),
        new("POST", "/api/trips/{tripId}/cancel", "Trips", "Cancel, with the fee policy (the trip's rider or driver)"),
        new("POST", "/api/trips/{tripId}/destination/quote", "Trips", "What the trip would cost ending at another drop-off, while a driver is on the way or riding (the trip's rider); nothing changes"),
        new("POST", "/api/trips/{tripId}/destination", "Trips", "Change the drop-off for the fare priced now; 409 when that is more than maxFareMinor (the trip's rider)"),
        new("POST", "/api/trips/{tripId}/card", "Trips", "Pay the ride with another saved card {cardId} until it ends: the hold moves to it first; 400 when its bank declines (nothing changed), 409 while the bank is still answering for the hold (the trip's rider)"),
        new("DELETE", "/api/trips/{tripId}/split/{inviteeId}", "Trips", "Withdraw an invitation to split the fare not answered yet; 409 once answered or the ride ended (the trip's rider)"),
        new("GET", "/api/trips/split-invitations", "Trips", "The rides whose fare the caller was asked to split, newest first: who asked, the ride, their answer and share (riders)"),
        new("POST", "/api/trips/{tripId}/split/answer", "Trips", "Accept {accept: true, cardId} (one of the caller's saved cards) or decline splitting the fare while the ride is under way; 409 after (the invitee)"),
        new("PUT", "/api/trips/{tripId}/profile", "Trips", "Switch a completed ride between {profile} personal and business (with {expenseMemo}) for 30 days after it ended; 409 otherwise (the trip's rider)"),
        new("POST", "/api/trips/{tripId}/pickup", "Trips", "Move the pickup a little while the driver comes (the other entrance): at most 400 m from where it was booked, 3 times, the fare as agreed (its rider)"),
        new("PUT", "/api/trips/{tripId}/preferences", "Trips", "Change the ride's preferences {conversation, helpWithBags, temperature} until it ends (\"Quiet ride\"); the driver is told at once; 409 once it ended (the trip's rider)"),
        new("PUT", "/api/trips/{tripId}/pickup-note", "Trips", "Change the note for the driver {note} (empty removes it) while the driver is on the way or waiting; 409 otherwise (the trip's rider)"),
        new("POST", "/api/trips/{tripId}/share", "Trips", "Share a trip under way: its shareToken, for the anonymous /api/shared-trips/{token} (the trip's rider)"),
        new("DELETE", "/api/trips/{tripId}/share", "Trips", "Stop sharing: the link shows nothing from now on (the trip's rider)"),
        new("POST", "/api/trips/{tripId}/messages", "Trips", "Write to the other side {text, clientMessageId} while the driver is on the way or riding (the trip's rider or driver)"),
        new("GET", "/api/trips/{tripId}/messages", "Trips", "The trip's messages, oldest first (its rider and assigned driver)"),
        new("POST", "/api/trips/{tripId}/help", "Help", "Ask support about a trip (its rider or driver); adds to their request about it that is not closed"),
        new("POST", "/api/trips/{tripId}/lost-item", "Trips", "Report an item left in the car on a completed ride (within 30 days) {description, phone}; told the return fee; 409 while one is open (the trip's rider)"),
        new("POST", "/api/trips/{tripId}/lost-item/answer", "Trips", "Answer the rider's lost-item report {found, note: where and when to hand it back}; 409 when none waits (the trip's driver)"),
        new("POST", "/api/trips/{tripId}/lost-item/returned", "Trips", "The item was handed back: the rider is charged the return fee, all of it the driver's; 409 unless found (the trip's driver)"),
        new("POST", "/api/trips/{tripId}/lost-item/pay", "Trips", "Pay again a return fee whose payment failed: a card saved meanwhile or a payment link; 409 unless it failed (the trip's rider)"),
        new("POST", "/api/trips/{tripId}/lost-item/close", "Trips", "Close the open lost-item report (got it another way, no longer needed); 409 when none is open (the trip's rider)"),
        new("POST", "/api/trips/{tripId}/safety-check", "Help", "RideCheck: answer the ride's open safety check {answer: ok | help}; help alerts support as the emergency button does; 409 when none is open (the trip's rider or driver)"),
        new("POST", "/api/trips/{tripId}/emergency", "Help", "The emergency button: alert support, first in its queue, with where the caller and the car are (the trip's rider or driver, while under way)"),
        new("GET", "/api/trips/{tripId}/help", "Help", "The caller's help requests about a trip (support: all of them)"),
        new("GET", "/api/trips/help", "Help", "The caller's help requests; support: ?status=waiting (default, longest waiting first) | answered | closed, or ?userId= (one user's)"),
        new("GET", "/api/trips/help/{requestId}", "Help", "A help request (its owner or support)"),
        new("POST", "/api/trips/help/{requestId}/messages", "Help", "Write to a help request (its owner, or support answering)"),
        new("POST", "/api/trips/help/{requestId}/close", "Help", "Close a help request (its owner or support)"),
        new("GET", "/api/ops/users/{userId}/promotions", "Promotions", "A rider's promotions (support)"),
        new("POST", "/api/ops/users/{userId}/promotions", "Promotions", "Give a rider a promotion support created: `{code}` (support)"),
        new("GET", "/api/trips/surge", "Trips", "Where rides surge now near `lat`,`lng`: the surge grid's squares with their multipliers (drivers' map)"),
        new("GET", "/api/trips/promotions", "Promotions", "The promotions the rider added, with the rides each has left (rider)"),
        new("POST", "/api/trips/promotions", "Promotions", "Add a promotion code: `{code}`; 404 unknown, 400 ended, expired, full or for newcomers (rider)"),
        new("GET", "/api/trips/promotions/invite", "Promotions", "The rider's invite code for friends, what it gives them and what the rider gets when one rides (rider)"),
        new("POST", "/api/trips/ops/promotions", "Promotions", "Create a promotion: `{code, percentOff | amountOffMinor, maxDiscountMinor, currency, ridesPerRider, expiresAt, maxRiders, newRidersOnly}` (support)"),
        new("GET", "/api/trips/ops/promotions", "Promotions", "Every promotion, newest first (support)"),
        new("POST", "/api/trips/ops/promotions/{code}/end", "Promotions", "End a promotion: nobody adds it from now on (support)"),
        new("GET", "/api/trips/quests", "Quests", "The quests running now and those ended in the last week, each with the driver's rides done of its target and whether its bonus was earned; `?lat=&lng=` (where the driver is) leaves other cities' quests out, and quests only of classes the driver is not approved for are left out too, unless they made progress on them (driver)"),
        new("GET", "/api/trips/ops/drivers/{driverId}/rating", "Trips", "A driver's rating and their standing over their recent rated trips: `{average, count, standing, windowAverage, rated, warnBelow, deactivateBelow, minimumRated}` (support; ADR 0055)"),
        new("GET", "/api/trips/ops/riders/{riderId}/rating", "Trips", "A rider's rating and their standing over their recent rated trips: `{average, count, standing (good, warned, restricted), windowAverage, rated, warnBelow, restrictBelow, minimumRated}` (support; ADR 0056)"),
        new("POST", "/api/trips/ops/riders/{riderId}/rating/reinstate", "Trips", "Reinstate a rider their rating restricted: `{reason}` (required, ≤ 500 characters); they start afresh, judged again from new ratings, and book again at once; 409 when not restricted (support; ADR 0056)"),
        new("GET", "/api/trips/ops/drivers/{driverId}/reservations", "Trips", "A driver's reserved rides as they see them (ADR 0047), their strikes in 30 days and until when reserving is paused (ADR 0050) (support)"),
        new("POST", "/api/trips/ops/drivers/{driverId}/reservations/strikes/remove", "Trips", "Remove a driver's reservation strike: `{tripId, reason}` (reason required, ≤ 500 characters); kept as removed, a pause it made lifts when the strikes left are under the limit, the driver is told; again: 200, nothing changes; 404 no such strike (support; ADR 0050)"),
        new("GET", "/api/trips/ops/riders/{riderId}/schedules", "Trips", "A rider's repeating rides (ADR 0043) as the rider reads them: days, time, route, the next ride, how the last one went (support)"),
        new("POST", "/api/trips/ops/quests", "Quests", "Create a driver quest: `{name, startsAt, endsAt, target, bonusMinor, currency, area?: {lat, lng, radiusKm}, vehicleClasses?}`; 400 naming the field (support)"),
        new("GET", "/api/trips/ops/quests", "Quests", "Every quest, newest first, with how many drivers reached each (support)"),
        new("POST", "/api/trips/ops/quests/{questId}/end", "Quests", "End a quest early: rides completed from now on do not count, bonuses earned stay (support)"),
        new("POST", "/api/trips/{tripId}/rating", "Trips", "Rate the other side of a completed trip (its rider or driver)"),
        new("POST", "/api/trips/{tripId}/tip", "Trips", "Tip the driver of a completed trip before paying, once; the amount due grows by it (rider)"),
        new("POST", "/api/trips/{tripId}/payment/retry", "Trips", "Retry a failed payment (the trip's rider); honours Idempotency-Key", Idempotent: true),
        new("POST", "/api/trips/{tripId}/payment/waive", "Trips", "Waive what the rider owes after its payment failed: `{reason, amountMinor?, owedMinor?}` (reason required, ≤ 500 characters; amountMinor: only that part, the rider owing the rest, 400 when not above 0, above what is owed or part of a lost item's return fee; owedMinor: what support saw owed, fare and return fee together in minor units, required with amountMinor (400 naming it), optional without; 409 `owed-changed` with fields `owedMinor` and `currency` (what is owed now) when the rider owes another amount, e.g. a part sent again without its Idempotency-Key after it was waived: nothing changes); paymentStatus waived, the reminders end, the rider may book again and is told; again: 200, nothing changes; 400 nothing owed or a payment being made; above `Waivers:ApprovalAboveMinor` (or the trip currency's `Waivers:ApprovalAbove:{CURRENCY}`; fare and fee together) nothing is waived yet: 202, the trip's `waiverRequest` awaits a colleague's approval (the same account again: 202, unchanged; another account: 409); honours Idempotency-Key (support; ADR 0053)", Idempotent: true),
        new("POST", "/api/trips/{tripId}/payment/waive/approve", "Trips", "Approve a colleague's waiver awaiting approval: `{askedAt?}` (the `waiverRequest.askedAt` seen; another request awaiting instead: 409); it is waived as `payment/waive` does, the waiver keeping `operatorId` (who asked) and `approvedBy`; 403 for the account that asked; 409 none awaits (declined: says so; the rider paid meanwhile: owes nothing) or approved already by another; 409 `owed-changed` (fields `owedMinor`, `currency`) when the rider owes another amount than when it was asked: decline it and ask again; 409 `waiver-request-lapsed` once `Waivers:RequestLapse` (72 h) passed since it was asked: ask again; again: 200, nothing changes (support; ADR 0053)"),
        new("POST", "/api/trips/{tripId}/payment/waive/decline", "Trips", "Withdraw (the account that asked) or decline (a colleague) a waiver awaiting approval: `{reason?, askedAt?}` (reason ≤ 500 characters, kept in the audit trail; askedAt as for approve); nothing is waived; none awaiting or declined already: 200, unchanged; approved already: 409 (support; ADR 0053)"),
        new("GET", "/api/drivers/nearby", "Drivers", "Available cars and each vehicle class's pickup ETA near ?lat=&lng= (rider); &withPet=true: only drivers who welcome pets (ADR 0041); &wheelchair=true: only wheelchair-accessible vehicles (ADR 0045)"),
        new("GET", "/api/drivers/me", "Drivers", "The driver's state and pending offer (driver)"),
        new("GET", "/api/drivers/me/queue", "Drivers", "The airport queue the driver waits in and their place in it, `{}` when none (driver; ADR 0036)"),
        new("POST", "/api/drivers/me/online", "Drivers", "Go online with a vehicle class and location (driver)"),
        new("POST", "/api/drivers/me/offline", "Drivers", "Go offline (driver)"),
        new("POST", "/api/drivers/me/location", "Drivers", "Report a location (driver); rate limited"),
        new("POST", "/api/drivers/me/destination", "Drivers", "Heading somewhere {destination}: only trips towards it are offered until offline or there (driver, online)"),
        new("DELETE", "/api/drivers/me/destination", "Drivers", "Any trip again (driver)"),
        new("PUT", "/api/drivers/me/pets-welcome", "Drivers", "Pets welcome `{welcome}`: rides with a pet are offered to the driver, or no longer; kept across going offline and online (driver, gone online before; ADR 0041)"),
        new("PUT", "/api/drivers/me/cash", "Drivers", "Accept cash rides `{accept}` (on by default): rides paid in cash are offered to the driver, or no longer; 400 naming `accept` without a boolean (driver, gone online before; ADR 0042)"),
        new("GET", "/api/drivers/{driverId}", "Drivers", "A driver's state as dispatch sees it: why they get offers or not, where they were last (support)"),
        new("POST", "/api/drivers/me/offers/{tripId}/accept", "Drivers", "Accept an offer made to the caller (driver)"),
        new("POST", "/api/drivers/me/offers/{tripId}/decline", "Drivers", "Decline an offer made to the caller (driver)"),
        new("GET", "/api/payments/trips/{tripId}", "Payments", "The payment of one of the caller's trips (rider)"),
        new("GET", "/api/payments/credit", "Payments", "The rider's ride credit (ADR 0051): {balances: [{currency, balanceMinor}], entries: [the 20 newest: id, kind grant | refund, amountMinor, currency, reason, tripId, at]} (rider)"),
        new("GET", "/api/payments/riders/{riderId}/credit", "Payments", "A rider's ride credit, each entry with who added it (support)"),
        new("POST", "/api/payments/riders/{riderId}/credit", "Payments", "Give a rider ride credit {amountMinor (at most Credit:MaxGrantMinor), currency? (Credit:Currency), reason, grantId?}; 400 naming the field; the same grantId adds nothing again; the rider is told and mailed (support)", Idempotent: true),
        new("POST", "/api/payments/webhooks/stripe", "Payments", "Payment provider webhook (public: the provider's signature is verified by payments)", Anonymous: true),
        new("GET", "/checkout/{sessionId}", "Payments", "Sandbox checkout page (public: the session id is the capability)", Anonymous: true),
    ];

    public static void AddGatewayOpenApi(this IHostApplicationBuilder builder) =>
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo { Title = "UberClone public API", Version = "v1", Description = "Everything under /api goes through the gateway. Errors are application/problem+json." };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "Access token from /api/auth/signin or /api/auth/signup. The WebSocket /ws takes it as the subprotocol access_token.{token} (with uberclone), as ?access_token= or in this header.",
            };
            foreach (var route in Proxied) Add(document, route);
            return Task.CompletedTask;
        }));

    public static void MapGatewayOpenApi(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference().AllowAnonymous();
        }
    }

    private static void Add(OpenApiDocument document, ProxiedRoute route)
    {
        document.Paths ??= new OpenApiPaths();
        if (!document.Paths.TryGetValue(route.Path, out var existing) || existing is not OpenApiPathItem item)
        {
            item = new OpenApiPathItem();
            document.Paths[route.Path] = item;
        }
        var operation = new OpenApiOperation
        {
            Summary = route.Summary,
            Tags = new HashSet<OpenApiTagReference> { new(route.Tag, document) },
            Parameters = [],
            Responses = new OpenApiResponses
            {
                ["200"] = new OpenApiResponse { Description = "OK (JSON, camelCase fields of the service's message)" },
                ["400"] = new OpenApiResponse { Description = "Invalid request (problem+json)" },
                ["404"] = new OpenApiResponse { Description = "Not found, or not the caller's (problem+json)" },
                ["503"] = new OpenApiResponse { Description = "The service behind the route is unreachable (problem+json)" },
            },
        };
        if (!route.Anonymous)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
            operation.Responses["401"] = new OpenApiResponse { Description = "No valid access token (problem+json)" };
            operation.Responses["403"] = new OpenApiResponse { Description = "Wrong role for this action (problem+json)" };
        }
        foreach (var name in route.Path.Split('/').Where(s => s.StartsWith('{')).Select(s => s.Trim('{', '}')))
        {
            operation.Parameters.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Path, Required = true, Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
        }
        if (route.Idempotent)
        {
            operation.Parameters.Add(new OpenApiParameter { Name = "Idempotency-Key", In = ParameterLocation.Header, Required = false, Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 128 } });
        }
        if (route.Method == "POST")
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } } },
            };
        }
        item.Operations ??= new Dictionary<HttpMethod, OpenApiOperation>();
        item.Operations[new HttpMethod(route.Method)] = operation;
    }
}
