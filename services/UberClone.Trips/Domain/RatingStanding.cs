namespace UberClone.Trips.Domain;

/// <summary>
/// The lines a standing is judged against: drivers' (<see cref="RatingRules"/>, ADR 0055) and riders'
/// (<see cref="RiderRatingRules"/>, ADR 0056), the same rules with their own numbers and their own lowest standing.
/// </summary>
public interface IRatingLines
{
    int Window { get; }
    double WarnBelow { get; }
    int MinimumRated { get; }

    /// <summary>The lower line: below it the standing is <see cref="Lowest"/>.</summary>
    double LowerLine { get; }

    /// <summary>A driver's <c>deactivate</c>, a rider's <c>restricted</c>.</summary>
    string Lowest { get; }
}

/// <summary>
/// How a driver's standing is judged from riders' ratings (ADR 0055; config section <c>Ratings</c>): the average of
/// their last <see cref="Window"/> rated trips, warned below <see cref="WarnBelow"/>, taken off the road below
/// <see cref="DeactivateBelow"/>, and not judged at all before <see cref="MinimumRated"/> rated trips (too few to be fair).
/// </summary>
public sealed class RatingRules : IRatingLines
{
    public int Window { get; set; } = 500;
    public double WarnBelow { get; set; } = 4.6;
    public double DeactivateBelow { get; set; } = 4.5;
    public int MinimumRated { get; set; } = 50;

    public bool IsValid => Window >= 1 && MinimumRated >= 1 && MinimumRated <= Window
        && DeactivateBelow is >= 1 and <= 5 && WarnBelow is >= 1 and <= 5 && DeactivateBelow <= WarnBelow;

    double IRatingLines.LowerLine => DeactivateBelow;
    string IRatingLines.Lowest => RatingStandings.Deactivate;
}

/// <summary>
/// How a rider's standing is judged from drivers' ratings (ADR 0056; config section <c>Ratings:Riders</c>): as a driver's,
/// with lower lines (riders are rated higher on the whole, and a rider has fewer rated trips): warned below
/// <see cref="WarnBelow"/>, new bookings refused below <see cref="RestrictBelow"/>, not judged before <see cref="MinimumRated"/>.
/// </summary>
public sealed class RiderRatingRules : IRatingLines
{
    public int Window { get; set; } = 500;
    public double WarnBelow { get; set; } = 4.3;
    public double RestrictBelow { get; set; } = 4.0;
    public int MinimumRated { get; set; } = 20;

    public bool IsValid => Window >= 1 && MinimumRated >= 1 && MinimumRated <= Window
        && RestrictBelow is >= 1 and <= 5 && WarnBelow is >= 1 and <= 5 && RestrictBelow <= WarnBelow;

    double IRatingLines.LowerLine => RestrictBelow;
    string IRatingLines.Lowest => RatingStandings.Restricted;
}

/// <summary>The standings a driver or a rider is in (<see cref="RatingStanding.Judge"/>).</summary>
public static class RatingStandings
{
    /// <summary>At or above the warning line, or not judged yet (fewer rated trips than the minimum).</summary>
    public const string Good = "good";
    public const string Warned = "warned";
    /// <summary>Below the lower line: the gateway takes the driver's approval to drive away until support reviews it.</summary>
    public const string Deactivate = "deactivate";
    /// <summary>A rider below the lower line (ADR 0056): trips refuses their new bookings until support reinstates them.</summary>
    public const string Restricted = "restricted";
}

/// <summary>
/// One rider's stars for one trip, kept in the driver's window (the trip id makes a redelivered rating harmless).
/// <paramref name="Cleared"/>: given before support reinstated the driver (<see cref="RatingStanding.Reinstated"/>): kept
/// to recognise a redelivery, never judged again.
/// </summary>
public sealed record RatedTrip(string TripId, int Stars, bool Cleared = false);

/// <summary>A driver's or a rider's recent ratings, newest last, and the standing last judged from them. Pure: the caller stores it.</summary>
public sealed record RatingStanding(IReadOnlyList<RatedTrip> Window, string Standing)
{
    public static readonly RatingStanding Empty = new([], RatingStandings.Good);

    /// <summary>The rated trips the standing is judged from: the window's, less those cleared by a reinstatement.</summary>
    public int Rated => Window.Count(r => !r.Cleared);

    /// <summary>The average of the judged ratings, to 2 decimals; 0 when there are none.</summary>
    public double Average => AverageOf(Window);

    public bool Holds(string tripId) => Window.Any(r => r.TripId == tripId);

    /// <summary>
    /// The window with <paramref name="rated"/> added and its oldest ratings beyond <see cref="IRatingLines.Window"/>
    /// dropped, and the standing judged again; the same instance when the trip is already in the window.
    /// </summary>
    public RatingStanding With(RatedTrip rated, IRatingLines rules)
    {
        if (Holds(rated.TripId)) return this;
        var window = Window.Append(rated).TakeLast(rules.Window).ToList();
        return new RatingStanding(window, Judge(window, rules));
    }

    /// <summary>
    /// Support approved a driver this standing had taken off the road (ADR 0055, amended), or reinstated a restricted
    /// rider (ADR 0056): a fresh start. The ratings so far stay in the window, cleared (a redelivery of one is still
    /// recognised), and they are judged again from <see cref="IRatingLines.MinimumRated"/> new ones; the same instance
    /// unless the standing is the lowest (<c>deactivate</c> or <c>restricted</c>).
    /// </summary>
    public RatingStanding Reinstated() => Standing is not (RatingStandings.Deactivate or RatingStandings.Restricted) ? this
        : new RatingStanding(Window.Select(r => r with { Cleared = true }).ToList(), RatingStandings.Good);

    /// <summary>Whether <paramref name="next"/> is a change of standing the driver must hear of.</summary>
    public bool Changed(RatingStanding next) => next.Standing != Standing;

    /// <summary>The standing the ratings in <paramref name="window"/> put a driver or a rider in.</summary>
    public static string Judge(IReadOnlyList<RatedTrip> window, IRatingLines rules)
    {
        if (window.Count(r => !r.Cleared) < rules.MinimumRated) return RatingStandings.Good;
        var average = AverageOf(window);
        return average < rules.LowerLine ? rules.Lowest
            : average < rules.WarnBelow ? RatingStandings.Warned
            : RatingStandings.Good;
    }

    private static double AverageOf(IReadOnlyList<RatedTrip> window) =>
        window.Any(r => !r.Cleared) ? Math.Round(window.Where(r => !r.Cleared).Average(r => r.Stars), 2, MidpointRounding.AwayFromZero) : 0;
}
