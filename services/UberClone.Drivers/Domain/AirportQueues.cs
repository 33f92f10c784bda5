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
        }
    }
}

/// <summary>A driver's place in their airport queue: 1st of <see cref="Size"/> drivers of their class there.</summary>
public sealed record QueuePlace(string QueueId, string Name, int Position, int Size, DateTimeOffset Since);

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
                yield return (members[i].Id, new QueuePlace(queue.Id, queue.Name, i + 1, members.Count, members[i].QueuedAt!.Value));
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
        return new QueuePlace(queueId, queue.Name, ahead + 1, size, since);
    }
}
