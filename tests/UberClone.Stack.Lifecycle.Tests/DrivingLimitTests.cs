using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// The driving limit through the gateway (ADR 0026): the driver's state says how long they have been online in this
/// working period, of the 12 hours allowed before a 6-hour rest, and a short break pauses the count without resetting it.
/// (Reaching the limit itself is driven with a fake clock in the drivers service's tests.)
/// </summary>
public sealed class DrivingLimitTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task The_drivers_state_counts_their_time_online_and_a_break_pauses_it()
    {
        var at = Point.FreshCity();
        await using var driver = await OnlineDriver.StartAsync(stack.Client(), at);

        var online = await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/drivers/me"), d => Seconds(d, "onlineSeconds") >= 2);
        Assert.Equal((43_200L, 21_600L), (Seconds(online, "maxOnlineSeconds"), Seconds(online, "restSeconds")));
        Assert.True(string.IsNullOrEmpty((string?)online["restsUntil"])); // not resting

        var offline = await driver.User.PostOkAsync("/api/drivers/me/offline", new { });
        var paused = Seconds(offline, "onlineSeconds");
        Assert.True(paused >= 2, $"{paused} s");
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        Assert.Equal(paused, Seconds(await driver.User.GetOkAsync("/api/drivers/me"), "onlineSeconds")); // a break: not counted, not reset

        await driver.User.PostOkAsync("/api/drivers/me/online", new { vehicleClass = "economy", location = new { lat = at.Lat, lng = at.Lng } });
        await Http.EventuallyAsync(() => driver.User.GetOkAsync("/api/drivers/me"), d => Seconds(d, "onlineSeconds") >= paused + 1);
    }

    /// <summary>Proto JSON writes int64 as a string and leaves 0 out.</summary>
    private static long Seconds(System.Text.Json.Nodes.JsonObject driver, string field) => driver[field] is { } value ? long.Parse(value.ToString()) : 0;
}
