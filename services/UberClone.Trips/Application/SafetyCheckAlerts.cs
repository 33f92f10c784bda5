using Microsoft.Extensions.Options;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Application;

/// <summary>
/// Asks about rides whose driver's phone went silent (<see cref="SilentPhones"/>) and tells support
/// of safety checks nobody answered (<see cref="RideCheck.AlertUnansweredAsync"/>), looking every
/// <c>Safety:PollInterval</c> as <see cref="ReservationDispatcher"/> looks for rides booked for later: the due ones are
/// found from an index (one query a look), on every replica; each is told once whichever finds it.
/// </summary>
public sealed class SafetyCheckAlerts(IServiceScopeFactory scopes, IOptions<SafetyRules> rules, ILogger<SafetyCheckAlerts> logger) : DuePoller(scopes, logger)
{
    protected override TimeSpan Interval => rules.Value.PollInterval;

    protected override string What => "silent phones or unanswered safety checks";

    /// <summary>Silent phones first (a check they open is then due for support in its turn), then the unanswered checks.</summary>
    protected override async Task<int> LookAsync(IServiceProvider services, CancellationToken ct)
    {
        var silent = services.GetRequiredService<SilentPhones>();
        while (await silent.CheckAsync(BatchSize, ct) == BatchSize) { }
        return await services.GetRequiredService<RideCheck>().AlertUnansweredAsync(BatchSize, ct);
    }
}
