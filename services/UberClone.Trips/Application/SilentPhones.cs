using Microsoft.Extensions.Options;
using UberClone.Storage;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Application;

/// <summary>
/// RideCheck's silent phones (ADR 0033): opens a check on rides whose driver's phone has not been heard of for
/// <see cref="SafetyRules.SilentAfter"/> (<see cref="Trip.WatchForSilence"/>), found from an index of when each ride's
/// phone was last heard of. Each is decided on the trip as it is then (a fix that came meanwhile asks nothing), with
/// trip.event.safety_check in the same write; a silence handled leaves the index, so every replica may look at once.
/// </summary>
public sealed class SilentPhones(TripRepository repository, IOptions<SafetyRules> rules, TimeProvider clock)
{
    /// <summary>Looks at up to <paramref name="limit"/> rides silent long enough; returns how many were looked at.</summary>
    public async Task<int> CheckAsync(int limit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var due = await repository.Trips.QueryUpToAsync(Trip.LastHeardAtField, (now - rules.Value.SilentAfter).ToUnixTimeMilliseconds(), limit, ct);
        foreach (var found in due)
        {
            await repository.Trips.UpdateAsync(found.Id, t => t.WatchForSilence(rules.Value, now),
                t => t.OpenSafetyCheck is { Kind: SafetyCheckKinds.Silent } check && check.OpenedAt == now ? [RideCheck.Event(t, check, RideCheck.Opened, now)] : [], ct);
        }
        return due.Count;
    }
}
