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
    public void Any_instance_of_an_id_updates_the_same_driver_inside_a_cell_and_across_cells()
    {
        var index = new GeoIndex();
        var first = string.Concat("d", "1");
        var other = string.Concat("d", "1");
        Assert.NotSame(first, other);

        index.Upsert(first, 52.5200, 13.4000, Now);
        index.Upsert(other, 52.5201, 13.4001, Now.AddSeconds(1)); // same cell, another instance: the id table's path
        index.Upsert(first, 52.5202, 13.4002, Now.AddSeconds(2)); // same cell, the first instance again
        index.Upsert(other, 52.5203, 13.4003, Now.AddSeconds(3)); // same cell, found in place by the instance kept last
        Assert.Equal(1, index.Count);
        Assert.Equal(new GeoEntry("d1", 52.5203, 13.4003, Now.AddSeconds(3)), index.Get("d1"));

        index.Upsert(first, 52.5400, 13.4400, Now.AddSeconds(4)); // another cell
        index.Upsert(other, 52.5401, 13.4401, Now.AddSeconds(5));
        var hit = Assert.Single(index.Nearest(new GeoPoint(52.54, 13.44), 5, 50_000));
        Assert.Equal(new GeoEntry("d1", 52.5401, 13.4401, Now.AddSeconds(5)), hit.Entry);

        index.Remove(string.Concat("d", "1"));
        Assert.Equal(0, index.Count);
        Assert.Empty(index.Nearest(new GeoPoint(52.54, 13.44), 5, 50_000));
        index.Upsert(first, 52.5200, 13.4000, Now.AddSeconds(6)); // back after leaving: added again, not updated in place
        Assert.Equal(1, index.Count);
        Assert.Equal(new GeoEntry("d1", 52.52, 13.40, Now.AddSeconds(6)), index.Get(other));
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

    [Fact]
    public void Nearest_matches_brute_force_after_random_moves_removals_and_with_a_filter()
    {
        var random = new Random(7);
        for (var round = 0; round < 30; round++)
        {
            var index = new GeoIndex();
            var center = new GeoPoint(random.NextDouble() * 160 - 80, random.NextDouble() * 360 - 180);
            var positions = new Dictionary<string, GeoPoint>();
            var kept = Enumerable.Range(0, 800).Select(i => $"d{i}").ToArray();
            for (var op = 0; op < 3_000; op++)
            {
                // The same instance (the registry's way: updates inside a cell skip the id table) or an equal new one.
                var n = random.Next(800);
                var id = random.Next(2) == 0 ? kept[n] : $"d{n}";
                if (random.Next(10) == 0)
                {
                    index.Remove(id);
                    positions.Remove(id);
                    continue;
                }
                var p = positions.TryGetValue(id, out var old) && random.Next(2) == 0
                    ? new GeoPoint(Math.Clamp(old.Lat + (random.NextDouble() - 0.5) * 0.002, -90, 90), old.Lng)
                    : new GeoPoint(Math.Clamp(center.Lat + (random.NextDouble() - 0.5) * 0.3, -90, 90), Wrap(center.Lng + (random.NextDouble() - 0.5) * 0.3));
                positions[id] = p;
                index.Upsert(id, p.Lat, p.Lng, Now);
            }
            Assert.Equal(positions.Count, index.Count);
            for (var q = 0; q < 10; q++)
            {
                var query = new GeoPoint(Math.Clamp(center.Lat + (random.NextDouble() - 0.5) * 0.2, -90, 90), Wrap(center.Lng + (random.NextDouble() - 0.5) * 0.2));
                var radius = 500 + random.NextDouble() * 10_000;
                var k = 1 + random.Next(15);
                var odd = random.Next(2) == 0;
                bool Accept(string id) => !odd || int.Parse(id.AsSpan(1)) % 2 == 1;

                var expected = positions
                    .Where(kv => Accept(kv.Key))
                    .Select(kv => (Id: kv.Key, Distance: Contracts.Geo.DistanceMeters(query, kv.Value)))
                    .Where(x => x.Distance <= radius)
                    .OrderBy(x => x.Distance)
                    .Take(k)
                    .ToList();
                var actual = index.Nearest(query, k, radius, e => Accept(e.DriverId));
                Assert.Equal(expected.Select(x => x.Id), actual.Select(h => h.Entry.DriverId));
                Assert.All(actual.Zip(expected), pair => Assert.Equal(pair.Second.Distance, pair.First.DistanceMeters, tolerance: 0.05));
            }
        }
    }

    [Fact]
    public void Batches_of_fixes_take_each_fix_only_if_newer_and_match_brute_force()
    {
        var random = new Random(11);
        for (var round = 0; round < 20; round++)
        {
            var index = new GeoIndex();
            var center = new GeoPoint(random.NextDouble() * 160 - 80, random.NextDouble() * 360 - 180);
            var model = new Dictionary<string, (GeoPoint Point, DateTimeOffset At)>();
            var kept = Enumerable.Range(0, 500).Select(i => $"d{i}").ToArray();
            for (var op = 0; op < 40; op++)
            {
                // Batches of 1 to 100 fixes: the same driver twice, new drivers, moves across cells, older fixes, either instance of the id.
                var fixes = new GeoFix[1 + random.Next(100)];
                var expected = new bool[fixes.Length];
                for (var i = 0; i < fixes.Length; i++)
                {
                    var n = random.Next(500);
                    var id = random.Next(2) == 0 ? kept[n] : $"d{n}";
                    var known = model.TryGetValue(id, out var old);
                    var p = known && random.Next(3) > 0
                        ? new GeoPoint(Math.Clamp(old.Point.Lat + (random.NextDouble() - 0.5) * 0.002, -90, 90), old.Point.Lng)
                        : new GeoPoint(Math.Clamp(center.Lat + (random.NextDouble() - 0.5) * 0.3, -90, 90), Wrap(center.Lng + (random.NextDouble() - 0.5) * 0.3));
                    var at = Now.AddSeconds(op * 10 + random.Next(-15, 15));
                    fixes[i] = new GeoFix(id, p.Lat, p.Lng, at);
                    expected[i] = !known || old.At < at;
                    if (expected[i]) model[id] = (p, at);
                }
                var applied = new bool[fixes.Length];
                index.UpsertNewer(fixes, applied);
                Assert.Equal(expected, applied);
            }

            Assert.Equal(model.Count, index.Count);
            foreach (var (id, (point, at)) in model)
            {
                var entry = index.Get(id)!.Value;
                Assert.Equal(point.Lat, entry.Lat, tolerance: 1e-7);
                Assert.Equal(point.Lng, entry.Lng, tolerance: 1e-7);
                Assert.Equal(at, entry.At);
            }
            var query = new GeoPoint(Math.Clamp(center.Lat + (random.NextDouble() - 0.5) * 0.2, -90, 90), Wrap(center.Lng + (random.NextDouble() - 0.5) * 0.2));
            var nearest = model
                .Select(kv => (Id: kv.Key, Distance: Contracts.Geo.DistanceMeters(query, kv.Value.Point)))
                .Where(x => x.Distance <= 5_000)
                .OrderBy(x => x.Distance)
                .Take(10)
                .Select(x => x.Id);
            Assert.Equal(nearest, index.Nearest(query, 10, 5_000).Select(h => h.Entry.DriverId));
        }
    }

    [Fact]
    public void Concurrent_batches_single_updates_and_removals_never_duplicate_or_lose_a_driver_nor_take_an_older_fix()
    {
        var index = new GeoIndex();
        var kept = Enumerable.Range(0, 300).Select(i => $"d{i}").ToArray();
        var clock = 0L;
        Parallel.For(0, 8, worker =>
        {
            var random = new Random(200 + worker);
            for (var i = 0; i < 2_000; i++)
            {
                if (worker % 2 == 0)
                {
                    var fixes = Enumerable.Range(0, 40).Select(_ =>
                    {
                        var n = random.Next(300);
                        return new GeoFix(random.Next(2) == 0 ? kept[n] : $"d{n}", 52.5 + random.NextDouble() * 0.2, 13.4 + random.NextDouble() * 0.2,
                            Now.AddTicks(Interlocked.Increment(ref clock)));
                    }).ToArray();
                    index.UpsertNewer(fixes, new bool[fixes.Length]);
                }
                else
                {
                    var n = random.Next(300);
                    if (random.Next(20) == 0) index.Remove(kept[n]);
                    else index.Upsert(kept[n], 52.5 + random.NextDouble() * 0.2, 13.4 + random.NextDouble() * 0.2, Now.AddTicks(Interlocked.Increment(ref clock)));
                }
                if (i % 10 == 0) index.Nearest(new GeoPoint(52.6, 13.5), 10, 20_000);
            }
        });
        var all = index.Nearest(new GeoPoint(52.6, 13.5), 1_000, 100_000);
        Assert.Equal(index.Count, all.Count);
        Assert.Equal(all.Count, all.Select(h => h.Entry.DriverId).Distinct().Count());
        Assert.All(all, h => Assert.Equal(h.Entry, index.Get(h.Entry.DriverId)));
        // A fix older than every one indexed changes nothing.
        var stale = all.Select(h => new GeoFix(h.Entry.DriverId, 10, 10, Now)).ToArray();
        var applied = new bool[stale.Length];
        index.UpsertNewer(stale, applied);
        Assert.DoesNotContain(true, applied);
        Assert.Empty(index.Nearest(new GeoPoint(10, 10), 10, 10_000));
    }

    [Fact]
    public void Two_threads_racing_fixes_of_one_driver_in_different_cells_leave_the_newer_one()
    {
        var older = Now.AddSeconds(1);
        var newer = Now.AddSeconds(2);
        for (var round = 0; round < 3_000; round++)
        {
            var index = new GeoIndex();
            var start = round % 2 == 0;
            // Half the rounds race for a driver the index does not hold yet, half for one already there, each fix in a cell of its own.
            if (!start) index.Upsert("d1", 52.50, 13.40, Now);
            using var go = new Barrier(2);
            Parallel.Invoke(
                () => { go.SignalAndWait(); index.UpsertNewer(new GeoFix("d1", 52.52, 13.42, newer)); },
                () => { go.SignalAndWait(); index.UpsertNewer(new GeoFix("d1", 52.54, 13.44, older)); });

            var kept = index.Get("d1")!.Value;
            Assert.Equal((newer, 52.52), (kept.At, Math.Round(kept.Lat, 2)));
            Assert.Single(index.Nearest(new GeoPoint(52.52, 13.42), 10, 10_000));
            Assert.False(index.UpsertNewer(new GeoFix("d1", 52.56, 13.46, older)));
            Assert.True(index.UpsertNewer(new GeoFix("d1", 52.56, 13.46, newer), sameTimeToo: true));
        }
    }

    [Fact]
    public void Drivers_across_the_antimeridian_are_neighbours()
    {
        var index = new GeoIndex();
        index.Upsert("east", 10, 179.999, Now);
        index.Upsert("west", 10, -179.999, Now);
        var hits = index.Nearest(new GeoPoint(10, 180), 5, 1_000);
        Assert.Equal(["east", "west"], hits.Select(h => h.Entry.DriverId).Order());
    }

    [Fact]
    public void Position_and_time_are_returned_as_stored()
    {
        var index = new GeoIndex();
        index.Upsert("d1", 52.5200001, 13.4049999, Now);
        var entry = index.Get("d1")!.Value;
        Assert.Equal(52.5200001, entry.Lat, precision: 7);
        Assert.Equal(13.4049999, entry.Lng, precision: 7);
        Assert.Equal(Now, entry.At);
        Assert.Null(index.Get("d2"));
    }

    [Fact]
    public void Concurrent_moves_and_removals_never_duplicate_or_lose_a_present_driver()
    {
        var index = new GeoIndex();
        var kept = Enumerable.Range(0, 300).Select(i => $"d{i}").ToArray();
        Parallel.For(0, 8, worker =>
        {
            var random = new Random(100 + worker);
            for (var i = 0; i < 20_000; i++)
            {
                var n = random.Next(300);
                var id = random.Next(2) == 0 ? kept[n] : $"d{n}";
                if (random.Next(20) == 0) index.Remove(id);
                else index.Upsert(id, 52.5 + random.NextDouble() * 0.2, 13.4 + random.NextDouble() * 0.2, Now);
                if (i % 10 == 0) index.Nearest(new GeoPoint(52.6, 13.5), 10, 20_000);
            }
        });
        var all = index.Nearest(new GeoPoint(52.6, 13.5), 1_000, 100_000);
        Assert.Equal(index.Count, all.Count);
        Assert.Equal(all.Count, all.Select(h => h.Entry.DriverId).Distinct().Count());
        Assert.All(all, h => Assert.Equal(h.Entry, index.Get(h.Entry.DriverId)));
    }

    [Fact]
    public async Task Queries_during_concurrent_moves_see_every_driver_who_stays_in_the_cell_exactly_once()
    {
        // 100 drivers stay in one cell (moving inside it) while 20 others keep leaving and re-entering it, so the
        // cell's arrays are swap-removed, appended to and regrown under the readers (which take no lock).
        var index = new GeoIndex();
        var random = new Random(3);
        var stayers = Enumerable.Range(0, 100).Select(i => $"s{i}").ToArray();
        foreach (var id in stayers) index.Upsert(id, 52.5012 + random.NextDouble() * 0.0075, 13.4012 + random.NextDouble() * 0.0075, Now);
        var stop = 0;
        var writers = Enumerable.Range(0, 3).Select(worker => Task.Run(() =>
        {
            var r = new Random(worker);
            while (Volatile.Read(ref stop) == 0)
            {
                // Stayers ping with the instance they were added with (found in the cell by reference) or an equal one.
                var n = r.Next(100);
                index.Upsert(r.Next(2) == 0 ? stayers[n] : $"s{n}", 52.5012 + r.NextDouble() * 0.0075, 13.4012 + r.NextDouble() * 0.0075, Now);
                var mover = $"m{r.Next(20)}";
                switch (r.Next(3))
                {
                    case 0: index.Upsert(mover, 52.5012 + r.NextDouble() * 0.0075, 13.4012 + r.NextDouble() * 0.0075, Now); break;
                    case 1: index.Upsert(mover, 48.85, 2.35, Now); break;
                    default: index.Remove(mover); break;
                }
            }
        }, TestContext.Current.CancellationToken)).ToArray();
        try
        {
            for (var q = 0; q < 3_000; q++)
            {
                var filtered = q % 2 == 0;
                var hits = index.Nearest(new GeoPoint(52.505, 13.405), 500, 2_000, filtered ? e => e.DriverId[0] == 's' : null);
                var found = hits.Select(h => h.Entry.DriverId).Where(id => id[0] == 's').ToList();
                Assert.Equal(100, found.Count);
                Assert.Equal(100, found.Distinct().Count());
                Assert.Equal(hits.Count, hits.Select(h => h.Entry.DriverId).Distinct().Count());
                Assert.All(hits, h => Assert.InRange(h.Entry.Lat, 52.5, 52.51));
                Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.DistanceMeters <= p.Second.DistanceMeters));
            }
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            await Task.WhenAll(writers);
        }
    }

    [Fact]
    public async Task Lookups_stay_right_while_the_id_table_grows_and_drivers_leave_and_come_back()
    {
        var index = new GeoIndex();
        var stop = 0;
        index.Upsert("anchor", 10, 10, Now);
        var reader = Task.Run(() =>
        {
            var misses = 0;
            while (Volatile.Read(ref stop) == 0)
            {
                if (index.Get("anchor") is null) misses++;
            }
            return misses;
        }, TestContext.Current.CancellationToken);
        for (var i = 0; i < 50_000; i++) index.Upsert($"d{i}", 10 + i % 100 * 0.001, 10 + i / 100 * 0.001, Now);
        for (var i = 0; i < 50_000; i += 2) index.Remove($"d{i}");
        for (var i = 0; i < 50_000; i += 4) index.Upsert($"d{i}", 20, 20, Now.AddSeconds(1));
        Volatile.Write(ref stop, 1);
        Assert.Equal(0, await reader);

        Assert.Equal(1 + 25_000 + 12_500, index.Count);
        for (var i = 0; i < 50_000; i++)
        {
            var entry = index.Get($"d{i}");
            if (i % 4 == 0) Assert.Equal((20.0, 20.0, Now.AddSeconds(1)), (entry!.Value.Lat, entry.Value.Lng, entry.Value.At));
            else if (i % 2 == 0) Assert.Null(entry);
            else Assert.Equal(10 + i % 100 * 0.001, entry!.Value.Lat, precision: 7);
        }
        var hits = index.Nearest(new GeoPoint(20, 20), 50, 100);
        Assert.Equal(50, hits.Count);
        Assert.All(hits, h => Assert.Equal(0, int.Parse(h.Entry.DriverId.AsSpan(1)) % 4));
    }

    private static double Wrap(double lng) => lng > 180 ? lng - 360 : lng < -180 ? lng + 360 : lng;
}
