using System.Net;
using System.Text.Json.Nodes;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>"Download my data" on the whole stack: the file holds the account, saved places, every trip with its receipt, help requests, sessions and 2-step verification.</summary>
public sealed class DataExportTests(LifecycleStackFixture stack)
{
    private static async Task<(JsonObject Data, HttpResponseMessage Response)> ExportAsync(UserSession user)
    {
        var response = await user.GetAsync("/api/auth/me/export");
        return (await PlatformClient.ReadAsync(response), response);
    }

    [Fact]
    public async Task A_rider_and_a_driver_download_what_uberclone_keeps_of_them()
    {
        var (rider, riderSocket, driver, tripId) = await Rides.CompletedAsync(stack.Client());
        await using var _ = riderSocket;
        await using var __ = driver;
        await rider.SendAsync(HttpMethod.Put, "/api/me/places/Home", System.Net.Http.Json.JsonContent.Create(new { lat = 48.85, lng = 2.35 }));
        await rider.PostOkAsync($"/api/trips/{tripId}/help", new { topic = "lost_item", text = "I left my umbrella", clientMessageId = "m1" });

        var (mine, response) = await ExportAsync(rider);

        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"uberclone-data-{rider.UserId}.json", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal((rider.UserId, rider.Email, "rider"), (mine["account"].Str("userId"), mine["account"].Str("email"), mine["account"].Str("role")));
        Assert.DoesNotContain("passwordHash", mine.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Home", Assert.Single(mine["savedPlaces"]!.AsArray())!.Str("label"));
        var trip = Assert.Single(mine["trips"]!.AsArray())!;
        Assert.Equal((tripId, "completed"), (trip.Str("tripId"), trip.Str("status")));
        Assert.NotNull(trip["receipt"]);
        var help = Assert.Single(mine["helpRequests"]!.AsArray())!;
        Assert.Equal(("lost_item", tripId), (help.Str("topic"), help.Str("tripId")));
        // Where they are signed in (this very session, marked current) and that signing in takes the password alone.
        var session = Assert.Single(mine["sessions"]!.AsArray(), s => s!["current"]!.GetValue<bool>())!;
        Assert.False(string.IsNullOrEmpty(session.Str("device")));
        Assert.False(mine["twoStepVerification"]!["enabled"]!.GetValue<bool>());

        var (theirs, _) = await ExportAsync(driver.User);
        Assert.Equal("driver", theirs["account"].Str("role"));
        Assert.Equal("Toyota", theirs["account"]!["vehicle"].Str("make"));
        Assert.Equal(tripId, Assert.Single(theirs["trips"]!.AsArray())!.Str("tripId"));
        Assert.Empty(theirs["helpRequests"]!.AsArray());

        var support = await stack.SupportAsync();
        await support.GetAsync("/api/auth/me/export").ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_messages_of_a_trip_are_in_both_sides_files()
    {
        await using var trip = await AssignedTrip.StartAsync(stack.Client());
        await trip.Rider.PostOkAsync($"/api/trips/{trip.TripId}/messages", new { text = "I'm at the north gate", clientMessageId = "c1" });
        await trip.Driver.User.PostOkAsync($"/api/trips/{trip.TripId}/messages", new { text = "On my way", clientMessageId = "c2" });

        foreach (var user in new[] { trip.Rider, trip.Driver.User })
        {
            var (data, _) = await ExportAsync(user);
            var exported = Assert.Single(data["trips"]!.AsArray())!;
            Assert.Equal(trip.TripId, exported.Str("tripId"));
            Assert.Equal([("rider", "I'm at the north gate"), ("driver", "On my way")],
                exported["messages"]!.AsArray().Select(m => (m.Str("from"), m.Str("text"))));
        }
    }
}
