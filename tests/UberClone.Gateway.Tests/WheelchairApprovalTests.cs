using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.Accounts;
using UberClone.Messaging;
using UberClone.Stack.Tests.Infrastructure;
using UberClone.Storage;

namespace UberClone.Gateway.Tests;

/// <summary>
/// A wheelchair-accessible vehicle is vetted by support (ADR 0045): approving says so (false unless said, again with
/// every approval, so a new car is not accessible because the old one was); restricting can take it away and never adds
/// it; the permit, the views and <c>account.event.driver_approval</c> carry it.
/// </summary>
public sealed class WheelchairApprovalTests(MailGatewayFactory gateway) : IClassFixture<MailGatewayFactory>
{
    private const string Password = "correct horse battery";
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    private static DriverDocuments Documents() =>
        DriverDocuments.Parse("DL-1234567", "2028-01-31", "INS-9876", "2027-06-30", 2019, DateOnly.FromDateTime(Now.UtcDateTime)).Documents!;

    private static object DocumentsBody() => new
    {
        licenceNumber = "DL-1234567",
        licenceExpiresOn = DateTime.UtcNow.AddYears(2).ToString("yyyy-MM-dd"),
        insurancePolicy = "INS-9876",
        insuranceExpiresOn = DateTime.UtcNow.AddYears(1).ToString("yyyy-MM-dd"),
        vehicleYear = 2021,
    };

    private static string Detail(JsonObject problem) => problem["detail"]!.GetValue<string>();

    [Fact]
    public void Approving_says_whether_the_vehicle_is_wheelchair_accessible_and_a_new_cars_approval_says_it_again()
    {
        var sent = new DriverApproval().Submit(Documents(), Now);
        Assert.False(sent.Approve(["economy"], "o", null, Now).Permit!.WheelchairAccessible);

        var accessible = sent.Approve(["economy"], "o", null, Now, wheelchairAccessible: true);
        Assert.True(accessible.Permit!.WheelchairAccessible);

        // The driver changed cars: the new one is approved on its own merits.
        var newCar = new Vehicle("Toyota", "Proace", "B-UC 9", "grey", "xl");
        var account = new Account("d1", "d@example.com", "driver", "Dan", "", null, Now).WithApproval(accessible);
        var waiting = account.WithApproval(accessible.Submit(Documents(), Now.AddDays(1), newCar));
        Assert.True(waiting.Approval!.PermitAt(Now.AddDays(1))!.WheelchairAccessible); // still driving the accessible one meanwhile
        Assert.False(waiting.ApproveDriver(["xl"], "o", null, Now.AddDays(2)).Approval!.Permit!.WheelchairAccessible);
        Assert.True(waiting.ApproveDriver(["xl"], "o", null, Now.AddDays(2), wheelchairAccessible: true).Approval!.Permit!.WheelchairAccessible);
    }

    [Fact]
    public void Restricting_takes_wheelchair_accessibility_away_on_its_own_or_with_classes_and_never_adds_it()
    {
        var accessible = new DriverApproval().Submit(Documents(), Now).Approve(["economy", "comfort"], "o", null, Now, wheelchairAccessible: true);

        var rampBroken = accessible.Restrict(["economy", "comfort"], "The ramp does not fold out.", "o2", Now.AddDays(1), wheelchairAccessible: false);
        Assert.Equal(["economy", "comfort"], rampBroken.Permit!.Classes);
        Assert.False(rampBroken.Permit.WheelchairAccessible);
        Assert.Equal((ApprovalStatuses.Approved, ApprovalStatuses.RestrictedOutcome), (rampBroken.StatusAt(Now.AddDays(1)), rampBroken.Decision!.Outcome));

        // Fewer classes without saying: the vehicle stays accessible.
        Assert.True(accessible.Restrict(["economy"], "Comfort needs a newer car.", "o2", Now.AddDays(1)).Permit!.WheelchairAccessible);
        Assert.Null(accessible.Restrict([], "Unsafe driving.", "o2", Now.AddDays(1)).Permit);

        var plain = new DriverApproval().Submit(Documents(), Now).Approve(["economy", "comfort"], "o", null, Now);
        Assert.StartsWith("wheelchairAccessible:",
            Assert.Throws<ApprovalException>(() => plain.Restrict(["economy"], "why", "o", Now, wheelchairAccessible: true)).Message);
        Assert.Contains("keep fewer", Assert.Throws<ApprovalException>(() => plain.Restrict(["economy", "comfort"], "why", "o", Now, wheelchairAccessible: false)).Message);
        Assert.Contains("wheelchairAccessible: false",
            Assert.Throws<ApprovalException>(() => accessible.Restrict(["economy", "comfort"], "why", "o", Now)).Message);
    }

    [Fact]
    public async Task Support_approves_a_wheelchair_accessible_vehicle_the_views_and_the_event_say_so_and_restricting_takes_it_away()
    {
        var ct = TestContext.Current.CancellationToken;
        var email = GatewayFactory.NewEmail();
        var signedUp = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.DriverSignUp(email))).Body;
        var (driverId, driver) = (signedUp["userId"]!.GetValue<string>(), signedUp["accessToken"]!.GetValue<string>());
        var deskEmail = GatewayFactory.NewEmail();
        await gateway.Services.GetRequiredService<AccountService>().AddOperatorAsync(deskEmail, Password, "Desk", ct);
        var desk = (await gateway.PostAsync("/api/auth/signin", new { email = deskEmail, password = Password })).Body["accessToken"]!.GetValue<string>();
        await gateway.SendAsync(HttpMethod.Put, "/api/drivers/me/approval/documents", DocumentsBody(), driver);

        // Not a yes or a no: refused, naming the field, and nothing approved.
        var unclear = await gateway.PostAsync($"/api/ops/users/{driverId}/driver-approval/approve",
            new { classes = new[] { "economy" }, wheelchairAccessible = "yes" }, desk);
        Assert.Equal((HttpStatusCode.BadRequest, "wheelchairAccessible must be true or false."), (unclear.Status, Detail(unclear.Body)));
        Assert.NotNull(unclear.Body["errors"]!["wheelchairAccessible"]);
        Assert.Equal("pending", (await gateway.GetAsync("/api/drivers/me/approval", driver)).Body["status"]!.GetValue<string>());

        var approved = await gateway.PostAsync($"/api/ops/users/{driverId}/driver-approval/approve",
            new { classes = new[] { "economy" }, wheelchairAccessible = true }, desk);
        Assert.Equal((HttpStatusCode.OK, true), (approved.Status, approved.Body["permit"]!["wheelchairAccessible"]!.GetValue<bool>()));
        Assert.True((await gateway.GetAsync("/api/drivers/me/approval", driver)).Body["permit"]!["wheelchairAccessible"]!.GetValue<bool>());
        Assert.True((await gateway.GetAsync($"/api/ops/users/{driverId}", desk)).Body["driverApproval"]!["permit"]!["wheelchairAccessible"]!.GetValue<bool>());

        var restricted = await gateway.PostAsync($"/api/ops/users/{driverId}/driver-approval/restrict",
            new { classes = new[] { "economy" }, reason = "The lift is out of order.", wheelchairAccessible = false }, desk);
        Assert.Equal((HttpStatusCode.OK, false), (restricted.Status, restricted.Body["permit"]!["wheelchairAccessible"]!.GetValue<bool>()));
        var again = await gateway.PostAsync($"/api/ops/users/{driverId}/driver-approval/restrict",
            new { classes = new[] { "economy" }, reason = "x", wheelchairAccessible = true }, desk);
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.StartsWith("wheelchairAccessible:", Detail(again.Body));

        var events = (await gateway.Services.GetRequiredService<IDocumentDatabase>().Outbox.GetPendingAsync(10_000, ct))
            .Where(m => m.Topic == Topics.AccountDriverApproval && m.Key == driverId)
            .Select(m => System.Text.Json.JsonSerializer.Deserialize<MessageEnvelope<DriverApprovalChangedIntegrationEvent>>(m.Value, MessageEnvelope.SerializerOptions)!.Data)
            .ToList();
        Assert.Equal([("submitted", false), ("approved", true), ("restricted", false)], events.Select(e => (e.Outcome, e.WheelchairAccessible)));
    }
}
