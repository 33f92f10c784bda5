using Microsoft.Extensions.Options;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Application;

/// <summary>
/// RideCheck (ADR 0033): answering a ride's safety check, and telling support of checks nobody answered. A check opens
/// from the driver's positions (<see cref="Trip.WatchForLongStop"/>, <see cref="Trip.WatchForDetour"/>, in the location handler) or from their silence
/// (<see cref="SilentPhones"/>); every change goes to the
/// rider's and driver's apps with trip.event.safety_check, in the same write.
/// </summary>
public sealed class RideCheck(TripRepository repository, HelpDesk help, IOptions<SafetyRules> rules, TimeProvider clock, ILogger<RideCheck> logger)
{
    public const string Opened = "opened";
    public const string Answered = "answered";
    public const string SupportAlerted = "support_alerted";

    /// <summary>
    /// The rider or the assigned driver answers the open check (<see cref="Trip.AnswerSafetyCheck"/>); "help" raises the
    /// same EMERGENCY alert as the emergency button, first in support's queue. The alert's message id is the check's, so a
    /// retried answer (which the trip takes as already given) adds nothing to the request.
    /// </summary>
    public async Task<Trip> AnswerAsync(string userId, string tripId, string answer, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        Trip answered;
        try
        {
            answered = await repository.Trips.UpdateAsync(tripId, t => t.AnswerSafetyCheck(userId, answer, now),
                t => t.SafetyChecks[^1].AnsweredAt == now ? [Event(t, t.SafetyChecks[^1], Answered, now)] : [], ct)
                ?? throw new TripNotFoundException($"Trip {tripId} was not found.");
        }
        catch (TripNotYoursException ex)
        {
            throw new TripNotFoundException(ex.Message);
        }
        var check = answered.SafetyChecks[^1];
        if (answer == SafetyAnswers.Help)
        {
            var role = check.AnsweredBy ?? TripActors.Rider;
            var text = $"EMERGENCY: {check.Describe()}: {role} asked for help "
                + $"(RideCheck at {check.AnsweredAt:yyyy-MM-dd HH:mm:ss} UTC).";
            await help.RaiseAsync(answered, userId, $"ridecheck{check.Number}help", text, urgent: true, ct);
        }
        return answered;
    }

    /// <summary>
    /// Tells support of the open checks nobody answered in <see cref="SafetyRules.UnansweredAfter"/> (at most
    /// <paramref name="limit"/>), in the rider's name (they are the one being driven): a safety request, not urgent (ADR
    /// 0033 says why). Support is told first and the trip marked after, so a crash between them tells support again under
    /// the same message id, which adds nothing. Safe on every replica at once. Returns how many were looked at.
    /// </summary>
    public async Task<int> AlertUnansweredAsync(int limit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var due = await repository.Trips.QueryUpToAsync(Trip.SafetyAlertAtField, now.ToUnixTimeMilliseconds(), limit, ct);
        foreach (var trip in due.Select(d => d.Document))
        {
            if (trip.OpenSafetyCheck is not { } check) continue;
            var text = $"{check.Describe()}: nobody answered the RideCheck "
                + $"asked at {check.OpenedAt:HH:mm:ss} UTC within {rules.Value.UnansweredAfter.TotalMinutes:0.#} min.";
            try
            {
                await help.RaiseAsync(trip, trip.RiderId, $"ridecheck{check.Number}unanswered", text, urgent: false, ct);
            }
            catch (TripRuleException refused)
            {
                // The rider's requests about the trip are full: marked all the same, so this trip does not stand first
                // in every look from now on and hold back the others.
                logger.LogWarning("Support could not be told of trip {TripId}'s unanswered safety check {Number}: {Reason}", trip.Id, check.Number, refused.Message);
            }
            await repository.Trips.UpdateAsync(trip.Id, t => t.SafetyCheckUnanswered(now),
                t => t.SafetyChecks[^1].SupportAlertedAt == now ? [Event(t, t.SafetyChecks[^1], SupportAlerted, now)] : [], ct);
        }
        return due.Count;
    }

    internal static OutboxMessage Event(Trip trip, SafetyCheck check, string state, DateTimeOffset now) =>
        OutboxMessages.Create(Topics.TripSafetyCheck, trip.Id, new TripSafetyCheckIntegrationEvent(
            trip.Id, trip.RiderId, trip.DriverId!, check.Number, state, check.At, check.StoppedMinutes, check.Answer, check.AnsweredBy, check.OpenedAt, now,
            check.Kind, check.DetourMeters));
}
