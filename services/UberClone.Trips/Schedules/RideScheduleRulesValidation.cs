using Microsoft.Extensions.Options;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Schedules;

/// <summary>An occurrence is booked as a ride for later, so it is booked within the bounds such a ride has (Trips:MinScheduleAhead … MaxScheduleAhead).</summary>
public sealed class RideScheduleRulesValidation(IOptions<TripRules> trips) : IValidateOptions<RideScheduleRules>
{
    public ValidateOptionsResult Validate(string? name, RideScheduleRules options) =>
        options.BookAhead < trips.Value.MinScheduleAhead || options.BookAhead > trips.Value.MaxScheduleAhead
            ? ValidateOptionsResult.Fail($"RideSchedules:BookAhead must be from Trips:MinScheduleAhead ({trips.Value.MinScheduleAhead:c}) to Trips:MaxScheduleAhead ({trips.Value.MaxScheduleAhead:c}).")
            : ValidateOptionsResult.Success;
}
