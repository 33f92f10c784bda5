using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using UberClone.Gateway.Proxy;

namespace UberClone.Gateway.Tests;

/// <summary>Support's driver card says who removed a strike by name, not by account id (ADR 0050): the gateway names them.</summary>
public sealed class StrikeRemoversTests
{
    [Fact]
    public async Task A_removed_strike_is_named_with_the_operator_who_removed_it_each_operator_read_once()
    {
        var list = JsonNode.Parse("""
            {"rides": [], "strikes": [
              {"tripId": "t1", "why": "late_release", "removedBy": "op1", "removedReason": "crash"},
              {"tripId": "t2", "why": "missed", "removedBy": ""},
              {"tripId": "t3", "why": "missed", "removedBy": "op1", "removedReason": "the rider asked"},
              {"tripId": "t4", "why": "missed", "removedBy": "gone"}
            ]}
            """)!.AsObject();
        var reads = new List<string>();

        await StrikeRemovers.NameAsync(list, id =>
        {
            reads.Add(id);
            return Task.FromResult(id == "op1" ? "Sam Support" : null);
        });

        var strikes = list["strikes"]!.AsArray();
        Assert.Equal(["Sam Support", null, "Sam Support", null], strikes.Select(s => s!["removedByName"]?.GetValue<string>()));
        Assert.Equal(["op1", "gone"], reads);
        Assert.Equal("op1", strikes[0]!["removedBy"]!.GetValue<string>()); // the id stays
    }

    [Fact]
    public async Task A_list_without_strikes_is_left_as_it_is()
    {
        var list = JsonNode.Parse("""{"rides": []}""")!.AsObject();

        await StrikeRemovers.NameAsync(list, _ => throw new InvalidOperationException("nobody to name"));

        Assert.Equal("""{"rides":[]}""", list.ToJsonString());
    }

    [Theory]
    [InlineData("/api/trips/ops/drivers/d1/reservations", true)]
    [InlineData("/api/trips/ops/drivers/d1/reservations/strikes/remove", true)]
    [InlineData("/api/trips/reservable", false)]
    [InlineData("/api/trips/ops/drivers/d1/reservations/other", false)]
    [InlineData("/api/trips/t1/reservation", false)]
    public void Only_the_answers_that_list_a_drivers_strikes_are_named(string path, bool listed) =>
        Assert.Equal(listed, StrikeRemovers.AreListedIn(new PathString(path)));
}
