using System.Net;
using System.Net.Http.Headers;
using UberClone.Contracts;
using UberClone.Contracts.Identity;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// Driver quests (ADR 0038) on the whole stack: support creates one for a city (bad input is 400 naming the field, and
/// only support may), a driver completes two rides there, their socket gets the progress and then the completion, the
/// bonus is one line of their ledger in payments (owed with the rides' earnings), in their earnings and mailed once;
/// the completions and the bonus delivered again pay nothing more. A quest support ended counts no later ride. A driver
/// is listed only quests of classes support approved them for, as the gateway tells trips.
/// </summary>
public sealed class QuestTests(LifecycleStackFixture stack)
{
    private static object Terms(Point city, string name = "Weekend rush", int target = 2, long bonusMinor = 4_500) => new
    {
        name, target, bonusMinor, currency = "USD",
        startsAt = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"), endsAt = DateTimeOffset.UtcNow.AddDays(3).ToString("O"),
        area = new { lat = city.Lat, lng = city.Lng, radiusKm = 5 },
    };

    private static async Task<string> RideAsync(PlatformClient client, OnlineDriver driver, Point pickup)
    {
        var rider = await client.SignInAsync("rider");
        var tripId = (await rider.RequestTripAsync(pickup, pickup.Offset(-2_000, 1_200))).Str("tripId");
        Assert.Equal("completed", (await Rides.DriveAsync(rider, driver, tripId, pickup)).Str("status"));
        return tripId;
    }

    [Fact]
    public async Task Two_rides_in_the_city_earn_the_bonus_once_on_the_socket_in_the_ledger_in_the_earnings_and_by_mail()
    {
        var client = stack.Client();
        var support = await stack.SupportAsync();
        var city = Point.FreshCity();
        var quest = await support.PostOkAsync("/api/trips/ops/quests", Terms(city));
        var questId = quest.Str("id");
        Assert.Equal(("Weekend rush", 2, "active", 4_500L), (quest.Str("name"), quest["target"]!.GetValue<int>(), quest.Str("status"), quest["bonus"]!["amountMinor"]!.GetValue<long>()));

        await using var driver = await OnlineDriver.StartAsync(client, city.Offset(40, 0));
        await Rides.ConfirmEmailAsync(driver.User, stack.Mailbox);
        var mine = Assert.Single((await driver.User.GetOkAsync("/api/trips/quests"))["quests"]!.AsArray(), q => q!["quest"].Str("id") == questId)!;
        Assert.Equal((0, 2, false), (mine["done"]?.GetValue<int>() ?? 0, mine["target"]!.GetValue<int>(), mine["earned"]?.GetValue<bool>() ?? false));

        var first = await RideAsync(client, driver, city);
        var progress = await driver.Socket.WaitForAsync("driver.quest", m => m["data"].Str("questId") == questId);
        Assert.Equal((1, 2, false, first), (progress["data"]!["done"]!.GetValue<int>(), progress["data"]!["target"]!.GetValue<int>(),
            progress["data"]!["earned"]!.GetValue<bool>(), progress["data"].Str("tripId")));

        var second = await RideAsync(client, driver, city.Offset(300, 300));
        var reached = await driver.Socket.WaitForAsync("driver.quest", m => m["data"].Str("questId") == questId && m["data"]!["earned"]!.GetValue<bool>());
        Assert.Equal((2, second, 4_500L), (reached["data"]!["done"]!.GetValue<int>(), reached["data"].Str("tripId"), reached["data"]!["bonusMinor"]!.GetValue<long>()));
        var mail = await stack.Mailbox.WaitForAsync(driver.User.Email, m => m.Subject.StartsWith("Quest complete"));
        Assert.Equal("Quest complete: $45.00 bonus added to your earnings", mail.Subject);
        Assert.Contains("\"Weekend rush\"", mail.Text);

        // Payments owes the rides' earnings and the bonus; the earnings (card, statement, CSV) show the bonus as its own line.
        var earnings = await driver.User.GetOkAsync(
            $"/api/trips/earnings?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"))}");
        var bonus = Assert.Single(earnings["questBonuses"]!.AsArray())!;
        Assert.Equal((questId, "Weekend rush", 4_500L, second), (bonus.Str("questId"), bonus.Str("name"), bonus["bonus"]!["amountMinor"]!.GetValue<long>(), bonus.Str("tripId")));
        var rides = earnings["items"]!.AsArray().Sum(i => i!["earnings"]!["earnings"]!["amountMinor"]!.GetValue<long>());
        Assert.Equal(rides + 4_500, earnings["totals"]![0]!["amountMinor"]!.GetValue<long>());
        var owed = await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/payments/payouts"),
            p => p["owed"]!.AsArray().Sum(o => o!["amountMinor"]!.GetValue<long>()) == rides + 4_500);
        var desk = await support.GetOkAsync($"/api/payments/drivers/{driver.User.UserId}/payouts");
        Assert.Equal(rides + 4_500, desk["owed"]![0]!["amountMinor"]!.GetValue<long>());
        Assert.Equal(1, Assert.Single((await support.GetOkAsync("/api/trips/ops/quests"))["quests"]!.AsArray(), q => q.Str("id") == questId)!["driversEarned"]!.GetValue<int>());

        // Delivered again (a publisher that sent its outbox twice): the completions count nothing more, the bonus is the same line, no second mail.
        foreach (var tripId in new[] { first, second })
        {
            await stack.RedeliverAsync(Topics.TripCompleted, tripId, new TripCompletedIntegrationEvent(tripId, "r", driver.User.UserId, 0, "USD", DateTimeOffset.UtcNow));
        }
        await stack.RedeliverAsync(Topics.QuestBonusEarned, driver.User.UserId,
            new QuestBonusEarnedIntegrationEvent(questId, driver.User.UserId, "Weekend rush", 2, 4_500, "USD", second, DateTimeOffset.UtcNow));
        // A third ride after the bonus was earned is the marker: once it is owed, the redeliveries before it were handled.
        var third = await RideAsync(client, driver, city);
        var thirdEarned = (await driver.User.GetOkAsync($"/api/trips/{third}"))["driverEarnings"]!["earnings"]!["amountMinor"]!.GetValue<long>();
        var after = await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/payments/payouts"),
            p => p["owed"]!.AsArray().Sum(o => o!["amountMinor"]!.GetValue<long>()) >= rides + 4_500 + thirdEarned);
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        after = await driver.User.GetOkAsync("/api/payments/payouts");
        Assert.Equal(rides + 4_500 + thirdEarned, after["owed"]!.AsArray().Sum(o => o!["amountMinor"]!.GetValue<long>()));
        Assert.Single(stack.Mailbox.Received, m => m.To.Contains(driver.User.Email, StringComparer.OrdinalIgnoreCase) && m.Subject.StartsWith("Quest complete"));
        var read = Assert.Single((await driver.User.GetOkAsync("/api/trips/quests"))["quests"]!.AsArray(), q => q!["quest"].Str("id") == questId)!;
        Assert.Equal((2, true), (read["done"]!.GetValue<int>(), read["earned"]!.GetValue<bool>()));
        Assert.Equal(owed["owed"]![0].Str("currency"), after["owed"]![0].Str("currency"));
    }

    [Fact]
    public async Task A_driver_is_listed_quests_of_the_classes_they_are_approved_for_whatever_a_client_claims()
    {
        var client = stack.Client();
        var support = await stack.SupportAsync();
        var city = Point.FreshCity();
        async Task<string> QuestAsync(string name, string[] classes) => (await support.PostOkAsync("/api/trips/ops/quests", new
        {
            name, target = 5, bonusMinor = 2_000, currency = "USD", vehicleClasses = classes,
            startsAt = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"), endsAt = DateTimeOffset.UtcNow.AddDays(3).ToString("O"),
            area = new { lat = city.Lat, lng = city.Lng, radiusKm = 5 },
        })).Str("id");
        var anyCar = await QuestAsync("Any car", []);
        var comfort = await QuestAsync("Comfort evenings", ["comfort", "xl"]);
        var premium = await QuestAsync("Premium nights", ["premium"]);
        var driver = await client.SignInAsync("driver", approved: false);
        await client.ApproveAsync(driver, "economy", "comfort");

        async Task<string[]> ListedAsync(string? claimed = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/trips/quests");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", driver.Token);
            if (claimed is not null) request.Headers.Add(Caller.DriverClassesHeader, claimed);
            var quests = (await PlatformClient.ReadAsync(await client.Http.SendAsync(request, TestContext.Current.CancellationToken)))["quests"]?.AsArray() ?? [];
            return [.. quests.Select(q => q!["quest"].Str("id")).Where(id => id == anyCar || id == comfort || id == premium).Order()];
        }

        Assert.Equal(new[] { anyCar, comfort }.Order(), await ListedAsync());
        Assert.Equal(new[] { anyCar, comfort }.Order(), await ListedAsync(claimed: "premium")); // the gateway's word, not the client's
        // Support narrows the approval to economy: the comfort quest is no longer theirs to do.
        await support.PostOkAsync($"/api/ops/users/{driver.UserId}/driver-approval/restrict", new { classes = new[] { "economy" }, reason = "The car is not fit for comfort." });
        Assert.Equal([anyCar], await ListedAsync());
    }

    [Fact]
    public async Task Only_support_creates_and_ends_quests_bad_terms_name_the_field_and_an_ended_quest_counts_no_later_ride()
    {
        var client = stack.Client();
        var support = await stack.SupportAsync();
        var city = Point.FreshCity();
        Assert.Contains("target", (await support.PostAsync("/api/trips/ops/quests", Terms(city, target: 0)).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("name", (await support.PostAsync("/api/trips/ops/quests", Terms(city, name: " ")).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("bonusMinor", (await support.PostAsync("/api/trips/ops/quests", Terms(city, bonusMinor: -5)).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("endsAt", (await support.PostAsync("/api/trips/ops/quests", new
        {
            name = "Late", target = 1, bonusMinor = 100, currency = "USD", startsAt = DateTimeOffset.UtcNow.ToString("O"), endsAt = DateTimeOffset.UtcNow.AddDays(40).ToString("O"),
        }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));

        await using var driver = await OnlineDriver.StartAsync(client, city.Offset(40, 0));
        var rider = await client.SignInAsync("rider");
        await driver.User.PostAsync("/api/trips/ops/quests", Terms(city)).ProblemAsync(HttpStatusCode.Forbidden);
        await rider.PostAsync("/api/trips/ops/quests", Terms(city)).ProblemAsync(HttpStatusCode.Forbidden);
        await driver.User.GetAsync("/api/trips/ops/quests").ProblemAsync(HttpStatusCode.Forbidden);
        await rider.GetAsync("/api/trips/quests").ProblemAsync(HttpStatusCode.Forbidden);

        var questId = (await support.PostOkAsync("/api/trips/ops/quests", Terms(city, name: "Short one", target: 1))).Str("id");
        // Where the driver is leaves another city's quest out (a degree of latitude is 111 km from its 5 km circle).
        static string Near(Point p) => $"/api/trips/quests?lat={p.Lat.ToString(System.Globalization.CultureInfo.InvariantCulture)}&lng={p.Lng.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        Assert.Contains((await driver.User.GetOkAsync(Near(city)))["quests"]!.AsArray(), q => q!["quest"].Str("id") == questId);
        Assert.DoesNotContain((await driver.User.GetOkAsync(Near(new Point(city.Lat + 1, city.Lng))))["quests"]?.AsArray() ?? [], q => q!["quest"].Str("id") == questId);
        Assert.Contains("lat and lng", (await driver.User.GetAsync("/api/trips/quests?lat=10").ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        await driver.User.PostAsync($"/api/trips/ops/quests/{questId}/end", new { }).ProblemAsync(HttpStatusCode.Forbidden);
        await support.PostAsync("/api/trips/ops/quests/nosuchquest/end", new { }).ProblemAsync(HttpStatusCode.NotFound);
        var ended = await support.PostOkAsync($"/api/trips/ops/quests/{questId}/end", new { });
        Assert.Equal("ended", ended.Str("status"));
        var audit = await support.GetOkAsync($"/api/ops/audit?operatorId={support.UserId}");
        Assert.Contains(audit["actions"]!.AsArray(), a => a.Str("action") == "quest.ended" && a.Str("reason") == $"quest {questId}");

        await RideAsync(client, driver, city);
        // The ride's completion is handled (its earnings reach payments) without moving the ended quest.
        await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/payments/payouts"), p => p["owed"]!.AsArray().Count > 0);
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        var mine = Assert.Single((await driver.User.GetOkAsync("/api/trips/quests"))["quests"]!.AsArray(), q => q!["quest"].Str("id") == questId)!;
        Assert.Equal((0, false), (mine["done"]?.GetValue<int>() ?? 0, mine["earned"]?.GetValue<bool>() ?? false));
    }
}
