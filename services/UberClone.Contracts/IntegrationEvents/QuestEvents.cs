namespace UberClone.Contracts.IntegrationEvents;

/// <summary>
/// A completed ride counted towards driver <paramref name="DriverId"/>'s quest <paramref name="QuestId"/> (ADR 0038): they
/// have done <paramref name="Done"/> of <paramref name="Target"/> rides; <paramref name="Earned"/> when that reached the
/// target (the bonus is earned once; its own event, <see cref="QuestBonusEarnedIntegrationEvent"/>, tells payments).
/// </summary>
public sealed record QuestProgressIntegrationEvent(
    string QuestId, string DriverId, string Name, int Done, int Target, long BonusMinor, string Currency, DateTimeOffset EndsAt, bool Earned, string TripId,
    DateTimeOffset At);

/// <summary>
/// Driver <paramref name="DriverId"/> reached quest <paramref name="QuestId"/>'s target with trip <paramref name="TripId"/>
/// and earned <paramref name="BonusMinor"/>: a line of their ledger (id <c>quest:{questId}:{driverId}</c>, so it is one line
/// however often this is delivered), and a mail.
/// </summary>
public sealed record QuestBonusEarnedIntegrationEvent(
    string QuestId, string DriverId, string Name, int Target, long BonusMinor, string Currency, string TripId, DateTimeOffset At);
