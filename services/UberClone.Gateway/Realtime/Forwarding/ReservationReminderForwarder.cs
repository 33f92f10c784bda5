using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.Accounts;
using UberClone.Messaging;

namespace UberClone.Gateway.Realtime.Forwarding;

/// <summary>
/// The reserving driver's reminder (ADR 0050) to their app, naming whom to pick up ("Pick up Ana at 08:15"): trips knows
/// no rider's name, so the gateway, every instance to the sockets it holds, adds it (<see cref="ReservationReminderNames"/>).
/// </summary>
public sealed class ReservationReminderForwarder(ConnectionRegistry sockets, AccountStore accounts) : IMessageHandler<TripReservationDriverReminderIntegrationEvent>
{
    public async Task HandleAsync(TripReservationDriverReminderIntegrationEvent reminder, MessageContext context, CancellationToken ct) =>
        sockets.SendToUser(reminder.DriverId, RealtimeTypes.TripReservationReminder, await ReservationReminderNames.NamedAsync(accounts, reminder, ct));
}

/// <summary>Whom a reserved ride picks up, first name only (ADR 0050).</summary>
public static class ReservationReminderNames
{
    /// <summary>
    /// <paramref name="reminder"/> with <see cref="TripReservationDriverReminderIntegrationEvent.PickupName"/>: the passenger
    /// trips named (a ride booked for someone else), else the rider's first name; none for a rider whose account is gone.
    /// </summary>
    public static async Task<TripReservationDriverReminderIntegrationEvent> NamedAsync(AccountStore accounts, TripReservationDriverReminderIntegrationEvent reminder, CancellationToken ct)
    {
        if (reminder.PickupName is { Length: > 0 } passenger) return reminder with { PickupName = Sharing.SharedTripApi.FirstName(passenger) };
        var rider = (await accounts.Accounts.GetAsync(reminder.RiderId, ct))?.Document;
        return rider is { DeletedAt: null, Name.Length: > 0 } ? reminder with { PickupName = Sharing.SharedTripApi.FirstName(rider.Name) } : reminder;
    }
}
