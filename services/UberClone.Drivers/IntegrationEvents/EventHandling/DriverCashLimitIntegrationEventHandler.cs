using UberClone.Contracts.IntegrationEvents;
using UberClone.Drivers.Application;
using UberClone.Drivers.Domain;
using UberClone.Messaging;

namespace UberClone.Drivers.IntegrationEvents.EventHandling;

/// <summary>
/// Payments says a driver owes more than the limit from rides paid in cash, or no longer (ADR 0042): kept on their record,
/// so dispatch stops or resumes offering them cash rides. Their own "Accept cash rides" is left as they set it.
/// </summary>
public sealed class DriverCashLimitIntegrationEventHandler(DriversApplication drivers, ILogger<DriverCashLimitIntegrationEventHandler> logger)
    : IMessageHandler<DriverCashLimitIntegrationEvent>
{
    public async Task HandleAsync(DriverCashLimitIntegrationEvent limit, MessageContext context, CancellationToken ct)
    {
        var state = new CashLimitState(limit.Currency, limit.Reached, limit.OwedMinor, limit.LimitMinor, limit.Crossing, limit.At);
        if (await drivers.CashLimitAsync(limit.DriverId, state, ct) is null)
        {
            logger.LogInformation("Cash limit of driver {DriverId}, who never went online, ignored", limit.DriverId);
        }
    }
}
