using System.Net;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// Drivers are approved before they drive (ADR 0022), on the whole stack: a new driver cannot go online; they send
/// documents, the support desk approves some classes (the driver's socket is told, a mail says so), the driver goes
/// online in one of them and is offered a trip; a later approval that no longer covers the class they are online in
/// takes them offline through Kafka (the drivers service), telling their app why.
/// </summary>
public sealed class DriverApprovalTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task A_new_driver_is_approved_by_support_goes_online_in_an_approved_class_and_is_offered_a_trip()
    {
        var client = stack.Client();
        var city = Point.FreshCity();
        var driver = await client.SignInAsync("driver", "Nadia New", approved: false);
        await using var socket = await driver.ConnectAsync();

        using (var refused = await driver.PostAsync("/api/drivers/me/online", new { vehicleClass = "economy", location = new { lat = city.Lat, lng = city.Lng } }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("not approved yet", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        var support = await stack.SupportAsync();
        await using var desk = await support.ConnectAsync();
        await PlatformClient.ReadAsync(await driver.SendAsync(HttpMethod.Put, "/api/drivers/me/approval/documents", System.Net.Http.Json.JsonContent.Create(PlatformClient.Documents())));
        // The desk's queue hears of it at once (every gateway replica's support sockets).
        await desk.WaitForAsync("driver.approval", m => m["data"].Str("userId") == driver.UserId && m["data"].Str("status") == "pending");
        var queue = (await support.GetOkAsync("/api/ops/driver-approvals"))["drivers"]!.AsArray();
        Assert.Contains(queue, d => d.Str("userId") == driver.UserId);
        await support.PostOkAsync($"/api/ops/users/{driver.UserId}/driver-approval/approve", new { classes = new[] { "economy", "comfort" } });

        var told = await socket.WaitForAsync("driver.approval");
        Assert.Equal("approved", told["data"].Str("status"));
        Assert.Equal(["economy", "comfort"], told["data"]!["classes"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Contains("economy, comfort", (await stack.Mailbox.WaitForAsync(driver.Email, m => m.Subject == "You can drive with UberClone")).Raw);

        using (var premium = await driver.PostAsync("/api/drivers/me/online", new { vehicleClass = "premium", location = new { lat = city.Lat, lng = city.Lng } }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, premium.StatusCode);
        }
        await driver.GoOnlineAsync(city.Offset(300, 0), "comfort");
        var rider = await client.SignInAsync("rider");
        var tripId = (await rider.RequestTripAsync(city, city.Offset(-2_000, 1_000), "comfort")).Str("tripId");
        await socket.WaitForAsync("offer", m => m["data"].Str("tripId") == tripId);
    }

    [Fact]
    public async Task An_approval_that_no_longer_covers_the_class_a_driver_is_online_in_takes_them_offline_saying_why()
    {
        var client = stack.Client();
        var city = Point.FreshCity();
        var driver = await client.SignInAsync("driver", approved: false);
        await client.ApproveAsync(driver, "economy", "premium");
        await using var socket = await driver.ConnectAsync();
        await driver.GoOnlineAsync(city, "premium");

        // New documents (a renewed insurance): support approves economy only this time.
        await client.ApproveAsync(driver, "economy");

        var offline = await socket.WaitForAsync("driver.offline");
        Assert.Contains("approved for economy now", offline["data"].Str("reason"));
        var support = await stack.SupportAsync();
        var state = await Http.EventuallyAsync(() => support.GetOkAsync($"/api/drivers/{driver.UserId}"), d => d.Str("state") == "offline", TimeSpan.FromSeconds(10));
        Assert.Contains("approved for economy now", state.Str("offlineReason"));
        Assert.Equal("economy", (await driver.GoOnlineAsync(city, "economy")).Str("vehicleClass"));
    }

    [Fact]
    public async Task Support_taking_a_drivers_approval_away_takes_them_offline_and_they_cannot_go_online_again()
    {
        var client = stack.Client();
        var city = Point.FreshCity();
        var driver = await client.SignInAsync("driver", approved: false);
        await client.ApproveAsync(driver, "economy", "comfort");
        await using var socket = await driver.ConnectAsync();
        await driver.GoOnlineAsync(city, "comfort");
        var support = await stack.SupportAsync();

        // Riders complained about the car: comfort is taken away, economy kept.
        await support.PostOkAsync($"/api/ops/users/{driver.UserId}/driver-approval/restrict", new { classes = new[] { "economy" }, reason = "The car is not fit for comfort." });
        var told = await socket.WaitForAsync("driver.approval", m => m["data"].Str("status") == "approved" && m["data"].Str("outcome") == "restricted");
        Assert.Equal("economy", Assert.Single(told["data"]!["classes"]!.AsArray())!.GetValue<string>());
        Assert.Contains("approved for economy now", (await socket.WaitForAsync("driver.offline"))["data"].Str("reason"));
        await driver.GoOnlineAsync(city, "economy");

        // Then the approval is taken away altogether: offline with the reason, and going online is refused with it.
        await support.PostOkAsync($"/api/ops/users/{driver.UserId}/driver-approval/restrict", new { classes = Array.Empty<string>(), reason = "Unsafe driving reported three times." });
        await socket.WaitForAsync("driver.approval", m => m["data"].Str("status") == "revoked" && m["data"].Str("outcome") == "revoked");
        var offline = await socket.WaitForAsync("driver.offline", m => m["data"].Str("reason").Contains("Unsafe driving", StringComparison.Ordinal));
        Assert.Contains("approval to drive ended", offline["data"].Str("reason"));
        var refused = await driver.PostAsync("/api/drivers/me/online", new { vehicleClass = "economy", location = new { lat = city.Lat, lng = city.Lng } })
            .ProblemAsync(System.Net.HttpStatusCode.Forbidden);
        Assert.Contains("Support took away your approval to drive", refused.Str("detail"));
    }
}
