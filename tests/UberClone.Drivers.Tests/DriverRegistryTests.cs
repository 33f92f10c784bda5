using UberClone.Contracts;
using UberClone.Drivers.Application;
using UberClone.Drivers.Domain;

namespace UberClone.Drivers.Tests;

/// <summary>One replica's view of drivers, kept in step with what the other replicas announce.</summary>
public class DriverRegistryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly GeoPoint Here = new(48.8566, 2.3522);
    private static readonly GeoPoint There = new(48.8600, 2.3600);

    [Fact]
    public void An_older_record_arriving_late_does_not_undo_a_newer_one()
    {
        var registry = new DriverRegistry();
        var online = Driver.New("d1", "economy", Now).GoOnline("economy", Here, Now);
        var offered = online.OfferTrip(new Offer("o1", "t1", "r1", Now.AddSeconds(15)), Now.AddSeconds(1));

        registry.Apply(offered);
        registry.Apply(online); // sent before, delivered after
        registry.Apply(online);

        Assert.Equal(DriverStates.Offered, registry.Get("d1")!.State);
        Assert.NotNull(registry.Position("d1"));
    }

    [Fact]
    public void Going_offline_anywhere_takes_the_driver_out_of_every_view_and_a_late_fix_does_not_bring_them_back()
    {
        var registry = new DriverRegistry();
        var online = Driver.New("d1", "economy", Now).GoOnline("economy", Here, Now);
        registry.Apply(online);
        var offline = online.GoOffline(Now.AddSeconds(5));

        registry.Apply(offline);
        registry.Apply(online with { Location = There, LocationAt = Now.AddSeconds(4) }); // a ping announced before going offline

        Assert.Equal(DriverStates.Offline, registry.Get("d1")!.State);
        Assert.Null(registry.Position("d1"));
        Assert.Equal(0, registry.OnlineCount);
    }

    [Fact]
    public void A_newer_fix_counts_even_in_an_announcement_of_an_older_record()
    {
        var registry = new DriverRegistry();
        var online = Driver.New("d1", "economy", Now).GoOnline("economy", Here, Now);
        var offered = online.OfferTrip(new Offer("o1", "t1", "r1", Now.AddSeconds(15)), Now.AddSeconds(1));
        registry.Apply(offered);

        // The replica receiving the pings had not seen the offer yet: its announcement carries the older record.
        registry.Apply(online with { Location = There, LocationAt = Now.AddSeconds(3) });
        registry.Apply(online with { Location = Here, LocationAt = Now.AddSeconds(2) }); // an older fix, late

        Assert.Equal(DriverStates.Offered, registry.Get("d1")!.State);
        var position = registry.Position("d1")!.Value;
        Assert.Equal((There.Lat, There.Lng, Now.AddSeconds(3)), (position.Lat, position.Lng, position.At));
    }

    [Fact]
    public void What_this_replica_stores_or_receives_is_announced_and_what_it_applies_is_not()
    {
        var announced = new List<Driver>();
        var fixes = new List<DriverFix>();
        var registry = new DriverRegistry(announced.Add, fixes.Add);
        var online = Driver.New("d1", "economy", Now).GoOnline("economy", Here, Now);

        registry.Remember(online);
        var applied = new bool[1];
        registry.MovedMany([(registry.Entry("d1")!, There, Now.AddSeconds(2))], applied);
        registry.Apply(Driver.New("d2", "xl", Now).GoOnline("xl", Here, Now));
        registry.ApplyFixes([new DriverFix("d2", There.Lat, There.Lng, Now.AddSeconds(3), 0)]);

        // A state goes out as the record; a ping as a fix (batched by DriverPositionPublisher), with the state's revision.
        Assert.Same(online, Assert.Single(announced));
        Assert.True(applied[0]);
        Assert.Equal(new DriverFix("d1", There.Lat, There.Lng, Now.AddSeconds(2), online.Revision), Assert.Single(fixes));
        Assert.NotNull(registry.Get("d2"));
    }

    [Fact]
    public void A_fix_from_another_replica_moves_an_online_driver_only_forward_in_time()
    {
        var registry = new DriverRegistry();
        var online = Driver.New("d1", "economy", Now).GoOnline("economy", Here, Now);
        registry.Apply(online);

        var behind = registry.ApplyFixes([
            new DriverFix("d1", There.Lat, There.Lng, Now.AddSeconds(4), online.Revision),
            new DriverFix("d1", Here.Lat, Here.Lng, Now.AddSeconds(2), online.Revision), // older, late
            new DriverFix("d1", 95, Here.Lng, Now.AddSeconds(6), online.Revision),       // not a position
        ]);

        Assert.Empty(behind);
        var position = registry.Position("d1")!.Value;
        Assert.Equal((There.Lat, There.Lng, Now.AddSeconds(4)), (position.Lat, position.Lng, position.At));
    }

    [Fact]
    public void A_fix_of_a_driver_unknown_here_or_at_a_newer_revision_is_handed_back_to_be_caught_up()
    {
        var registry = new DriverRegistry();
        var online = Driver.New("d1", "economy", Now).GoOnline("economy", Here, Now);
        var offline = Driver.New("d3", "economy", Now).GoOnline("economy", Here, Now).GoOffline(Now.AddSeconds(1));
        registry.Apply(online);
        registry.Apply(offline);
        var offered = online.OfferTrip(new Offer("o1", "t1", "r1", Now.AddSeconds(15)), Now.AddSeconds(1));
        var unknown = new DriverFix("d2", There.Lat, There.Lng, Now.AddSeconds(2), 1);
        var newer = new DriverFix("d1", There.Lat, There.Lng, Now.AddSeconds(2), offered.Revision);
        var ofOffline = new DriverFix("d3", There.Lat, There.Lng, Now.AddSeconds(2), offline.Revision);

        var behind = registry.ApplyFixes([unknown, newer, ofOffline]);

        Assert.Equal([unknown, newer], behind);
        Assert.Equal(Now, registry.Position("d1")!.Value.At); // not moved before its record is caught up
        Assert.Null(registry.Position("d3"));
        registry.Apply(offered); // read from the store
        Assert.Empty(registry.ApplyFixes(behind, catchUp: false));
        Assert.Equal(Now.AddSeconds(2), registry.Position("d1")!.Value.At);
        Assert.Null(registry.Position("d2")); // still unknown: nothing to move
    }

    [Fact]
    public void The_view_keeps_the_first_instance_of_a_drivers_id_when_newer_records_arrive_with_their_own()
    {
        var registry = new DriverRegistry();
        var online = Driver.New(string.Concat("d", "1"), "economy", Now).GoOnline("economy", Here, Now);
        registry.Remember(online);
        // Announcements and store loads are deserialized: an equal id, another string.
        var echoed = online with { Id = string.Concat("d", "1"), Location = There, LocationAt = Now.AddSeconds(2) };
        var offered = online.OfferTrip(new Offer("o1", "t1", "r1", Now.AddSeconds(15)), Now.AddSeconds(3)) with { Id = string.Concat("d", "1") };

        registry.Apply(echoed);
        Assert.Same(online.Id, registry.Get("d1")!.Id);
        registry.Apply(offered);

        var kept = registry.Get("d1")!;
        Assert.Equal(DriverStates.Offered, kept.State);
        Assert.Same(online.Id, kept.Id);
        Assert.Equal(There.Lat, registry.Position("d1")!.Value.Lat, precision: 7);
    }

    [Fact]
    public void Each_class_has_an_index_of_its_own_and_a_driver_who_changes_class_while_online_takes_their_position_along()
    {
        var registry = new DriverRegistry();
        var online = Driver.New("d1", "economy", Now).GoOnline("economy", Here, Now);
        registry.Remember(online);
        registry.Apply(Driver.New("d2", "xl", Now).GoOnline("xl", There, Now));
        var applied = new bool[1];
        registry.MovedMany([(registry.Entry("d1")!, There, Now.AddSeconds(2))], applied);

        Assert.NotNull(registry.PositionsOf("economy").Get("d1"));
        Assert.Null(registry.PositionsOf("xl").Get("d1"));
        Assert.Equal(0, registry.PositionsOf("premium").Count);

        registry.Remember(online.GoOnline("comfort", null, Now.AddSeconds(3))); // keeps the last stored location (older)

        Assert.Null(registry.PositionsOf("economy").Get("d1"));
        var moved = registry.PositionsOf("comfort").Get("d1")!.Value;
        Assert.Equal((There.Lat, Now.AddSeconds(2)), (moved.Lat, moved.At));
        Assert.Equal(moved, registry.Position("d1"));
        Assert.Equal(2, registry.OnlineCount);

        registry.Remember(registry.Get("d1")!.GoOffline(Now.AddSeconds(4)));
        Assert.Null(registry.Position("d1"));
        Assert.Equal(1, registry.OnlineCount);
    }

    [Fact]
    public async Task A_ping_racing_a_change_of_class_ends_up_in_the_new_classs_index_only()
    {
        for (var round = 0; round < 2000; round++)
        {
            var registry = new DriverRegistry();
            var online = Driver.New("d1", "economy", Now).GoOnline("economy", Here, Now);
            registry.Remember(online);
            var entry = registry.Entry("d1")!;
            using var start = new Barrier(2);

            var ping = Task.Run(() =>
            {
                start.SignalAndWait();
                var applied = new bool[1];
                registry.MovedMany([(entry, There, Now.AddSeconds(2))], applied);
            }, TestContext.Current.CancellationToken);
            var change = Task.Run(() =>
            {
                start.SignalAndWait();
                registry.Remember(online.GoOnline("premium", null, Now.AddSeconds(1)));
            }, TestContext.Current.CancellationToken);
            await Task.WhenAll(ping, change);

            Assert.Null(registry.PositionsOf("economy").Get("d1"));
            Assert.Equal(Now.AddSeconds(2), registry.PositionsOf("premium").Get("d1")?.At);
            Assert.Equal(1, registry.OnlineCount);
        }
    }

    [Fact]
    public void A_drivers_entry_keeps_the_higher_revision_and_throttles_pings_stored_positions_and_supply_until_forgotten()
    {
        var entry = new DriverEntry();
        var online = Driver.New("d1", "economy", Now).GoOnline("economy", Here, Now);
        var offered = online.OfferTrip(new Offer("o1", "t1", "r1", Now.AddSeconds(15)), Now);
        Assert.Equal((null, online), entry.Keep(online, (current, next) => current.Revision > next.Revision ? current : next));
        Assert.Equal((online, offered), entry.Keep(offered, (current, next) => current.Revision > next.Revision ? current : next));
        Assert.Equal((offered, offered), entry.Keep(online, (current, next) => current.Revision > next.Revision ? current : next));

        var interval = TimeSpan.FromSeconds(10);
        Assert.True(entry.CanPing(Now, interval));
        Assert.True(entry.CanPing(Now, interval)); // not counted until Pinged
        entry.Pinged(Now);
        Assert.False(entry.CanPing(Now.AddSeconds(9), interval));
        Assert.True(entry.CanPing(Now.AddSeconds(10), interval));

        Assert.True(entry.TryStore(Now, interval));
        Assert.False(entry.TryStore(Now.AddSeconds(9), interval));
        Assert.True(entry.TryStore(Now.AddSeconds(10), interval));

        Assert.True(entry.TryReportSupply(available: true, Now, interval));
        Assert.False(entry.TryReportSupply(available: true, Now.AddSeconds(9), interval));
        Assert.True(entry.TryReportSupply(available: false, Now.AddSeconds(9), interval)); // a change: at once
        Assert.True(entry.TryReportSupply(available: false, Now.AddSeconds(19), interval));

        entry.Forget();
        Assert.True(entry.CanPing(Now.AddSeconds(19), interval));
        Assert.True(entry.TryStore(Now.AddSeconds(19), interval));
        Assert.True(entry.TryReportSupply(available: false, Now.AddSeconds(19), interval));
        Assert.Same(offered, entry.Record); // the record stays
    }
}
