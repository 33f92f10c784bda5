using System.Net;
using System.Text;
using UberClone.Gateway.Operations;

namespace UberClone.Gateway.Tests;

/// <summary>
/// The support desk's audit trail: what each support request is called and about whom (no I/O), and through the
/// gateway: changes that went through are kept with who made them and why, refusals and failures are not, only
/// support reads it.
/// </summary>
public sealed class SupportActionTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 4, 8, 0, 0, TimeSpan.Zero);

    private static SupportAction Describe(string method, string path, string body = "") =>
        SupportActions.Describe("o1", byOperatorKey: false, method, path, Encoding.UTF8.GetBytes(body), 200, At, "trace-1");

    [Theory]
    [InlineData("/api/trips/t1/cancel", "trip.cancelled", "t1", null, null)]
    [InlineData("/api/trips/t1/complete", "trip.completed", "t1", null, null)]
    [InlineData("/api/payments/trips/t1/refunds", "payment.refunded", "t1", null, null)]
    [InlineData("/api/trips/help/h%2F1/messages", "help.answered", null, null, "h/1")]
    [InlineData("/api/trips/help/h1/close", "help.closed", null, null, "h1")]
    [InlineData("/api/ops/users/r1/suspend", "user.suspended", null, "r1", null)]
    [InlineData("/api/ops/users/r1/reinstate", "user.reinstated", null, "r1", null)]
    [InlineData("/api/ops/users/r1/signout-everywhere", "user.signed_out_everywhere", null, "r1", null)]
    [InlineData("/api/ops/operators", "operator.added", null, null, null)]
    [InlineData("/api/ops/users/r1/promotions", "promotion.given", null, "r1", null)]
    [InlineData("/api/ops/users/d1/driver-approval/approve", "driver.approved", null, "d1", null)]
    [InlineData("/api/ops/users/d1/driver-approval/reject", "driver.rejected", null, "d1", null)]
    [InlineData("/api/payments/riders/r1/cards/card_1/remove", "card.removed", null, "r1", null)]
    [InlineData("/api/payments/riders/r1/credit", "credit.granted", null, "r1", null)]
    [InlineData("/api/trips/ops/riders/r1/rating/reinstate", "rider.rating_reinstated", null, "r1", null)]
    [InlineData("/api/trips/t1/messages", SupportActions.Other, null, null, null)]
    public void Each_support_request_is_named_with_the_trip_account_or_help_request_it_changed(string path, string action, string? tripId, string? userId, string? helpId)
    {
        var entry = Describe("POST", path);
        Assert.Equal((action, tripId, userId, helpId), (entry.Action, entry.TripId, entry.UserId, entry.HelpRequestId));
        Assert.Equal(("o1", "POST", path, 200, At, "trace-1"), (entry.OperatorId, entry.Method, entry.Path, entry.Status, entry.At, entry.TraceId));
    }

    [Fact]
    public void Why_and_how_much_come_from_the_body_never_a_password_and_a_body_that_is_not_json_changes_nothing_else()
    {
        var refund = Describe("POST", "/api/payments/trips/t1/refunds", """{"amountMinor":250,"kind":"fare","reason":"  the route was longer  "}""");
        Assert.Equal((250L, "fare", "the route was longer"), (refund.AmountMinor, refund.Kind, refund.Reason));

        var credit = Describe("POST", "/api/payments/riders/r1/credit", """{"amountMinor":500,"currency":"eur","reason":"late driver"}""");
        Assert.Equal((500L, "EUR", "late driver"), (credit.AmountMinor, credit.Currency, credit.Reason));

        var colleague = Describe("POST", "/api/ops/operators", """{"email":"olga@example.com","password":"secret words 1","name":"Olga"}""");
        Assert.Equal("added olga@example.com", colleague.Reason);
        Assert.DoesNotContain("secret", System.Text.Json.JsonSerializer.Serialize(colleague));

        var long_ = Describe("POST", "/api/trips/t1/cancel", $$"""{"reason":"{{new string('x', 900)}}"}""");
        Assert.Equal(500, long_.Reason!.Length);

        var broken = Describe("POST", "/api/trips/t1/cancel", "{not json");
        Assert.Equal(("trip.cancelled", "t1", null), (broken.Action, broken.TripId, broken.Reason));
        Assert.Null(Describe("POST", "/api/trips/t1/cancel", """{"reason":42}""").Reason);
    }

    [Fact]
    public void A_promotion_created_or_ended_is_named_by_its_code()
    {
        var created = Describe("POST", "/api/trips/ops/promotions", """{"code":"half50","percentOff":50,"currency":"USD"}""");
        Assert.Equal(("promotion.created", "code HALF50"), (created.Action, created.Reason));
        Assert.Equal(("promotion.ended", "code HALF50"), (Describe("POST", "/api/trips/ops/promotions/half50/end", "{}").Action, Describe("POST", "/api/trips/ops/promotions/half50/end", "{}").Reason));
        var why = Describe("POST", "/api/trips/ops/promotions/HALF50/end", """{"reason":"posted on a coupon forum"}""");
        Assert.Equal("code HALF50: posted on a coupon forum", why.Reason);
    }

    [Fact]
    public void A_reservation_strike_removed_is_kept_on_the_drivers_account_with_its_ride_and_why()
    {
        var removed = Describe("POST", "/api/trips/ops/drivers/d1/reservations/strikes/remove", """{"tripId":"t9","reason":"the rider asked them to drop it"}""");
        Assert.Equal(("reservation.strike_removed", "d1", "t9", "the rider asked them to drop it"), (removed.Action, removed.UserId, removed.TripId, removed.Reason));
    }

    [Fact]
    public void A_payment_waived_is_kept_on_the_trip_with_why()
    {
        var waived = Describe("POST", "/api/trips/t9/payment/waive", """{"reason":"the driver took a long detour"}""");
        Assert.Equal(("payment.waived", "t9", "the driver took a long detour"), (waived.Action, waived.TripId, waived.Reason));
    }

    [Fact]
    public void A_waiver_above_the_limit_is_kept_as_requested_then_approved_or_declined()
    {
        var requested = SupportActions.Describe("o1", byOperatorKey: false, "POST", "/api/trips/t9/payment/waive",
            Encoding.UTF8.GetBytes("""{"reason":"the driver took a long detour"}"""), 202, At, "trace-1");
        Assert.Equal(("payment.waiver_requested", "t9", "the driver took a long detour"), (requested.Action, requested.TripId, requested.Reason));
        var approved = Describe("POST", "/api/trips/t9/payment/waive/approve", "{}");
        Assert.Equal(("payment.waiver_approved", "t9"), (approved.Action, approved.TripId));
        var declined = Describe("POST", "/api/trips/t9/payment/waive/decline", """{"reason":"the trip was fine"}""");
        Assert.Equal(("payment.waiver_declined", "t9", "the trip was fine"), (declined.Action, declined.TripId, declined.Reason));
    }

    [Fact]
    public void A_quest_created_is_named_by_its_name_and_one_ended_by_its_id()
    {
        var created = Describe("POST", "/api/trips/ops/quests", """{"name":"Weekend rush","target":30,"bonusMinor":4500,"currency":"USD"}""");
        Assert.Equal(("quest.created", "quest Weekend rush"), (created.Action, created.Reason));
        var ended = Describe("POST", "/api/trips/ops/quests/abc123/end", "{}");
        Assert.Equal(("quest.ended", "quest abc123"), (ended.Action, ended.Reason));
        Assert.Equal("quest abc123: wrong city", Describe("POST", "/api/trips/ops/quests/abc123/end", """{"reason":"wrong city"}""").Reason);
    }

    [Theory]
    [InlineData("POST", "/api/trips/t1/cancel", true)]
    [InlineData("DELETE", "/api/me/places/home", true)]
    [InlineData("PUT", "/api/me/places/home", true)]
    [InlineData("GET", "/api/ops/users/r1", false)]
    [InlineData("POST", "/api/auth/signin", false)]
    [InlineData("POST", "/api/auth/signout", false)]
    [InlineData("POST", "/health", false)]
    public void Writes_to_the_api_are_kept_but_not_reads_nor_the_operators_own_session(string method, string path, bool audited) =>
        Assert.Equal(audited, SupportActions.IsAudited(method, path));

    [Fact]
    public async Task What_support_changed_on_an_account_is_kept_with_who_and_why_newest_first_and_only_support_reads_it()
    {
        await using var gateway = new SupportAccountTests.Gateway(SupportAccountTests.NewDataDirectory(), SupportAccountTests.Email, "support password");
        var (_, support) = await SupportAccountTests.SignInAsync(gateway, "support password", HttpStatusCode.OK);
        var token = support["accessToken"]!.GetValue<string>();
        var operatorId = support["userId"]!.GetValue<string>();
        var rider = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp())).Body;
        var riderId = rider["userId"]!.GetValue<string>();

        // Refused or failed requests change nothing, so they are not kept.
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.PostAsync($"/api/ops/users/{riderId}/suspend", new { reason = " " }, token)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.PostAsync("/api/ops/users/r0123/suspend", new { reason = "fraud" }, token)).Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await gateway.PostAsync("/api/trips/t1/cancel", new { reason = "booked by mistake" }, token)).Status);
        // A rider's own writes are not support's.
        Assert.Equal(HttpStatusCode.NoContent, (await gateway.PostAsync("/api/auth/signout-everywhere", new { }, rider["accessToken"]!.GetValue<string>())).Status);

        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync($"/api/ops/users/{riderId}/suspend", new { reason = "chargeback under review" }, token)).Status);
        Assert.Equal(HttpStatusCode.OK, (await gateway.PostAsync($"/api/ops/users/{riderId}/reinstate", new { }, token)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await gateway.PostAsync($"/api/ops/users/{riderId}/signout-everywhere", new { }, token)).Status);

        var (status, trail, _) = await gateway.GetAsync($"/api/ops/audit?userId={riderId}", token);
        Assert.Equal(HttpStatusCode.OK, status);
        var actions = trail["actions"]!.AsArray();
        Assert.Equal(["user.signed_out_everywhere", "user.reinstated", "user.suspended"], actions.Select(a => a!["action"]!.GetValue<string>()));
        Assert.All(actions, a => Assert.Equal((operatorId, "Support desk", riderId), (a!["operatorId"]!.GetValue<string>(), a["operatorName"]!.GetValue<string>(), a["userId"]!.GetValue<string>())));
        Assert.Equal("chargeback under review", actions[2]!["reason"]!.GetValue<string>());
        Assert.Equal($"/api/ops/users/{riderId}/suspend", actions[2]!["path"]!.GetValue<string>());
        Assert.Equal(200, actions[2]!["status"]!.GetValue<int>());
        Assert.True(actions[0]!["at"]!.GetValue<DateTimeOffset>() >= actions[2]!["at"]!.GetValue<DateTimeOffset>());

        // By the operator: the same three. About a trip nobody touched: none.
        Assert.Equal(3, (await gateway.GetAsync($"/api/ops/audit?operatorId={operatorId}", token)).Body["actions"]!.AsArray().Count);
        Assert.Empty((await gateway.GetAsync("/api/ops/audit?tripId=t1", token)).Body["actions"]!.AsArray());

        // Only support reads it, about one thing at a time.
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.GetAsync($"/api/ops/audit?userId={riderId}", (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp())).Body["accessToken"]!.GetValue<string>())).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.GetAsync($"/api/ops/audit?userId={riderId}")).Status);
        var none = await gateway.GetAsync("/api/ops/audit", token);
        Assert.Equal(HttpStatusCode.BadRequest, none.Status);
        Assert.Contains("tripId, userId or operatorId", none.Body["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.GetAsync($"/api/ops/audit?userId={riderId}&tripId=t1", token)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.GetAsync("/api/ops/audit?userId=%20", token)).Status);
    }
}
