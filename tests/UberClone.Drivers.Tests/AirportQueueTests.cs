using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Application;
using UberClone.Drivers.Dispatch;
using UberClone.Drivers.Domain;
using UberClone.Messaging;
using UberClone.Storage;

namespace UberClone.Drivers.Tests;

/// <summary>
/// Airport queues (ADR 0036): available drivers in an airport's staging lot wait in its queue in the order they entered,
/// and its pickups are offered to them first come, first served before anyone nearer.
/// </summary>
public sealed class AirportQueueTests : StoreBackedTest
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 5, 0, 0, TimeSpan.Zero);
    /// <summary>The terminal; the lot is 2 km north of it.</summary>
    private static readonly GeoPoint Terminal = new(50.05, 8.57);
    private static readonly AirportQueue Fra = Airport("fra", "FRA Airport", Terminal);
    /// <summary>Another airport, 30 km east, whose queue allows one decline before the back.</summary>
    private static readonly AirportQueue Hhn = AllowingOneDecline(Airport("hhn", "HHN Airport", Offset(Terminal, 0, 30_000)));

    private static AirportQueue AllowingOneDecline(AirportQueue queue)
    {
        queue.DeclinesAllowed = 1;
        return queue;
    }
    private static readonly AirportQueues Queues = new([Fra, Hhn]);
    private readonly DriversProcess _process;

    public AirportQueueTests()
        : base("airport", Now)
    {
        _process = DriversProcess.Open(StoreFile, Clock, Options.Create(new DispatchOptions()), Meters, airports: Queues);
    }

    public override void Dispose()
    {
        _process.Dispose();
        base.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static GeoPoint Offset(GeoPoint from, double northMeters, double eastMeters) =>
        new(from.Lat + northMeters / 111_195.0, from.Lng + eastMeters / (111_195.0 * Math.Cos(from.Lat * Math.PI / 180)));

    private static AirportQueue Airport(string id, string name, GeoPoint terminal) => new()
    {
        Id = id, Name = name,
        Lot = new QueueArea { Lat = Offset(terminal, 2_000, 0).Lat, Lng = terminal.Lng, RadiusMeters = 200 },
        Pickup = new QueueArea { Lat = terminal.Lat, Lng = terminal.Lng, RadiusMeters = 1_000 },
    };

    private static GeoPoint InLot(AirportQueue queue, double eastMeters = 0) => Offset(new GeoPoint(queue.Lot.Lat, queue.Lot.Lng), 0, eastMeters);

    private static Driver Online(string id, string vehicleClass = "economy") => Driver.New(id, vehicleClass, Now).GoOnline(vehicleClass, Terminal, Now);

    [Fact]
    public void Drivers_in_the_lot_queue_in_the_order_they_entered_and_one_who_drives_out_and_back_is_at_the_back()
    {
        var a = Online("a").AtLot("fra", Now.AddSeconds(1), Now.AddSeconds(1));
        var b = Online("b").AtLot("fra", Now.AddSeconds(2), Now.AddSeconds(2));
        var c = Online("c").AtLot("fra", Now.AddSeconds(3), Now.AddSeconds(3));
        Assert.Equal(["a", "b", "c"], AirportQueues.Order([c, a, b], "fra").Select(d => d.Id));
        Assert.Equal(new QueuePlace("fra", "FRA Airport", 2, 3, Now.AddSeconds(2)), Queues.PlaceOf(b, [a, b, c]));

        // Still in the lot: nothing to write.
        Assert.Same(a, a.AtLot("fra", Now.AddSeconds(10), Now.AddSeconds(10)));
        var left = a.AtLot(null, Now.AddSeconds(11), Now.AddSeconds(11));
        Assert.Equal((null, null), (left.QueueId, left.QueuedAt));
        Assert.Equal(a.Revision + 1, left.Revision);
        Assert.Equal(["b", "c"], AirportQueues.Order([left, b, c], "fra").Select(d => d.Id));
        Assert.Null(Queues.PlaceOf(left, [left, b, c]));

        var back = left.AtLot("fra", Now.AddSeconds(12), Now.AddSeconds(12));
        Assert.Equal(["b", "c", "a"], AirportQueues.Order([back, b, c], "fra").Select(d => d.Id));
        Assert.Equal(3, Queues.PlaceOf(back, [back, b, c])!.Position);
    }

    [Fact]
    public void A_duplicate_or_older_position_does_not_move_a_driver_in_or_out_of_the_queue()
    {
        var queued = Online("a").AtLot("fra", Now.AddSeconds(5), Now.AddSeconds(5));
        // An older fix from outside the lot (through another replica, late): they stay, in their place.
        Assert.Same(queued, queued.AtLot(null, Now.AddSeconds(4), Now.AddSeconds(6)));
        Assert.Same(queued, queued.AtLot(null, Now.AddSeconds(5), Now.AddSeconds(6)));

        var left = queued.AtLot(null, Now.AddSeconds(8), Now.AddSeconds(8));
        // The fix that put them in, again: they do not rejoin (at the back or anywhere).
        Assert.Same(left, left.AtLot("fra", Now.AddSeconds(5), Now.AddSeconds(9)));
        Assert.Null(left.QueueId);
    }

    [Fact]
    public void A_declined_or_missed_offer_sends_a_queued_driver_to_the_back_and_a_trip_or_going_offline_takes_them_out()
    {
        var a = Online("a").AtLot("fra", Now.AddSeconds(1), Now.AddSeconds(1));
        var b = Online("b").AtLot("fra", Now.AddSeconds(2), Now.AddSeconds(2));
        Offer Offer(string tripId) => new("o-" + tripId, tripId, "r1", Now.AddMinutes(1), Terminal, Offset(Terminal, -9_000, 0));

        var declined = a.OfferTrip(Offer("t1"), Now.AddSeconds(3)).Decline("t1", Now.AddSeconds(4));
        Assert.Equal(("fra", Now.AddSeconds(4)), (declined.QueueId, declined.QueuedAt));
        Assert.Equal(["b", "a"], AirportQueues.Order([declined, b], "fra").Select(d => d.Id));

        var missed = b.OfferTrip(Offer("t2"), Now.AddSeconds(5)).Miss("o-t2", Now.AddSeconds(20));
        Assert.Equal(["a", "b"], AirportQueues.Order([declined, missed], "fra").Select(d => d.Id));

        // Withdrawn (the rider cancelled): not theirs to answer, the place is kept.
        var withdrawn = declined.OfferTrip(Offer("t3"), Now.AddSeconds(21)).WithdrawOfferOfTrip("t3", Now.AddSeconds(22));
        Assert.Equal(Now.AddSeconds(4), withdrawn.QueuedAt);

        var onTrip = withdrawn.OfferTrip(Offer("t4"), Now.AddSeconds(23)).Accept("t4", Now.AddSeconds(24));
        Assert.Null(onTrip.QueueId);
        // On a trip in the lot (a drop-off there): not queued until available again.
        Assert.Same(onTrip, onTrip.AtLot("fra", Now.AddSeconds(25), Now.AddSeconds(25)));
        Assert.Equal("fra", onTrip.ReleaseFromTrip("t4", Now.AddSeconds(30)).AtLot("fra", Now.AddSeconds(31), Now.AddSeconds(31)).QueueId);

        var offline = missed.GoOffline(Now.AddSeconds(40));
        Assert.Equal((null, null), (offline.QueueId, offline.QueuedAt));
        var silent = missed.TakeOfflineIfSilent(Now, Now.AddMinutes(5), Now.AddMinutes(6), "silent");
        Assert.Null(silent.QueueId);
    }

    [Fact]
    public void Two_airports_keep_their_own_queues_and_places_count_a_drivers_own_class()
    {
        Assert.Equal("fra", Queues.LotAt(InLot(Fra, 150))?.Id);
        Assert.Equal("hhn", Queues.LotAt(InLot(Hhn))?.Id);
        Assert.Null(Queues.LotAt(Terminal)); // the terminal is not the lot
        Assert.Equal("fra", Queues.Serving(Offset(Terminal, 500, 0))?.Id);
        Assert.Null(Queues.Serving(Offset(Terminal, -5_000, 0)));

        var a = Online("a").AtLot("fra", Now.AddSeconds(1), Now.AddSeconds(1));
        var b = Online("b", "comfort").AtLot("fra", Now.AddSeconds(2), Now.AddSeconds(2));
        var c = Online("c").AtLot("hhn", Now.AddSeconds(3), Now.AddSeconds(3));
        var d = Online("d").AtLot("fra", Now.AddSeconds(4), Now.AddSeconds(4));
        Driver[] all = [a, b, c, d];
        Assert.Equal(["a", "b", "d"], AirportQueues.Order(all, "fra").Select(x => x.Id));
        Assert.Equal((2, 2), (Queues.PlaceOf(d, all)!.Position, Queues.PlaceOf(d, all)!.Size));
        Assert.Equal((1, 1), (Queues.PlaceOf(b, all)!.Position, Queues.PlaceOf(b, all)!.Size));
        Assert.Equal(("HHN Airport", 1, 1), (Queues.PlaceOf(c, all)!.Name, Queues.PlaceOf(c, all)!.Position, Queues.PlaceOf(c, all)!.Size));

        // Driving from one lot straight into the other: the new one's back.
        var moved = a.AtLot("hhn", Now.AddSeconds(9), Now.AddSeconds(9));
        Assert.Equal(("hhn", Now.AddSeconds(9)), (moved.QueueId, moved.QueuedAt));
    }

    [Fact]
    public void An_airport_that_cannot_work_is_refused_at_start_naming_the_setting()
    {
        static string Problem(Action<AirportQueue> change)
        {
            var queue = Airport("fra", "FRA Airport", Terminal);
            change(queue);
            return Assert.Throws<InvalidOperationException>(() => new AirportOptions { Queues = [queue] }.Validate()).Message;
        }
        Assert.Equal("Airports:Queues:0:Lot:RadiusMeters must be positive, or Airports:Queues:0:Lot:Boundary given (got 0).", Problem(q => q.Lot.RadiusMeters = 0));
        Assert.Equal("Airports:Queues:0:Pickup:Boundary needs at least 3 corners (got 2).",
            Problem(q => q.Pickup.Boundary = [new AreaCorner { Lat = 50, Lng = 8 }, new AreaCorner { Lat = 50.1, Lng = 8 }]));
        Assert.Contains("Airports:Queues:0:Name is required", Problem(q => q.Name = " "));
        Assert.Contains("Airports:Queues:0:Id must be", Problem(q => q.Id = "fra airport"));
        var twice = Assert.Throws<InvalidOperationException>(() => new AirportOptions { Queues = [Fra, Airport("fra", "Other", Terminal)] }.Validate());
        Assert.Equal("Airports:Queues:1:Id \"fra\" is used by another queue.", twice.Message);
        Assert.Equal("Airports:Queues:0:ShortTrip:MaxKm must be from 0 (no pass back) to 1000 km (got -1).", Problem(q => q.ShortTrip.MaxKm = -1));
        Assert.Contains("Airports:Queues:0:ShortTrip:ReturnWithin must be positive", Problem(q => q.ShortTrip.ReturnWithin = TimeSpan.Zero));
        Assert.Equal("Airports:Queues:0:DeclinesAllowed must be from 0 to 10 (got -1).", Problem(q => q.DeclinesAllowed = -1));
        new AirportOptions { Queues = [Fra, Hhn] }.Validate();
    }

    private static Offer QueueOffer(string tripId, GeoPoint dropoff, string? queueId = "fra") =>
        new("o-" + tripId, tripId, "r1", Now.AddHours(1), Terminal, dropoff) { QueueId = queueId };

    [Fact]
    public void A_short_trip_from_the_queue_earns_a_pass_back_to_the_old_place_used_once_and_lapsing_at_its_deadline()
    {
        var a = Online("a").AtLot("fra", Now.AddSeconds(1), Now.AddSeconds(1));
        var onTrip = a.OfferTrip(QueueOffer("t1", Offset(Terminal, -3_000, 0)), Now.AddSeconds(2)).Accept("t1", Now.AddSeconds(3));
        Assert.Equal(new QueueDeparture("fra", Now.AddSeconds(1), "t1"), onTrip.LeftQueueFor);
        Assert.Equal(onTrip.Revision, a.Revision + 2);

        // 4 km as trips reports it, though the straight line is 3: short (at most 10 km).
        var done = Now.AddMinutes(20);
        var pass = Queues.ReturnPassFor(onTrip, "t1", 4_000, done);
        Assert.Equal(new QueueReturn("fra", "FRA Airport", Now.AddSeconds(1), done.AddHours(1)), pass);
        var released = onTrip.ReleaseFromTrip("t1", done, pass);
        Assert.Equal((DriverStates.Available, pass, null), (released.State, released.ReturnPass, released.LeftQueueFor));
        Assert.Equal(pass, released.ReturnPassAt(done.AddHours(1)));
        Assert.Null(released.ReturnPassAt(done.AddHours(1).AddSeconds(1)));

        // Back in the lot in time: at the old place, ahead of one who joined after it; the pass is used.
        var b = Online("b").AtLot("fra", Now.AddMinutes(5), Now.AddMinutes(5));
        var back = released.AtLot("fra", done.AddMinutes(30), done.AddMinutes(30));
        Assert.Equal(("fra", Now.AddSeconds(1), true, null), (back.QueueId, back.QueuedAt, back.QueuePlaceKept, back.ReturnPass));
        Assert.Equal(["a", "b"], AirportQueues.Order([b, back], "fra").Select(d => d.Id));
        Assert.Equal(new QueuePlace("fra", "FRA Airport", 1, 2, Now.AddSeconds(1), PlaceKept: true), Queues.PlaceOf(back, [b, back]));
        // Out and back again: at the back, as anyone.
        var again = back.AtLot(null, done.AddMinutes(31), done.AddMinutes(31)).AtLot("fra", done.AddMinutes(32), done.AddMinutes(32));
        Assert.Equal((done.AddMinutes(32), false), (again.QueuedAt, again.QueuePlaceKept));

        // Back after the deadline: at the back, and the lapsed pass is gone.
        var late = released.AtLot("fra", done.AddMinutes(61), done.AddMinutes(61));
        Assert.Equal((done.AddMinutes(61), false, null), (late.QueuedAt, late.QueuePlaceKept, late.ReturnPass));
        // Through another airport's lot: the pass to this one stays.
        Assert.Equal(pass, released.AtLot("hhn", done.AddMinutes(10), done.AddMinutes(10)).ReturnPass);
    }

    [Fact]
    public void A_long_or_cancelled_trip_or_one_not_from_the_queue_earns_no_pass_and_going_offline_or_another_trip_drops_it()
    {
        var a = Online("a").AtLot("fra", Now.AddSeconds(1), Now.AddSeconds(1));
        var done = Now.AddMinutes(20);
        var far = a.OfferTrip(QueueOffer("t1", Offset(Terminal, -30_000, 0)), Now.AddSeconds(2)).Accept("t1", Now.AddSeconds(3));
        Assert.Null(Queues.ReturnPassFor(far, "t1", 10_001, done));
        // Trips said nothing of the distance (an older publisher): the straight line, 30 km.
        Assert.Null(Queues.ReturnPassFor(far, "t1", 0, done));
        var near = a.OfferTrip(QueueOffer("t2", Offset(Terminal, -3_000, 0)), Now.AddSeconds(2)).Accept("t2", Now.AddSeconds(3));
        Assert.NotNull(Queues.ReturnPassFor(near, "t2", 0, done));
        // Another trip's end, or a trip not offered from the queue (a ride the driver reserved): none.
        Assert.Null(Queues.ReturnPassFor(near, "t1", 3_000, done));
        var notFromQueue = a.OfferTrip(QueueOffer("t3", Offset(Terminal, -3_000, 0), queueId: null), Now.AddSeconds(2)).Accept("t3", Now.AddSeconds(3));
        Assert.Null(notFromQueue.LeftQueueFor);
        Assert.Null(Queues.ReturnPassFor(notFromQueue, "t3", 3_000, done));
        // An airport that turned the pass off.
        var off = new AirportQueues([Airport("fra", "FRA Airport", Terminal) is var q && (q.ShortTrip.MaxKm = 0) == 0 ? q : q]);
        Assert.Null(off.ReturnPassFor(near, "t2", 3_000, done));

        // Cancelled (or given up): the dispatcher releases the driver without asking for a pass.
        Assert.Null(near.ReleaseFromTrip("t2", done).ReturnPass);

        var pass = Queues.ReturnPassFor(near, "t2", 3_000, done);
        var released = near.ReleaseFromTrip("t2", done, pass);
        Assert.Null(released.GoOffline(done.AddMinutes(1)).ReturnPass);
        Assert.Null(released.TakeOfflineIfSilent(done, done.AddMinutes(5), done.AddMinutes(6), "silent").ReturnPass);
        Assert.Null(released.OfferTrip(QueueOffer("t4", Offset(Terminal, 3_000, 0), queueId: null), done.AddMinutes(1)).Accept("t4", done.AddMinutes(2)).ReturnPass);
        // Stopped new requests during the trip: offline when it ends, no pass.
        Assert.Null(near.GoOffline(done.AddMinutes(-1)).ReleaseFromTrip("t2", done, pass).ReturnPass);
    }

    [Fact]
    public void A_queue_allowing_declines_keeps_the_place_for_that_many_and_the_next_one_sends_the_driver_to_the_back()
    {
        var queues = new AirportQueues([Airport("fra", "FRA Airport", Terminal) is var q && (q.DeclinesAllowed = 2) == 2 ? q : q]);
        var a = Online("a").AtLot("fra", Now.AddSeconds(1), Now.AddSeconds(1));
        var dropoff = Offset(Terminal, -3_000, 0);

        var once = a.OfferTrip(QueueOffer("t1", dropoff), Now.AddSeconds(2)).Decline("t1", Now.AddSeconds(3), declinesAllowed: 2);
        var twice = once.OfferTrip(QueueOffer("t2", dropoff), Now.AddSeconds(4)).Miss("o-t2", Now.AddHours(2), declinesAllowed: 2);
        Assert.Equal((Now.AddSeconds(1), 2), (twice.QueuedAt, twice.QueueDeclines));
        Assert.Equal(new QueuePlace("fra", "FRA Airport", 1, 1, Now.AddSeconds(1), DeclinesAllowed: 2, DeclinesUsed: 1), queues.PlaceOf(once, [once]));
        var third = twice.OfferTrip(QueueOffer("t3", dropoff), Now.AddHours(2)).Decline("t3", Now.AddHours(2).AddSeconds(1), declinesAllowed: 2);
        Assert.Equal(Now.AddHours(2).AddSeconds(1), third.QueuedAt);
        Assert.Equal(2, queues.PlaceOf(third, [third])!.DeclinesUsed);

        // Leaving the queue starts the count again.
        var rejoined = third.AtLot(null, Now.AddHours(3), Now.AddHours(3)).AtLot("fra", Now.AddHours(3).AddSeconds(1), Now.AddHours(3).AddSeconds(1));
        Assert.Equal(0, rejoined.QueueDeclines);
        Assert.Equal(Now.AddHours(3).AddSeconds(1), rejoined.OfferTrip(QueueOffer("t4", dropoff), Now.AddHours(4)).Decline("t4", Now.AddHours(4), declinesAllowed: 2).QueuedAt);
    }

    [Fact]
    public void A_polygon_lot_holds_the_positions_inside_its_corners()
    {
        var lot = new QueueArea
        {
            Boundary = [new() { Lat = 50.0, Lng = 8.0 }, new() { Lat = 50.0, Lng = 8.01 }, new() { Lat = 50.01, Lng = 8.01 }, new() { Lat = 50.01, Lng = 8.0 }],
        };
        Assert.True(lot.Contains(new GeoPoint(50.005, 8.005)));
        Assert.False(lot.Contains(new GeoPoint(50.015, 8.005)));
    }

    [Fact]
    public void A_queued_driver_stays_in_the_queue_within_the_leave_margin_of_the_lot_but_joining_needs_the_lot_itself()
    {
        // The lot is a 200 m circle; 230 m from its centre is 30 m outside, 280 m is 80 m outside.
        Assert.Equal("fra", Queues.LotFor(InLot(Fra, 230), "fra")?.Id);
        Assert.Null(Queues.LotFor(InLot(Fra, 280), "fra"));
        Assert.Null(Queues.LotFor(InLot(Fra, 230), null));
        Assert.Equal("fra", Queues.LotFor(InLot(Fra, 150), null)?.Id);
        // Queued at one airport and now in another's lot: that one.
        Assert.Equal("hhn", Queues.LotFor(InLot(Hhn), "fra")?.Id);

        // A polygon lot: within 50 m of an edge (measured across it), not farther.
        var square = new QueueArea
        {
            Boundary = [new() { Lat = 50.0, Lng = 8.0 }, new() { Lat = 50.0, Lng = 8.01 }, new() { Lat = 50.01, Lng = 8.01 }, new() { Lat = 50.01, Lng = 8.0 }],
        };
        Assert.True(square.Contains(new GeoPoint(50.01 + 40 / 111_195.0, 8.005), AirportQueues.LeaveMarginMeters));
        Assert.False(square.Contains(new GeoPoint(50.01 + 60 / 111_195.0, 8.005), AirportQueues.LeaveMarginMeters));
        Assert.False(square.Contains(new GeoPoint(50.01 + 40 / 111_195.0, 8.005)));
    }

    [Fact]
    public async Task A_driver_parked_by_the_lots_edge_keeps_their_place_while_the_gps_wanders_out_and_back()
    {
        await _process.Drivers.GoOnlineAsync("edge", "economy", Offset(Terminal, 5_000, 0), Ct);
        await _process.Drivers.GoOnlineAsync("behind", "economy", Offset(Terminal, 5_000, 0), Ct);
        await EnterLotAsync("edge", 190);
        await EnterLotAsync("behind", 0);
        var revision = _process.Registry.Get("edge")!.Revision;

        // 30 m outside and back in: still first, and nothing written.
        Clock.Advance(TimeSpan.FromSeconds(3));
        Assert.True(await _process.Drivers.UpdateLocationAsync("edge", InLot(Fra, 230), null, Clock.GetUtcNow(), Ct));
        Clock.Advance(TimeSpan.FromSeconds(3));
        Assert.True(await _process.Drivers.UpdateLocationAsync("edge", InLot(Fra, 195), null, Clock.GetUtcNow(), Ct));
        Assert.Equal(["edge", "behind"], _process.Registry.Queue("fra").Select(d => d.Id));
        Assert.Equal(revision, _process.Registry.Get("edge")!.Revision);

        // Driven away: out of the queue.
        Clock.Advance(TimeSpan.FromSeconds(3));
        Assert.True(await _process.Drivers.UpdateLocationAsync("edge", InLot(Fra, 400), null, Clock.GetUtcNow(), Ct));
        Assert.Equal(["behind"], _process.Registry.Queue("fra").Select(d => d.Id));
    }

    [Fact]
    public async Task A_riders_cars_nearby_count_a_driver_waiting_in_a_lot_only_for_the_airports_own_pickups()
    {
        await _process.Drivers.GoOnlineAsync("waiting", "economy", Offset(Terminal, 5_000, 0), Ct);
        await EnterLotAsync("waiting", 0);
        Assert.Equal(["waiting"], _process.Registry.Queue("fra").Select(d => d.Id));

        // A pickup in town 500 m north of the lot: dispatch would not offer it to them, so no car is there for the rider.
        var town = _process.Drivers.FindNearby(Offset(InLot(Fra), 500, 0));
        Assert.Equal(0, town.Classes.Single(c => c.VehicleClass == "economy").DriversNearby);
        Assert.Empty(town.Cars);

        // At the terminal they are the airport's car.
        var terminal = _process.Drivers.FindNearby(Terminal);
        Assert.Equal(1, terminal.Classes.Single(c => c.VehicleClass == "economy").DriversNearby);
        Assert.Single(terminal.Cars);
    }

    /// <summary>Pings from the lot, one driver after another, a second apart: each joins when their ping is taken.</summary>
    private async Task EnterLotAsync(string driverId, double eastMeters)
    {
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await _process.Drivers.UpdateLocationAsync(driverId, InLot(Fra, eastMeters), null, Clock.GetUtcNow(), Ct));
    }

    private Task StartTripAsync(string tripId, GeoPoint pickup) =>
        _process.Dispatcher.StartAsync(new TripCreatedIntegrationEvent(tripId, "r-" + tripId, "economy", pickup, Offset(pickup, -9_000, 0), 2_000, "EUR", 9_000, 900, Clock.GetUtcNow()), Ct);

    [Fact]
    public async Task An_airport_pickup_is_offered_to_the_queue_in_order_a_decline_passes_it_on_and_a_pickup_elsewhere_goes_to_the_nearest()
    {
        foreach (var id in (string[])["first", "second", "third"]) await _process.Drivers.GoOnlineAsync(id, "economy", Offset(Terminal, 5_000, 0), Ct);
        await _process.Drivers.GoOnlineAsync("at-terminal", "economy", Offset(Terminal, 100, 0), Ct);
        await EnterLotAsync("first", 100);
        await EnterLotAsync("second", -50);
        await EnterLotAsync("third", 0);
        // A repeated position changes nothing; nor does one outside every lot for a driver in none.
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await _process.Drivers.UpdateLocationAsync("first", InLot(Fra, 90), null, Clock.GetUtcNow(), Ct));
        Assert.True(await _process.Drivers.UpdateLocationAsync("at-terminal", Offset(Terminal, 90, 0), null, Clock.GetUtcNow(), Ct));
        Assert.Equal(["first", "second", "third"], _process.Registry.Queue("fra").Select(d => d.Id));
        Assert.Equal(new QueuePlace("fra", "FRA Airport", 2, 3, Now.AddSeconds(2)), await _process.Drivers.QueuePlaceAsync("second", Ct));
        Assert.Null(await _process.Drivers.QueuePlaceAsync("at-terminal", Ct));

        await StartTripAsync("airport", Offset(Terminal, 50, 0));
        Assert.Equal("airport", _process.Registry.Get("first")!.Offer?.TripId);
        Assert.Equal(DriverStates.Available, _process.Registry.Get("at-terminal")!.State);

        await _process.Drivers.DeclineAsync("first", "airport", "declined", Ct);
        Assert.Equal("airport", _process.Registry.Get("second")!.Offer?.TripId);
        Assert.Equal(["second", "third", "first"], _process.Registry.Queue("fra").Select(d => d.Id));

        // Not at the airport: the nearest driver not waiting in a queue, though the queue's are near too.
        await StartTripAsync("town", Offset(Terminal, 2_600, 0));
        Assert.Equal("town", _process.Registry.Get("at-terminal")!.Offer?.TripId);
        Assert.Equal(DriverStates.Available, _process.Registry.Get("third")!.State);

        // Accepted: out of the queue.
        await _process.Drivers.AcceptAsync("second", "airport", Ct);
        Assert.Equal(["third", "first"], _process.Registry.Queue("fra").Select(d => d.Id));
    }

    [Fact]
    public async Task A_driver_back_from_a_short_airport_trip_is_offered_the_next_airport_trip_before_those_who_joined_after_them()
    {
        foreach (var id in (string[])["short", "later", "long"]) await _process.Drivers.GoOnlineAsync(id, "economy", Offset(Terminal, 5_000, 0), Ct);
        await EnterLotAsync("short", 0);
        await EnterLotAsync("long", 50);
        await StartTripAsync("t-short", Offset(Terminal, 50, 0));
        await _process.Drivers.AcceptAsync("short", "t-short", Ct);
        await StartTripAsync("t-long", Offset(Terminal, 50, 0));
        await _process.Drivers.AcceptAsync("long", "t-long", Ct);
        await EnterLotAsync("later", -50);

        Clock.Advance(TimeSpan.FromMinutes(20));
        await _process.Dispatcher.TripCompletedAsync(new TripCompletedIntegrationEvent("t-short", "r-t-short", "short", 2_000, "EUR", Clock.GetUtcNow(), DistanceMeters: 9_000), Ct);
        await _process.Dispatcher.TripCompletedAsync(new TripCompletedIntegrationEvent("t-long", "r-t-long", "long", 2_000, "EUR", Clock.GetUtcNow(), DistanceMeters: 25_000), Ct);
        Assert.Equal(Now.AddSeconds(1), _process.Registry.Get("short")!.ReturnPass?.QueuedAt);
        Assert.Null(_process.Registry.Get("long")!.ReturnPass);
        // Told at once, with the deadline (the driver's app: "come back by …").
        var told = Assert.Single(await _process.Database.Outbox.GetPendingAsync(100, Ct), m => m.Topic == Topics.DriverQueuePosition);
        Assert.Equal("short", told.Key);

        await EnterLotAsync("long", 50);
        await EnterLotAsync("short", 0);
        Assert.Equal(["short", "later", "long"], _process.Registry.Queue("fra").Select(d => d.Id));
        Assert.True((await _process.Drivers.QueuePlaceAsync("short", Ct))!.PlaceKept);
        await StartTripAsync("next", Offset(Terminal, 50, 0));
        Assert.Equal("next", _process.Registry.Get("short")!.Offer?.TripId);
    }

    [Fact]
    public async Task A_decline_within_the_airports_allowance_keeps_the_place_and_the_next_one_sends_the_driver_to_the_back()
    {
        var terminal = new GeoPoint(Hhn.Pickup.Lat, Hhn.Pickup.Lng);
        foreach (var (id, east) in (ValueTuple<string, double>[])[("first", 0), ("second", 40)])
        {
            await _process.Drivers.GoOnlineAsync(id, "economy", Offset(terminal, 5_000, 0), Ct);
            Clock.Advance(TimeSpan.FromSeconds(1));
            Assert.True(await _process.Drivers.UpdateLocationAsync(id, InLot(Hhn, east), null, Clock.GetUtcNow(), Ct));
        }

        await StartTripAsync("h1", Offset(terminal, 50, 0));
        await _process.Drivers.DeclineAsync("first", "h1", "declined", Ct);
        Assert.Equal(["first", "second"], _process.Registry.Queue("hhn").Select(d => d.Id));
        Assert.Equal((1, 1, 1), await _process.Drivers.QueuePlaceAsync("first", Ct) is { } place ? (place.Position, place.DeclinesAllowed, place.DeclinesUsed) : default);
        Assert.Equal("h1", _process.Registry.Get("second")!.Offer?.TripId);

        await StartTripAsync("h2", Offset(terminal, -50, 0));
        Assert.Equal("h2", _process.Registry.Get("first")!.Offer?.TripId);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await _process.Drivers.DeclineAsync("first", "h2", "declined", Ct);
        Assert.Equal(["second", "first"], _process.Registry.Queue("hhn").Select(d => d.Id));
    }

    [Fact]
    public async Task An_airport_pickup_nobody_in_the_queue_can_take_goes_to_the_nearest()
    {
        await _process.Drivers.GoOnlineAsync("comfort", "comfort", Offset(Terminal, 5_000, 0), Ct);
        await EnterLotAsync("comfort", 0);
        await _process.Drivers.GoOnlineAsync("at-terminal", "economy", Offset(Terminal, 100, 0), Ct);

        await StartTripAsync("airport", Terminal);
        Assert.Equal("airport", _process.Registry.Get("at-terminal")!.Offer?.TripId);
    }

    [Fact]
    public async Task Drivers_are_told_their_place_when_it_changes_and_when_they_leave_and_only_then()
    {
        var sent = new RecordingPublisher();
        var announcer = new AirportQueueAnnouncer(Queues, _process.Registry, sent, Options.Create(new AirportOptions { Queues = [Fra, Hhn] }), Clock,
            NullLogger<AirportQueueAnnouncer>.Instance);
        await _process.Drivers.GoOnlineAsync("a", "economy", Offset(Terminal, 5_000, 0), Ct);
        await _process.Drivers.GoOnlineAsync("b", "economy", Offset(Terminal, 5_000, 0), Ct);
        await EnterLotAsync("a", 0);
        await EnterLotAsync("b", 10);
        Assert.Equal(2, await announcer.AnnounceAsync(Ct));
        Assert.Equal([("a", 1, 2), ("b", 2, 2)], sent.Places());
        Assert.Equal(0, await announcer.AnnounceAsync(Ct));

        // a drives out: a is told they left, b that they are first now.
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await _process.Drivers.UpdateLocationAsync("a", Offset(Terminal, 5_000, 0), null, Clock.GetUtcNow(), Ct));
        sent.Clear();
        Assert.Equal(2, await announcer.AnnounceAsync(Ct));
        Assert.Equal([("a", 0, 0), ("b", 1, 1)], sent.Places());
        Assert.Equal("FRA Airport", sent.Events.Single(e => e.DriverId == "a").QueueName);
    }

    private sealed class RecordingPublisher : IEventPublisher
    {
        public List<DriverQueuePositionIntegrationEvent> Events { get; } = [];

        public Task PublishAsync<T>(string topic, string entityId, T data, CancellationToken ct = default) where T : notnull
        {
            Assert.Equal(Topics.DriverQueuePosition, topic);
            lock (Events) Events.Add((DriverQueuePositionIntegrationEvent)(object)data);
            return Task.CompletedTask;
        }

        public Task PublishAsync(OutboxMessage message, CancellationToken ct = default) => Task.CompletedTask;

        public List<(string, int, int)> Places() => [.. Events.OrderBy(e => e.DriverId).Select(e => (e.DriverId, e.Position, e.Size))];

        public void Clear() => Events.Clear();
    }
}
