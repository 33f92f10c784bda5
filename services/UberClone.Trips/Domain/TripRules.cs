namespace UberClone.Trips.Domain;

/// <summary>The lifecycle rules that are policy, not structure. Bound from configuration section "Trips".</summary>
public sealed class TripRules
{
    /// <summary>A driver may say "arrived" only this close to the pickup.</summary>
    public double ArrivalRadiusMeters { get; set; } = 100;

    /// <summary>After assignment, the rider may cancel for free for this long.</summary>
    public TimeSpan FreeCancellationWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Waiting at the pickup is free this long after the driver arrived; then each minute until the ride starts costs
    /// the tariff's <c>WaitPerMinuteMinor</c>, added to the fare.
    /// </summary>
    public TimeSpan FreeWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How much longer waiting is free on a wheelchair-accessible ride (ADR 0045): loading a wheelchair by ramp or lift
    /// takes time. A driver may report a no-show that much later too.
    /// </summary>
    public TimeSpan WheelchairExtraFreeWait { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a driver waits at the pickup before they may cancel for a rider who does not come (who then pays the cancellation fee).</summary>
    public TimeSpan NoShowWait { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Charged to a rider who cancels after the free window, in minor units of the trip's currency.</summary>
    public long CancellationFeeMinor { get; set; } = 500;

    /// <summary>The platform's share, in percent, of what a rider pays beyond the booking fee; the driver earns the rest.</summary>
    public double ServiceFeePercent { get; set; } = 25;

    /// <summary>The largest tip a rider may add, in minor units of the trip's currency.</summary>
    public long MaxTipMinor { get; set; } = 10_000;

    /// <summary>How long after completion a rider who paid may still add a tip (paid on its own).</summary>
    public TimeSpan TipWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How many times a rider may change the drop-off of one trip.</summary>
    public int MaxDestinationChanges { get; set; } = 5;

    /// <summary>How far from the pickup they booked a rider may move it (ADR 0046: the other entrance, not another ride).</summary>
    public double MaxPickupMoveMeters { get; set; } = 400;

    /// <summary>How many times a rider may move the pickup of one trip.</summary>
    public int MaxPickupMoves { get; set; } = 3;

    /// <summary>The most stops on the way a ride may have (ADR 0023).</summary>
    public int MaxStops { get; set; } = 3;

    /// <summary>A ride booked for later is at least this far ahead (sooner: book it now).</summary>
    public TimeSpan MinScheduleAhead { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A ride is booked at most this far ahead.</summary>
    public TimeSpan MaxScheduleAhead { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Dispatch starts looking for a driver this long before a booked ride's pickup time.</summary>
    public TimeSpan ScheduledDispatchLead { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The rider is reminded of a ride booked for later this long before its pickup time, when it was booked at least
    /// twice as far ahead (a ride booked 45 minutes ahead was just confirmed). Longer than <see cref="ScheduledDispatchLead"/>;
    /// zero: no reminders.
    /// </summary>
    public TimeSpan ReservationReminderLead { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many rides a rider may have booked for later at once.</summary>
    public int MaxScheduledRides { get; set; } = 5;

    /// <summary>
    /// After <see cref="Trip.WrongPinsBeforeLockout"/> wrong PINs on a ride, no attempt is taken for this long after each
    /// wrong one (ADR 0044), so the 10,000 PINs cannot be tried in turn.
    /// </summary>
    public TimeSpan PinLockout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a shared trip's link still shows it once it ended (so whoever follows it sees it arrive).</summary>
    public TimeSpan SharedTripAfterEnd { get; set; } = TimeSpan.FromMinutes(30);
}
