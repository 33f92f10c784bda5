using Microsoft.Extensions.Options;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Application;

/// <summary>
/// Asks about rides whose driver's phone went silent (<see cref="SilentPhones"/>) and tells support
/// of safety checks nobody answered (<see cref="RideCheck.AlertUnansweredAsync"/>), looking every
/// <c>Safety:PollInterval</c> as <see cref="ReservationDispatcher"/> looks for rides booked for later: the due ones are
/// found from an index (one query a look), on every replica; each is told once whichever finds it.
/// </summary>
public sealed class SafetyCheckAlerts(IServiceScopeFactory scopes, IOptions<SafetyRules> rules, ILogger<SafetyCheckAlerts> logger) : BackgroundService
{
    private const int BatchSize = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = rules.Value.PollInterval;
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var checks = scope.ServiceProvider.GetRequiredService<RideCheck>();
                var silent = scope.ServiceProvider.GetRequiredService<SilentPhones>();
                while (await silent.CheckAsync(BatchSize, stoppingToken) == BatchSize) { }
                while (await checks.AlertUnansweredAsync(BatchSize, stoppingToken) == BatchSize) { }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Looking for silent phones or unanswered safety checks failed; trying again in {Interval}", interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
