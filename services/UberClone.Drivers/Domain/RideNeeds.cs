namespace UberClone.Drivers.Domain;

/// <summary>
/// What a ride needs of the driver who takes it, beyond its vehicle class: room for a pet (ADR 0041), taking cash
/// (ADR 0042), a wheelchair-accessible vehicle (ADR 0045). Dispatch, the searches waiting for a driver and the cars a
/// rider is shown before booking all ask <see cref="Driver.Takes(RideNeeds)"/>, so they cannot disagree about who takes a ride.
/// </summary>
public readonly record struct RideNeeds(bool WithPet = false, bool PayInCash = false, bool WheelchairAccessible = false)
{
    /// <summary>A ride that needs nothing more than its class.</summary>
    public static RideNeeds None => default;

    /// <summary>
    /// Whether a driver whose record this replica does not hold (only their position reached it) may be offered the ride.
    /// Welcoming pets and an accessible vehicle are on the record, off until set, so such a ride waits for a driver the
    /// replica knows; a driver accepts cash until they turn it off, so a cash ride does not.
    /// </summary>
    public bool TakenByDriversNotOnRecord => !WithPet && !WheelchairAccessible;
}
