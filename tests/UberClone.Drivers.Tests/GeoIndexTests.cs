using UberClone.Contracts;
using UberClone.Drivers.Geo;

namespace UberClone.Drivers.Tests;

public class GeoIndexTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Nearest_matches_a_brute_force_search_on_random_cities()
    {
        var random = new Random(42);
        for (var round = 0; round < 20; round++)
        {
            var index = new GeoIndex();
            var center = new GeoPoint(random.NextDouble() * 140 - 70, random.NextDouble() * 340 - 170);
            var positions = new Dictionary<string, GeoPoint>();
            for (var i = 0; i < 2_000; i++)
            {
                var p = new GeoPoint(center.Lat + (random.NextDouble() - 0.5) * 0.4, center.Lng + (random.NextDouble() - 0.5) * 0.4);
                positions[$"d{i}"] = p;
                index.Upsert($"d{i}", p.Lat, p.Lng, Now);
            }
            var query = new GeoPoint(center.Lat + (random.NextDouble() - 0.5) * 0.2, center.Lng + (random.NextDouble() - 0.5) * 0.2);
            var radius = 1_000 + random.NextDouble() * 9_000;
            var k = 1 + random.Next(20);

            var expected = positions
                .Select(kv => (Id: kv.Key, Distance: Contracts.Geo.DistanceMeters(query, kv.Value)))
                .Where(x => x.Distance <= radius)
                .OrderBy(x => x.Distance)
                .Take(k)
                .Select(x => x.Id)
                .ToList();
            var actual = index.Nearest(query, k, radius, _ => true).Select(h => h.Entry.DriverId).ToList();
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Moving_a_driver_moves_them_in_the_index()
    {
        var index = new GeoIndex();
        index.Upsert("d1", 52.52, 13.40, Now);
        index.Upsert("d1", 48.85, 2.35, Now.AddSeconds(1));
        Assert.Empty(index.Nearest(new GeoPoint(52.52, 13.40), 5, 5_000, _ => true));
        Assert.Single(index.Nearest(new GeoPoint(48.85, 2.35), 5, 5_000, _ => true));
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void Removed_driver_is_not_found()
    {
        var index = new GeoIndex();
        index.Upsert("d1", 52.52, 13.40, Now);
        index.Remove("d1");
        Assert.Empty(index.Nearest(new GeoPoint(52.52, 13.40), 5, 5_000, _ => true));
    }

    [Fact]
    public void Filter_excludes_drivers_and_the_next_nearest_is_returned()
    {
        var index = new GeoIndex();
        index.Upsert("near", 52.5200, 13.4000, Now);
        index.Upsert("far", 52.5300, 13.4000, Now);
        var hit = Assert.Single(index.Nearest(new GeoPoint(52.52, 13.40), 1, 5_000, e => e.DriverId != "near"));
        Assert.Equal("far", hit.Entry.DriverId);
    }

    [Fact]
    public void Concurrent_updates_and_queries_keep_every_driver_exactly_once()
    {
        var index = new GeoIndex();
        Parallel.For(0, 8, worker =>
        {
            var random = new Random(worker);
            for (var i = 0; i < 5_000; i++)
            {
                var id = $"d{random.Next(200)}";
                index.Upsert(id, 52.5 + random.NextDouble() * 0.1, 13.4 + random.NextDouble() * 0.1, Now);
                index.Nearest(new GeoPoint(52.55, 13.45), 10, 10_000, _ => true);
            }
        });
        var all = index.Nearest(new GeoPoint(52.55, 13.45), 1_000, 50_000, _ => true);
        Assert.Equal(index.Count, all.Count);
        Assert.Equal(all.Count, all.Select(h => h.Entry.DriverId).Distinct().Count());
    }
}
