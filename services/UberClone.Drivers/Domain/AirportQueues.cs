using UberClone.Contracts;

namespace UberClone.Drivers.Domain;

/// <summary>
/// A place on the map, as pricing's areas are given (ADR 0020): a polygon (<see cref="Boundary"/>, at least 3 corners)
/// or, without one, a circle of <see cref="RadiusMeters"/> around <see cref="Lat"/>, <see cref="Lng"/>.
/// </summary>
public sealed class QueueArea
{
    public double Lat { get; set; }
    public double Lng { get; set; }
    public double RadiusMeters { get; set; }
    public List<AreaCorner> Boundary { get; set; } = [];

    /// <summary>
    /// Whether <paramref name="point"/> is inside: a polygon by the even-odd rule on latitude and longitude (flat enough
    /// on an airport's scale), a circle by its great-circle distance, after a cheap test of its bounding box (a lot check
    /// runs on every accepted position; nearly all are nowhere near an airport).
    /// </summary>
    public bool Contains(GeoPoint point) => Contains(point, 0);

    /// <summary>
    /// Whether <paramref name="point"/> is inside, or within <paramref name="marginMeters"/> of the edge: a polygon's edges
    /// measured on a flat projection around the point (metres at an airport's scale), a circle's radius grown by it.
    /// </summary>
    public bool Contains(GeoPoint point, double marginMeters)
    {
        if (Boundary.Count > 0) return AreaCorner.Encloses(Boundary, point) || (marginMeters > 0 && AreaCorner.EdgeDistanceMeters(Boundary, point) <= marginMeters);
        var radius = RadiusMeters + marginMeters;
        var latSpan = radius / 111_000;
        if (Math.Abs(point.Lat - Lat) > latSpan) return false;
        var lngSpan = latSpan / Math.Max(Math.Cos(Lat * Math.PI / 180), 0.01);
        return Math.Abs(point.Lng - Lng) <= lngSpan && Contracts.Geo.DistanceMeters(point.Lat, point.Lng, Lat, Lng) <= radius;
    }

    /// <summary>What is wrong with it, naming <paramref name="setting"/> (null when it can work).</summary>
    public string? Problem(string setting)
    {
        if (Boundary.Count > 0)
        {
            if (Boundary.Count < 3) return $"{setting}:Boundary needs at least 3 corners (got {Boundary.Count}).";
            return Boundary.FindIndex(c => !new GeoPoint(c.Lat, c.Lng).IsValid) is var bad and >= 0
                ? $"{setting}:Boundary:{bad} is not a valid position (lat in [-90, 90], lng in [-180, 180])."
                : null;
        }
        if (!new GeoPoint(Lat, Lng).IsValid) return $"{setting}: Lat and Lng must be a valid position (lat in [-90, 90], lng in [-180, 180]).";
        return RadiusMeters > 0 ? null : $"{setting}:RadiusMeters must be positive, or {setting}:Boundary given (got {RadiusMeters}).";
    }
}

/// <summary>A corner of a <see cref="QueueArea"/>'s boundary (bound from <c>…:Boundary:{j}:{Lat, Lng}</c>).</summary>
public sealed class AreaCorner
{
    public double Lat { get; set; }
    public double Lng { get; set; }

    /// <summary>Whether <paramref name="point"/> is inside the polygon <paramref name="corners"/> (even-odd rule, a ray along the latitude).</summary>
    public static bool Encloses(IReadOnlyList<AreaCorner> corners, GeoPoint point)
    {
        var inside = false;
        for (int i = 0, j = corners.Count - 1; i < corners.Count; j = i++)
        {
            var (a, b) = (corners[i], corners[j]);
            if ((a.Lat > point.Lat) != (b.Lat > point.Lat) && point.Lng < (b.Lng - a.Lng) * (point.Lat - a.Lat) / (b.Lat - a.Lat) + a.Lng) inside = !inside;
        }
        return inside;
    }

    /// <summary>How far <paramref name="point"/> is from the nearest edge of the polygon, in metres on a flat projection around it.</summary>
    public static double EdgeDistanceMeters(IReadOnlyList<AreaCorner> corners, GeoPoint point)
    {
        const double metersPerDegree = 111_195;
        var lngScale = metersPerDegree * Math.Cos(point.Lat * Math.PI / 180);
        (double X, double Y) Flat(AreaCorner c) => ((c.Lng - point.Lng) * lngScale, (c.Lat - point.Lat) * metersPerDegree);
        var nearest = double.MaxValue;
        for (int i = 0, j = corners.Count - 1; i < corners.Count; j = i++)
        {
            var (a, b) = (Flat(corners[j]), Flat(corners[i]));
            var (dx, dy) = (b.X - a.X, b.Y - a.Y);
            var length = dx * dx + dy * dy;
            // The point is the origin: the segment's closest point to it, clamped to its ends.
            var t = length == 0 ? 0 : Math.Clamp(-(a.X * dx + a.Y * dy) / length, 0, 1);
            nearest = Math.Min(nearest, Math.Sqrt(Math.Pow(a.X + t * dx, 2) + Math.Pow(a.Y + t * dy, 2)));
        }
        return nearest;
    }
}

/// <summary>
/// An airport's queue (ADR 0036): available drivers waiting in its staging <see cref="Lot"/> are offered the trips whose
/// pickup is in its <see cref="Pickup"/> area (the terminals) first come, first served.
/// </summary>
public sealed class AirportQueue
{
    /// <summary>Stable: drivers' records name their queue by it.</summary>
    public string Id { get; set; } = "";
    /// <summary>What the driver's app shows ("BER Airport").</summary>
    public string Name { get; set; } = "";
    public QueueArea Lot { get; set; } = new();
    public QueueArea Pickup { get; set; } = new();

    /// <summary>
    /// A driver dispatched from this queue whose trip was short gets their place back if they return in time
    /// (<see cref="Driver.ReturnPass"/>; ADR 0036, amended the seventh session).
    /// </summary>
    public ShortTripRule ShortTrip { get; set; } = new();

    /// <summary>
    /// Airport offers a driver waiting here may decline (or let time out) and keep their place; the next one sends them
    /// to the back. 0: each one does.
    /// </summary>
    public int DeclinesAllowed { get; set; }
}

/// <summary>Bound from <c>Airports:Queues:{i}:ShortTrip</c>: what counts as a short trip from the queue, and how long the way back may take.</summary>
public sealed class ShortTripRule
{
    /// <summary>A trip at most this long (km) earns the pass back; 0 turns it off.</summary>
    public double MaxKm { get; set; } = 10;

    /// <summary>How long after completing the trip the driver may enter the lot again and keep their place.</summary>
    public TimeSpan ReturnWithin { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Bound from configuration section "Airports".</summary>
public sealed class AirportOptions
{
    public List<AirportQueue> Queues { get; set; } = [];

    /// <summary>
    /// How often the replica that tells drivers their place looks at the queues for places that changed
    /// (<c>driver.event.queue_position</c>, only to drivers whose place changed).
    /// </summary>
    public TimeSpan AnnounceInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>More than a few and the head of the queue could hold out for the long trips after all.</summary>
    public const int MaxDeclinesAllowed = 10;

    /// <summary>Throws a message naming the setting when a value cannot work (checked when the service starts).</summary>
    public void Validate(string section = "Airports")
    {
        if (AnnounceInterval <= TimeSpan.Zero) throw new InvalidOperationException($"{section}:AnnounceInterval must be positive (got {AnnounceInterval}).");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Queues.Count; i++)
        {
            var queue = Queues[i];
            var setting = $"{section}:Queues:{i}";
            if (string.IsNullOrWhiteSpace(queue.Id) || queue.Id.Length > 64 || !queue.Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                throw new InvalidOperationException($"{setting}:Id must be 1 to 64 letters, digits, '-' or '_' (got \"{queue.Id}\").");
            if (!ids.Add(queue.Id)) throw new InvalidOperationException($"{setting}:Id \"{queue.Id}\" is used by another queue.");
            if (string.IsNullOrWhiteSpace(queue.Name)) throw new InvalidOperationException($"{setting}:Name is required (what the driver's app shows).");
            if ((queue.Lot ?? new()).Problem($"{setting}:Lot") is { } lot) throw new InvalidOperationException(lot);
            if ((queue.Pickup ?? new()).Problem($"{setting}:Pickup") is { } pickup) throw new InvalidOperationException(pickup);
            var shortTrip = queue.ShortTrip ?? new();
            if (!double.IsFinite(shortTrip.MaxKm) || shortTrip.MaxKm < 0 || shortTrip.MaxKm > 1_000)
                throw new InvalidOperationException($"{setting}:ShortTrip:MaxKm must be from 0 (no pass back) to 1000 km (got {shortTrip.MaxKm}).");
            if (shortTrip.ReturnWithin <= TimeSpan.Zero || shortTrip.ReturnWithin > TimeSpan.FromDays(1))
                throw new InvalidOperationException($"{setting}:ShortTrip:ReturnWithin must be positive and at most a day (got {shortTrip.ReturnWithin}).");
            if (queue.DeclinesAllowed is < 0 or > MaxDeclinesAllowed)
                throw new InvalidOperationException($"{setting}:DeclinesAllowed must be from 0 to {MaxDeclinesAllowed} (got {queue.DeclinesAllowed}).");
        }
    }
}

/// <summary>
/// A driver's place in their airport queue: 1st of <see cref="Size"/> drivers of their class there. <see cref="PlaceKept"/>:
/// they came back from a short trip and were put at their old place; <see cref="DeclinesAllowed"/> and
/// <see cref="DeclinesUsed"/>: the queue's allowance of offers turned down without losing the place (0 and 0: none).
/// </summary>
public sealed record QueuePlace(string QueueId, string Name, int Position, int Size, DateTimeOffset Since, bool PlaceKept = false, int DeclinesAllowed = 0, int DeclinesUsed = 0);

/// <summary>
/// The configured airport queues and their rules, with no I/O: which lot a position is in, which queue serves a pickup,
/// and the order of a queue's drivers. The members themselves are drivers whose record says so
/// (<see cref="Driver.QueueId"/>, <see cref="Driver.QueuedAt"/>): every replica holds every record, so each computes
/// the same order.
/// </summary>
public sealed class AirportQueues(IReadOnlyList<AirportQueue> queues)
{
    public IReadOnlyList<AirportQueue> All => queues;

    public AirportQueue? Get(string? queueId) => queueId is null ? null : queues.FirstOrDefault(q => q.Id == queueId);

    /// <summary>
    /// How far outside its lot a queued driver's position may be and they stay in the queue: a phone's GPS wanders tens of
    /// metres around a parked car, and a driver parked by the lot's edge must not lose their place (and cost a write) at
    /// each wander. Joining needs the lot itself.
    /// </summary>
    public const double LeaveMarginMeters = 50;

    /// <summary>
    /// The queue a driver now in <paramref name="currentQueueId"/> (null: none) is in at <paramref name="point"/>: the
    /// same while within <see cref="LeaveMarginMeters"/> of its lot, else the lot the point is in (null: none).
    /// </summary>
    public AirportQueue? LotFor(GeoPoint point, string? currentQueueId) =>
        Get(currentQueueId) is { } current && current.Lot.Contains(point, LeaveMarginMeters) ? current : LotAt(point);

    /// <summary>The queue whose lot <paramref name="point"/> is in (null: none). A handful of circle tests: cheap enough for every position.</summary>
    public AirportQueue? LotAt(GeoPoint point)
    {
        foreach (var queue in queues)
        {
            if (queue.Lot.Contains(point)) return queue;
        }
        return null;
    }

    /// <summary>The queue serving a pickup here (null: none; the first configured when areas overlap).</summary>
    public AirportQueue? Serving(GeoPoint pickup)
    {
        foreach (var queue in queues)
        {
            if (queue.Pickup.Contains(pickup)) return queue;
        }
        return null;
    }

    /// <summary>
    /// First come, first served: by when each entered the lot (<see cref="Driver.QueuedAt"/>), the driver id breaking a
    /// tie so every replica orders the same. Only members of <paramref name="queueId"/> are kept.
    /// </summary>
    public static List<Driver> Order(IEnumerable<Driver> members, string queueId) =>
        [.. members.Where(d => d.QueueId == queueId && d.QueuedAt is not null).OrderBy(d => d.QueuedAt).ThenBy(d => d.Id, StringComparer.Ordinal)];

    /// <summary>Every driver's place in <paramref name="queue"/>, whose members are <paramref name="ordered"/> (<see cref="Order"/>): counted per vehicle class.</summary>
    public static IEnumerable<(string DriverId, QueuePlace Place)> Places(AirportQueue queue, IReadOnlyList<Driver> ordered)
    {
        foreach (var byClass in ordered.GroupBy(d => d.VehicleClass))
        {
            var members = byClass.ToList();
            for (var i = 0; i < members.Count; i++)
            {
                yield return (members[i].Id, Place(queue, members[i], i + 1, members.Count));
            }
        }
    }

    /// <summary>
    /// Where <paramref name="driver"/> stands among the drivers of their class in their queue (null when not in one):
    /// counted from <paramref name="members"/> as this view holds them, the driver placed by their own record even when the
    /// view does not hold it yet.
    /// </summary>
    public QueuePlace? PlaceOf(Driver driver, IEnumerable<Driver> members)
    {
        if (driver is not { QueueId: { } queueId, QueuedAt: { } since } || Get(queueId) is not { } queue) return null;
        var ahead = 0;
        var size = 1;
        foreach (var other in members)
        {
            if (other.Id == driver.Id || other.QueueId != queueId || other.QueuedAt is not { } at || other.VehicleClass != driver.VehicleClass) continue;
            size++;
            if (at < since || (at == since && string.CompareOrdinal(other.Id, driver.Id) < 0)) ahead++;
        }
        return Place(queue, driver, ahead + 1, size);
    }

    private static QueuePlace Place(AirportQueue queue, Driver driver, int position, int size) =>
        new(queue.Id, queue.Name, position, size, driver.QueuedAt!.Value, driver.QueuePlaceKept, queue.DeclinesAllowed, Math.Min(driver.QueueDeclines, queue.DeclinesAllowed));

    /// <summary>How many airport offers a driver waiting in <paramref name="queueId"/> may turn down and keep their place (0: none, or no such queue).</summary>
    public int DeclinesAllowed(string? queueId) => Get(queueId)?.DeclinesAllowed ?? 0;

    /// <summary>
    /// The pass back to the queue <paramref name="driver"/> earns by completing <paramref name="tripId"/> at
    /// <paramref name="completedAt"/> (null: none): only a trip taken from a queue (<see cref="Driver.LeftQueueFor"/>) whose
    /// distance — <paramref name="distanceMeters"/> as trips reports it, or the straight line from pickup to drop-off when
    /// it does not (0) — is at most the queue's <see cref="ShortTripRule.MaxKm"/>.
    /// </summary>
    public QueueReturn? ReturnPassFor(Driver driver, string tripId, int distanceMeters, DateTimeOffset completedAt)
    {
        if (driver.LeftQueueFor is not { } left || left.TripId != tripId || Get(left.QueueId) is not { } queue) return null;
        var rule = queue.ShortTrip ?? new();
        if (rule.MaxKm <= 0) return null;
        double meters = distanceMeters;
        if (meters <= 0)
        {
            if (driver.TripPickup is not { } pickup || driver.TripDropoff is not { } dropoff) return null;
            meters = Contracts.Geo.DistanceMeters(pickup.Lat, pickup.Lng, dropoff.Lat, dropoff.Lng);
        }
        return meters <= rule.MaxKm * 1000 ? new QueueReturn(queue.Id, queue.Name, left.QueuedAt, completedAt + rule.ReturnWithin) : null;
    }
}
