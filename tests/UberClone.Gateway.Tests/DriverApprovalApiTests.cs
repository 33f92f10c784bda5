using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using UberClone.Gateway.Accounts;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Gateway.Tests;

/// <summary>
/// Drivers are approved before they drive (ADR 0022), through the gateway in-process (the drivers service is down here,
/// so a request the gateway lets through answers 503): the driver's documents, support's queue and decisions with their
/// mails and audit entries, going online refused with why (or let through), and a permit that lapses.
/// </summary>
public sealed class DriverApprovalApiTests(MailGatewayFactory gateway) : IClassFixture<MailGatewayFactory>
{
    private const string Password = "correct horse battery";

    private static object Documents(string? licenceExpiresOn = null) => new
    {
        licenceNumber = "DL-1234567",
        licenceExpiresOn = licenceExpiresOn ?? DateTime.UtcNow.AddYears(2).ToString("yyyy-MM-dd"),
        insurancePolicy = "INS-9876",
        insuranceExpiresOn = DateTime.UtcNow.AddYears(1).ToString("yyyy-MM-dd"),
        vehicleYear = 2019,
    };

    private async Task<(string UserId, string Token, string Email)> DriverAsync()
    {
        var email = GatewayFactory.NewEmail();
        var body = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.DriverSignUp(email))).Body;
        return (body["userId"]!.GetValue<string>(), body["accessToken"]!.GetValue<string>(), email);
    }

    private async Task<string> DeskAsync()
    {
        var email = GatewayFactory.NewEmail();
        await gateway.Services.GetRequiredService<AccountService>().AddOperatorAsync(email, Password, "Desk", TestContext.Current.CancellationToken);
        return (await gateway.PostAsync("/api/auth/signin", new { email, password = Password })).Body["accessToken"]!.GetValue<string>();
    }

    private Task<(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response)> OnlineAsync(string token, object? body = null) =>
        gateway.PostAsync("/api/drivers/me/online", body ?? new { vehicleClass = "comfort", location = new { lat = 52.52, lng = 13.40 } }, token);

    private static string Detail(JsonObject problem) => problem["detail"]!.GetValue<string>();

    [Fact]
    public async Task A_new_driver_sends_documents_support_approves_classes_and_only_then_may_go_online_in_those()
    {
        var (driverId, driver, email) = await DriverAsync();
        var desk = await DeskAsync();

        var before = await gateway.GetAsync("/api/drivers/me/approval", driver);
        Assert.Equal((HttpStatusCode.OK, "none"), (before.Status, before.Body["status"]!.GetValue<string>()));
        Assert.Equal("comfort", before.Body["vehicle"]!["class"]!.GetValue<string>());
        var refused = await OnlineAsync(driver);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal("application/problem+json", refused.Response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("not approved yet", Detail(refused.Body));

        var bad = await gateway.SendAsync(HttpMethod.Put, "/api/drivers/me/approval/documents", Documents(licenceExpiresOn: "2020-01-01"), driver);
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.NotNull(bad.Body["errors"]!["licenceExpiresOn"]);
        Assert.Equal("none", (await gateway.GetAsync("/api/drivers/me/approval", driver)).Body["status"]!.GetValue<string>()); // nothing half-written

        var sent = await gateway.SendAsync(HttpMethod.Put, "/api/drivers/me/approval/documents", Documents(), driver);
        Assert.Equal((HttpStatusCode.OK, "pending", "DL-1234567"), (sent.Status, sent.Body["status"]!.GetValue<string>(), sent.Body["documents"]!["licenceNumber"]!.GetValue<string>()));
        Assert.Contains("being reviewed", Detail((await OnlineAsync(driver)).Body));

        var queue = await gateway.GetAsync("/api/ops/driver-approvals", desk);
        Assert.Contains(queue.Body["drivers"]!.AsArray(), d => d!["userId"]!.GetValue<string>() == driverId && d["approval"]!["status"]!.GetValue<string>() == "pending");
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.GetAsync("/api/ops/driver-approvals", driver)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.PostAsync($"/api/ops/users/{driverId}/driver-approval/approve", new { classes = new[] { "premium" } }, driver)).Status);
        Assert.Contains("classes:", Detail((await gateway.PostAsync($"/api/ops/users/{driverId}/driver-approval/approve", new { classes = Array.Empty<string>() }, desk)).Body));

        var approved = await gateway.PostAsync($"/api/ops/users/{driverId}/driver-approval/approve", new { classes = new[] { "comfort", "economy" }, reason = "papers seen" }, desk);
        Assert.Equal((HttpStatusCode.OK, "approved"), (approved.Status, approved.Body["status"]!.GetValue<string>()));
        Assert.Equal(["economy", "comfort"], approved.Body["permit"]!["classes"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.NotNull(approved.Body["decision"]!["by"]);
        Assert.DoesNotContain(driverId, (await gateway.GetAsync("/api/ops/driver-approvals", desk)).Body["drivers"]!.ToJsonString());
        var own = (await gateway.GetAsync("/api/drivers/me/approval", driver)).Body;
        Assert.Equal("approved", own["status"]!.GetValue<string>());
        Assert.Null(own["decision"]!["by"]); // who at support decided is support's to know

        // Approved classes go through to the drivers service (down here: 503); others are refused, however spelled.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await OnlineAsync(driver)).Status);
        var premium = await OnlineAsync(driver, new { vehicleClass = "premium" });
        Assert.Equal((HttpStatusCode.Forbidden, "Your vehicle is approved for economy, comfort: go online in one of those."), (premium.Status, Detail(premium.Body)));
        Assert.Equal(HttpStatusCode.Forbidden, (await OnlineAsync(driver, new { vehicle_class = "premium" })).Status);
        using (var client = gateway.CreateClient())
        {
            var twice = new HttpRequestMessage(HttpMethod.Post, "/api/drivers/me/online")
            {
                Content = new StringContent("""{"vehicleClass":"comfort","vehicleClass":"premium"}""", System.Text.Encoding.UTF8, "application/json"),
            };
            twice.Headers.Authorization = new("Bearer", driver);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(twice, TestContext.Current.CancellationToken)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await OnlineAsync(driver, new { vehicleClass = "comfort", padding = new string(' ', 5_000) })).Status);

        var mail = await gateway.Mailbox.WaitForAsync(email, m => m.Subject == "You can drive with UberClone");
        Assert.Contains("economy, comfort", mail.Raw);
        var trail = (await gateway.GetAsync($"/api/ops/audit?userId={driverId}", desk)).Body["actions"]!.AsArray();
        Assert.Contains(trail, a => a!["action"]!.GetValue<string>() == "driver.approved" && a["reason"]?.GetValue<string>() == "papers seen");
        var card = (await gateway.GetAsync($"/api/ops/users/{driverId}", desk)).Body;
        Assert.Equal("approved", card["driverApproval"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Support_refuses_documents_saying_why_and_the_driver_sends_them_again()
    {
        var (driverId, driver, email) = await DriverAsync();
        var desk = await DeskAsync();
        Assert.Contains("No documents", Detail((await gateway.PostAsync($"/api/ops/users/{driverId}/driver-approval/reject", new { reason = "x" }, desk)).Body));
        await gateway.SendAsync(HttpMethod.Put, "/api/drivers/me/approval/documents", Documents(), driver);

        Assert.Contains("reason:", Detail((await gateway.PostAsync($"/api/ops/users/{driverId}/driver-approval/reject", new { reason = " " }, desk)).Body));
        var rejected = await gateway.PostAsync($"/api/ops/users/{driverId}/driver-approval/reject", new { reason = "The licence number does not match the photo." }, desk);
        Assert.Equal((HttpStatusCode.OK, "rejected"), (rejected.Status, rejected.Body["status"]!.GetValue<string>()));
        Assert.Contains("does not match the photo", Detail((await OnlineAsync(driver)).Body));
        Assert.Contains("does not match the photo", (await gateway.Mailbox.WaitForAsync(email, m => m.Subject == "Your UberClone documents need another look")).Raw);
        Assert.Contains((await gateway.GetAsync($"/api/ops/audit?userId={driverId}", desk)).Body["actions"]!.AsArray(), a => a!["action"]!.GetValue<string>() == "driver.rejected");

        var again = await gateway.SendAsync(HttpMethod.Put, "/api/drivers/me/approval/documents", Documents(), driver);
        Assert.Equal("pending", again.Body["status"]!.GetValue<string>());
        Assert.Contains(driverId, (await gateway.GetAsync("/api/ops/driver-approvals", desk)).Body["drivers"]!.ToJsonString());
    }

    [Fact]
    public async Task Support_narrows_a_drivers_approval_then_takes_it_away_each_mailed_audited_and_checked_when_going_online()
    {
        var (driverId, driver, email) = await DriverAsync();
        var desk = await DeskAsync();
        await gateway.SendAsync(HttpMethod.Put, "/api/drivers/me/approval/documents", Documents(), driver);
        await gateway.PostAsync($"/api/ops/users/{driverId}/driver-approval/approve", new { classes = new[] { "economy", "comfort" } }, desk);

        var bad = await gateway.PostAsync($"/api/ops/users/{driverId}/driver-approval/restrict", new { classes = new[] { "premium" }, reason = "x" }, desk);
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Contains("'premium' is not in this driver's approval", Detail(bad.Body));
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.PostAsync($"/api/ops/users/{driverId}/driver-approval/restrict", new { classes = Array.Empty<string>(), reason = "x" }, driver)).Status);
        var noList = await gateway.PostAsync($"/api/ops/users/{driverId}/driver-approval/restrict", new { reason = "forgot the classes" }, desk);
        Assert.Equal(HttpStatusCode.BadRequest, noList.Status);
        Assert.Contains("list the classes the driver keeps", Detail(noList.Body));

        var narrowed = await gateway.PostAsync($"/api/ops/users/{driverId}/driver-approval/restrict",
            new { classes = new[] { "economy" }, reason = "Riders reported the back seats are torn." }, desk);
        Assert.Equal((HttpStatusCode.OK, "approved", "economy"), (narrowed.Status, narrowed.Body["status"]!.GetValue<string>(), narrowed.Body["permit"]!["classes"]![0]!.GetValue<string>()));
        Assert.Contains("approved for economy", Detail((await OnlineAsync(driver)).Body)); // comfort refused
        Assert.Contains("back seats are torn", (await gateway.Mailbox.WaitForAsync(email, m => m.Subject == "What you may drive with UberClone changed")).Raw);

        var revoked = await gateway.PostAsync($"/api/ops/users/{driverId}/driver-approval/restrict",
            new { classes = Array.Empty<string>(), reason = "Unsafe driving reported three times." }, desk);
        Assert.Equal(("revoked", "revoked"), (revoked.Body["status"]!.GetValue<string>(), revoked.Body["decision"]!["outcome"]!.GetValue<string>()));
        var online = await OnlineAsync(driver, new { vehicleClass = "economy", location = new { lat = 52.52, lng = 13.40 } });
        Assert.Equal(HttpStatusCode.Forbidden, online.Status);
        Assert.Contains("Support took away your approval to drive: Unsafe driving", Detail(online.Body));
        Assert.Contains("Unsafe driving", (await gateway.Mailbox.WaitForAsync(email, m => m.Subject == "Your approval to drive with UberClone was taken away")).Raw);
        Assert.Contains("nothing to take away", Detail((await gateway.PostAsync($"/api/ops/users/{driverId}/driver-approval/restrict", new { reason = "again" }, desk)).Body));
        var audit = (await gateway.GetAsync($"/api/ops/audit?userId={driverId}", desk)).Body["actions"]!.AsArray();
        Assert.Equal(2, audit.Count(a => a!["action"]!.GetValue<string>() == "driver.restricted"));
    }

    private async Task StandingAsync(string driverId, string standing, double average, DateTimeOffset at)
    {
        var changed = new UberClone.Contracts.IntegrationEvents.TripDriverRatingStandingIntegrationEvent(driverId, standing, average, 120, 4.6, 4.5, at);
        var handler = ActivatorUtilities.CreateInstance<DriverRatingStandingHandler>(gateway.Services);
        await handler.HandleAsync(changed, new UberClone.Messaging.MessageContext($"m-{standing}-{at.Ticks}", UberClone.Contracts.Topics.TripDriverRatingStanding,
            driverId, "standing", at, 1), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_driver_rated_below_the_lines_is_warned_by_mail_then_their_approval_is_taken_away_as_the_system_and_audited()
    {
        var (driverId, driver, email) = await DriverAsync();
        var desk = await DeskAsync();
        await gateway.SendAsync(HttpMethod.Put, "/api/drivers/me/approval/documents", Documents(), driver);
        await gateway.PostAsync($"/api/ops/users/{driverId}/driver-approval/approve", new { classes = new[] { "economy" } }, desk);
        var at = DateTimeOffset.UtcNow;

        await StandingAsync(driverId, "warned", 4.55, at);
        await StandingAsync(driverId, "warned", 4.55, at); // the same crossing told again: one mail
        var warning = await gateway.Mailbox.WaitForAsync(email, m => m.Subject == "Your rating as a driver is low");
        Assert.Contains("Your rating is 4.55 over your last 120 rated trips. Below 4.50 your account is paused for review", warning.Raw);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await OnlineAsync(driver, new { vehicleClass = "economy", location = new { lat = 52.52, lng = 13.40 } })).Status);

        await StandingAsync(driverId, "deactivate", 4.42, at.AddMinutes(5));
        // A crash after the approval was taken away and before the audit entry was kept: the redelivered message keeps it.
        var actions = gateway.Services.GetRequiredService<AccountStore>().SupportActions;
        var kept = (await actions.GetAsync($"rating-{driverId}-{at.AddMinutes(5).ToUnixTimeMilliseconds()}", TestContext.Current.CancellationToken))!;
        await actions.DeleteAsync(kept.Id, kept.Version, TestContext.Current.CancellationToken);
        await StandingAsync(driverId, "deactivate", 4.42, at.AddMinutes(5)); // redelivered: nothing left to take away

        var own = (await gateway.GetAsync("/api/drivers/me/approval", driver)).Body;
        Assert.Equal("revoked", own["status"]!.GetValue<string>());
        var online = await OnlineAsync(driver, new { vehicleClass = "economy", location = new { lat = 52.52, lng = 13.40 } });
        Assert.Equal(HttpStatusCode.Forbidden, online.Status);
        Assert.Contains("Rating 4.42 over the last 120 rated trips is below 4.50.", Detail(online.Body));
        Assert.Contains("Rating 4.42", (await gateway.Mailbox.WaitForAsync(email, m => m.Subject == "Your approval to drive with UberClone was taken away")).Raw);
        var audit = (await gateway.GetAsync($"/api/ops/audit?userId={driverId}", desk)).Body["actions"]!.AsArray();
        var entry = Assert.Single(audit, a => a!["action"]!.GetValue<string>() == DriverRatingStandingHandler.DeactivatedAction);
        Assert.Equal(("system", "Rating 4.42 over the last 120 rated trips is below 4.50."), (entry!["operatorId"]!.GetValue<string>(), entry["reason"]!.GetValue<string>()));
        Assert.Single(gateway.Mailbox.Received, m => m.To.Contains(email, StringComparer.OrdinalIgnoreCase) && m.Subject == "Your rating as a driver is low");
    }

    [Fact]
    public async Task Riders_and_unknown_accounts_are_not_drivers_to_approve()
    {
        var desk = await DeskAsync();
        var rider = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp())).Body;
        var riderToken = rider["accessToken"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.GetAsync("/api/drivers/me/approval", riderToken)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.SendAsync(HttpMethod.Put, "/api/drivers/me/approval/documents", Documents(), riderToken)).Status);
        var notDriver = await gateway.PostAsync($"/api/ops/users/{rider["userId"]!.GetValue<string>()}/driver-approval/approve", new { classes = new[] { "economy" } }, desk);
        Assert.Equal(HttpStatusCode.BadRequest, notDriver.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.PostAsync("/api/ops/users/nobody/driver-approval/approve", new { classes = new[] { "economy" } }, desk)).Status);
        Assert.Null((await gateway.GetAsync($"/api/ops/users/{rider["userId"]!.GetValue<string>()}", desk)).Body["driverApproval"]);
    }

    [Fact]
    public async Task A_driver_is_reminded_two_weeks_before_the_permit_lapses_and_it_lapses_the_day_after_a_document_expires_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var (driverId, driver, email) = await DriverAsync();
        var desk = await DeskAsync();
        await gateway.SendAsync(HttpMethod.Put, "/api/drivers/me/approval/documents", Documents(), driver);
        var approved = (await gateway.PostAsync($"/api/ops/users/{driverId}/driver-approval/approve", new { classes = new[] { "comfort" } }, desk)).Body;
        var validUntil = DateTimeOffset.Parse(approved["permit"]!["validUntil"]!.GetValue<string>());

        // Two weeks before, the driver is reminded, once.
        var clock = new FakeTimeProvider(validUntil - DriverApprovals.ReminderAhead - TimeSpan.FromMinutes(1));
        var approvals = ActivatorUtilities.CreateInstance<DriverApprovals>(gateway.Services, (TimeProvider)clock);
        await approvals.RemindDueAsync(100, ct);
        Assert.NotNull((await gateway.Services.GetRequiredService<AccountService>().GetAsync(driverId, ct))!.PermitReminderMs);
        clock.Advance(TimeSpan.FromMinutes(2));
        await approvals.RemindDueAsync(100, ct);
        await approvals.RemindDueAsync(100, ct);
        Assert.Null((await gateway.Services.GetRequiredService<AccountService>().GetAsync(driverId, ct))!.PermitReminderMs);
        var reminder = await gateway.Mailbox.WaitForAsync(email, m => m.Subject == "Your UberClone documents expire soon");
        Assert.Contains("Your insurance expires on", reminder.Raw);

        clock.SetUtcNow(validUntil.AddMinutes(-1));
        Assert.Equal(0, await approvals.LapseDueAsync(100, ct));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await approvals.LapseDueAsync(100, ct) >= 1);
        Assert.Equal(0, await approvals.LapseDueAsync(100, ct)); // handled once

        var account = await gateway.Services.GetRequiredService<AccountService>().GetAsync(driverId, ct);
        Assert.Null(account!.PermitUntilMs);
        Assert.Equal(ApprovalStatuses.Expired, account.Approval!.StatusAt(clock.GetUtcNow()));
        var mail = await gateway.Mailbox.WaitForAsync(email, m => m.Subject == "Your approval to drive with UberClone ended");
        Assert.Contains("insurance expired", mail.Raw);
        Assert.Single(gateway.Mailbox.Received, m => m.To.Contains(email) && m.Subject == "Your UberClone documents expire soon");
    }

    [Fact]
    public async Task A_driver_who_changed_cars_sends_its_documents_and_the_new_car_is_theirs_once_approved()
    {
        var (driverId, driver, _) = await DriverAsync();
        var desk = await DeskAsync();
        await gateway.SendAsync(HttpMethod.Put, "/api/drivers/me/approval/documents", Documents(), driver);
        await gateway.PostAsync($"/api/ops/users/{driverId}/driver-approval/approve", new { classes = new[] { "comfort" } }, desk);

        var badCar = await gateway.SendAsync(HttpMethod.Put, "/api/drivers/me/approval/documents",
            new { licenceNumber = "DL-1234567", licenceExpiresOn = "2030-01-01", insurancePolicy = "INS-2", insuranceExpiresOn = "2030-01-01", vehicleYear = 2024,
                vehicle = new { make = "Tesla", model = "Model S", plate = "<b>", colour = "red", @class = "premium" } }, driver);
        Assert.Equal(HttpStatusCode.BadRequest, badCar.Status);
        Assert.NotNull(badCar.Body["errors"]!["vehicle.plate"]);
        Assert.Null((await gateway.GetAsync("/api/drivers/me/approval", driver)).Body["newVehicle"]); // nothing half-written

        var sent = await gateway.SendAsync(HttpMethod.Put, "/api/drivers/me/approval/documents",
            new { licenceNumber = "DL-1234567", licenceExpiresOn = "2030-01-01", insurancePolicy = "INS-2", insuranceExpiresOn = "2030-01-01", vehicleYear = 2024,
                vehicle = new { make = "Tesla", model = "Model S", plate = "b-ev 7", colour = "red", @class = "premium" } }, driver);
        Assert.Equal(("pending", "B-EV 7", "Prius"), (sent.Body["status"]!.GetValue<string>(), sent.Body["newVehicle"]!["plate"]!.GetValue<string>(),
            sent.Body["vehicle"]!["model"]!.GetValue<string>()));
        Assert.Equal("Prius", (await gateway.GetAsync("/api/auth/me", driver)).Body["vehicle"]!["model"]!.GetValue<string>()); // riders still see the old car

        var approved = await gateway.PostAsync($"/api/ops/users/{driverId}/driver-approval/approve", new { classes = new[] { "premium", "comfort" } }, desk);
        Assert.Equal(("Model S", (JsonNode?)null), (approved.Body["vehicle"]!["model"]!.GetValue<string>(), approved.Body["newVehicle"]));
        Assert.Equal("Model S", (await gateway.GetAsync("/api/auth/me", driver)).Body["vehicle"]!["model"]!.GetValue<string>());
    }
}
