using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using UberClone.Contracts.Help;
using UberClone.Contracts.Identity;
using UberClone.Contracts.Payments;
using UberClone.Contracts.Promotions;
using UberClone.Contracts.Schedules;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Identity;

namespace UberClone.Gateway.Accounts;

/// <summary>
/// <c>GET /api/auth/me/export</c>: "download my data" (the right of access): one JSON file of what UberClone keeps of
/// the signed-in rider or driver: the account (never the password hash), saved places, every trip as their own history
/// shows it (receipts, refunds, ratings, earnings) with its messages still kept, their help requests, a rider's
/// promotions, ride credit (ADR 0051), repeating rides (ADR 0043) and the rides they were asked to split (ADR 0040, <c>splitRides</c>), a driver's documents with their approval,
/// where they are signed in (ADR 0048) and whether 2-step verification is on (ADR 0052). Support
/// accounts have none of this.
/// </summary>
public static class AccountExport
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);

    public static async Task<IResult> ExportAsync(HttpContext http, AccountService accounts, AccountStore store,
        TripService.TripServiceClient trips, HelpService.HelpServiceClient help, PromotionService.PromotionServiceClient promotions, PaymentService.PaymentServiceClient payments,
        RideScheduleService.RideScheduleServiceClient schedules, TimeProvider clock,
        TwoStep.TwoStepOptions twoStepOptions, CancellationToken ct)
    {
        var caller = CurrentUser.From(http.User)!;
        if (caller.Role == Roles.Operator) return Problem(403, "Support accounts have no rider or driver data to download.");
        if (await accounts.GetAsync(caller.UserId, ct) is not { DeletedAt: null } account) return Problem(404, "The account no longer exists.");

        var tripList = new JsonArray();
        var splitRides = new JsonArray();
        var helpRequests = new JsonArray();
        var promotionList = new JsonArray();
        var cardList = new JsonArray();
        var scheduleList = new JsonArray();
        JsonNode? pinVerification = null;
        JsonNode? ridePreferences = null;
        JsonNode? rideCredit = null;
        try
        {
            using (var call = trips.ExportTrips(new ExportTripsRequest(), caller.ToMetadata(), cancellationToken: ct))
            {
                await foreach (var exported in call.ResponseStream.ReadAllAsync(ct))
                {
                    if (exported.SplitRide is { } splitRide)
                    {
                        splitRides.Add(Node(splitRide));
                        continue;
                    }
                    var trip = Node(exported.Trip);
                    trip["messages"] = new JsonArray([.. exported.Messages.Select(Node)]);
                    tripList.Add(trip);
                }
            }
            foreach (var request in (await help.ListHelpRequestsAsync(new ListHelpRequestsRequest(), caller.ToMetadata(), cancellationToken: ct)).Requests)
            {
                helpRequests.Add(Node(request));
            }
            if (caller.Role == Roles.Rider)
            {
                var held = await promotions.ListMyPromotionsAsync(new ListMyPromotionsRequest(), caller.ToMetadata(), cancellationToken: ct);
                foreach (var promotion in held.Promotions) promotionList.Add(Node(promotion));
                foreach (var schedule in (await schedules.ListRideSchedulesAsync(new ListRideSchedulesRequest(), caller.ToMetadata(), cancellationToken: ct)).Schedules)
                {
                    scheduleList.Add(Node(schedule));
                }
                pinVerification = Node(await trips.GetPinVerificationAsync(new GetPinVerificationRequest(), caller.ToMetadata(), cancellationToken: ct));
                ridePreferences = Node(await trips.GetRidePreferencesAsync(new GetRidePreferencesRequest(), caller.ToMetadata(), cancellationToken: ct));
                // What is kept of their saved cards (never a number; ADR 0024).
                foreach (var card in (await payments.ListMyCardsAsync(new ListMyCardsRequest(), caller.ToMetadata(), cancellationToken: ct)).Cards) cardList.Add(Node(card));
                rideCredit = Node(await payments.GetMyRideCreditAsync(new GetMyRideCreditRequest(), caller.ToMetadata(), cancellationToken: ct));
            }
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            return Problem(503, "Your data cannot be gathered right now (a service that keeps part of it is not reachable); try again shortly.");
        }

        var places = (await store.Places.GetAsync(caller.UserId, ct))?.Document ?? Places.SavedPlaces.None;
        var sessions = await accounts.ListSessionsAsync(caller.UserId, ct);
        var current = CurrentUser.SessionId(http.User);
        var export = new JsonObject
        {
            ["exportedAt"] = clock.GetUtcNow(),
            ["account"] = JsonSerializer.SerializeToNode(AccountsApi.Me(account), JsonSerializerOptions.Web),
            ["savedPlaces"] = JsonSerializer.SerializeToNode(places.Places, JsonSerializerOptions.Web),
            ["mailTurnedOff"] = new JsonArray([.. (account.MailOptOuts ?? []).Select(id => JsonValue.Create(id))]),
            // Where they are signed in (ADR 0048) and whether signing in asks for an app's code (ADR 0052; never the secret).
            ["sessions"] = JsonSerializer.SerializeToNode(sessions.Select(x => SessionsApi.View(x.Id, x.Session, x.Id == current)).ToList(), JsonSerializerOptions.Web),
            ["twoStepVerification"] = JsonSerializer.SerializeToNode(TwoStep.TwoStepStatus.Of(account, clock.GetUtcNow(), twoStepOptions), JsonSerializerOptions.Web),
            ["trips"] = tripList,
            ["helpRequests"] = helpRequests,
            ["promotions"] = promotionList,
        };
        if (account.Role == Roles.Rider)
        {
            export["savedCards"] = cardList;
            // Their ride credit (ADR 0051): each balance and every line that made it, oldest first (not who at support added it).
            export["rideCredit"] = rideCredit;
            export["repeatingRides"] = scheduleList;
            // When their rides need a PIN (ADR 0044); no ride's PIN is in the trips above.
            export["pinVerification"] = pinVerification;
            // Their ride preferences (ADR 0049); each trip above has the copy it was booked with or changed to.
            export["ridePreferences"] = ridePreferences;
            // The rides other riders asked them to split (ADR 0040), as they see them: their answer, share and its receipt.
            export["splitRides"] = splitRides;
        }
        if (account.Role == Roles.Driver)
        {
            // The documents they sent and support's decisions on them (who decided is support's to know).
            export["driverApproval"] = JsonSerializer.SerializeToNode(DriverApprovalApi.ApprovalView.Of(account, clock.GetUtcNow(), forSupport: false), JsonSerializerOptions.Web);
        }
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"uberclone-data-{account.Id}.json\"";
        return Results.Text(export.ToJsonString(new JsonSerializerOptions(JsonSerializerOptions.Web) { WriteIndented = true }), "application/json; charset=utf-8");
    }

    private static JsonNode Node(IMessage message) => JsonNode.Parse(Formatter.Format(message))!;

    private static IResult Problem(int status, string detail) =>
        TypedResults.Problem(detail, statusCode: status, type: Problems.Problems.TypeFor(status));
}
