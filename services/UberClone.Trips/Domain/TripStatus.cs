namespace UberClone.Trips.Domain;

/// <summary>Trip states as they appear in the API and events.</summary>
public static class TripStatus
{
    /// <summary>Booked for later: dispatch starts <see cref="TripRules.ScheduledDispatchLead"/> before the pickup time.</summary>
    public const string Scheduled = "scheduled";
    public const string Searching = "searching";
    public const string DriverAssigned = "driver_assigned";
    public const string DriverArrived = "driver_arrived";
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
    public const string NoDriversFound = "no_drivers_found";

    public static readonly IReadOnlyList<string> All = [Scheduled, Searching, DriverAssigned, DriverArrived, InProgress, Completed, Cancelled, NoDriversFound];
}

public static class PaymentStatus
{
    public const string None = "none";
    public const string Pending = "pending";
    public const string Paid = "paid";
    public const string Failed = "payment_failed";
    /// <summary>Support waived what the rider owed after its payment failed (ADR 0053): nothing is owed, the platform bears it.</summary>
    public const string Waived = "waived";
}

public static class TripActors
{
    public const string Rider = "rider";
    public const string Driver = "driver";

    /// <summary>The support desk (the <c>operator</c> role).</summary>
    public const string Operator = "operator";

    /// <summary>Trips itself: a reservation it could not dispatch (its rider was on another trip, or had one to pay).</summary>
    public const string System = "system";
}
