using System.Diagnostics.Metrics;
using UberClone.Trips.Application;
using UberClone.Trips.Promotions;

namespace UberClone.Trips.Tests;

/// <summary>What promotions cost the platform is on the dashboard, by kind (codes are unbounded, kinds are three).</summary>
public sealed class PromotionMetricsTests
{
    [Fact]
    public void Completed_rides_with_a_promotion_count_their_discount_by_kind_and_currency()
    {
        using var factory = new TestMeters();
        var metrics = new TripsMetrics(factory);
        var seen = new List<(string Name, long Value, string Kind, string? Currency)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == TripsMetrics.MeterName && instrument.Name.StartsWith("uberclone.trips.promotion_")) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var all = tags.ToArray();
            seen.Add((instrument.Name, value, (string)all.Single(t => t.Key == "kind").Value!, all.FirstOrDefault(t => t.Key == "currency").Value as string));
        });
        listener.Start();

        metrics.PromotionRedeemed("HALF50", 400, "USD");
        metrics.PromotionRedeemed(Referrals.CodeFor("r1"), 650, "USD");
        metrics.PromotionRedeemed(Referrals.Reward(Referrals.CodeFor("r1"), "r2", new ReferralOptions(), TestTrips.Now).Code, 500, "EUR");

        Assert.Equal(
            [("uberclone.trips.promotion_rides", 1L, "promotion", null), ("uberclone.trips.promotion_discount", 400L, "promotion", "USD"),
             ("uberclone.trips.promotion_rides", 1L, "invite", null), ("uberclone.trips.promotion_discount", 650L, "invite", "USD"),
             ("uberclone.trips.promotion_rides", 1L, "reward", null), ("uberclone.trips.promotion_discount", 500L, "reward", "EUR")],
            seen);
    }
}
