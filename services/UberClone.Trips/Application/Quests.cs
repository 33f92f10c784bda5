using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Trips.Domain;
using UberClone.Trips.Quests;

namespace UberClone.Trips.Application;

/// <summary>A quest with how many drivers reached its target.</summary>
public sealed record QuestSummary(Quest Quest, int DriversEarned);

/// <summary>A quest a driver sees, with their progress on it.</summary>
public sealed record DriverQuestView(Quest Quest, QuestProgress Progress);

/// <summary>
/// Driver quests (docs/decisions/0038): support creates and ends them; each completed ride counts towards the quests
/// whose window and filters it matches, once per trip, and reaching the target earns the bonus once, told in the same
/// write as the progress (the ledger line, the mail and the driver's app all follow from that write's events).
/// </summary>
public sealed class QuestDesk(TripRepository repository, TimeProvider clock, ILogger<QuestDesk> logger)
{
    /// <summary>How many quests support's list shows, newest first.</summary>
    public const int ListLimit = 200;

    /// <summary>
    /// The most quests a completion is checked against, and a driver's list reads: those whose counting ends in the range
    /// that can hold them (<see cref="Quest.CountsUntilRange"/>), soonest end first.
    /// </summary>
    public const int MaxQuestsRead = 1_000;

    /// <summary>How long a driver still sees a quest after it ended (its result).</summary>
    public static readonly TimeSpan ShownAfterEnd = TimeSpan.FromDays(7);

    /// <summary>The most drivers support's count of who reached a quest reads.</summary>
    public const int MaxEarnedCounted = 10_000;

    /// <summary>The most quests a driver's earnings read their bonuses from (a driver's quests, newest first).</summary>
    public const int MaxProgressRead = 500;

    public async Task<Quest> CreateAsync(string operatorId, string? name, DateTimeOffset startsAt, DateTimeOffset endsAt, int target, long bonusMinor, string? currency,
        QuestArea? area, IEnumerable<string>? vehicleClasses, CancellationToken ct)
    {
        var quest = Quest.Create(Guid.NewGuid().ToString("N"), name, startsAt, endsAt, target, bonusMinor, currency, area, vehicleClasses, operatorId, clock.GetUtcNow());
        await repository.Quests.InsertAsync(quest.Id, quest, ct: ct);
        return quest;
    }

    public async Task<IReadOnlyList<QuestSummary>> ListAsync(CancellationToken ct)
    {
        var quests = (await repository.Quests.QueryAsync(Quest.ListedField, "quest", ListLimit, ct)).Select(q => q.Document).ToList();
        var summaries = new List<QuestSummary>(quests.Count);
        foreach (var quest in quests)
        {
            var earned = await repository.QuestProgress.QueryAsync(QuestProgress.EarnedQuestField, quest.Id, MaxEarnedCounted, ct);
            summaries.Add(new QuestSummary(quest, earned.Count));
        }
        return summaries;
    }

    public async Task<Quest> EndAsync(string questId, CancellationToken ct) =>
        await repository.Quests.UpdateAsync(questId, q => q.End(clock.GetUtcNow()), ct: ct)
        ?? throw new QuestNotFoundException($"No quest has the id {questId}.");

    /// <summary>
    /// The quests running now or ended in the last week, newest first, with the driver's progress on each (none yet: 0).
    /// A quest for another city (given where the driver is, <paramref name="near"/>) or only for classes the driver is not
    /// approved for (<paramref name="approvedClasses"/>, ADR 0022) is left out unless they made progress on it.
    /// </summary>
    public async Task<IReadOnlyList<DriverQuestView>> OfDriverAsync(string driverId, GeoPoint? near, IReadOnlyCollection<string> approvedClasses, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var shown = (await CountingAsync(now - ShownAfterEnd, now, ct)).Where(q => q.IsShownAt(now, ShownAfterEnd)).OrderByDescending(q => q.CreatedAt).ToList();
        if (shown.Count == 0) return [];
        var progress = (await repository.QuestProgress.GetManyAsync(shown.Select(q => QuestProgress.IdOf(q.Id, driverId)).ToList(), ct))
            .ToDictionary(p => p.Document.QuestId, p => p.Document);
        return shown
            .Select(q => new DriverQuestView(q, progress.GetValueOrDefault(q.Id) ?? QuestProgress.Start(q.Id, driverId)))
            .Where(v => v.Progress.Done > 0 || ((near is null || v.Quest.Area is null || v.Quest.Area.Contains(near)) && v.Quest.IsDrivableIn(approvedClasses)))
            .ToList();
    }

    /// <summary>
    /// A trip completed: it counts towards each quest that counts it, each progress written with what it tells (the
    /// driver's progress; the bonus when that reached the target). Handling it again changes and tells nothing: the
    /// progress knows its trips. Returns the progress that changed.
    /// </summary>
    public async Task<IReadOnlyList<QuestProgress>> CountAsync(Trip trip, CancellationToken ct)
    {
        if (trip is not { DriverId: { } driverId, CompletedAt: { } completedAt }) return [];
        var changed = new List<QuestProgress>();
        foreach (var quest in (await CountingAsync(completedAt, completedAt, ct)).Where(q => q.Counts(trip)))
        {
            if (await ChangeProgressAsync(quest, driverId, p => p.Count(quest, trip), ct) is { } progress) changed.Add(progress);
        }
        return changed;
    }

    /// <summary>The quest bonuses the driver earned from <paramref name="from"/> until before <paramref name="to"/>.</summary>
    public async Task<IReadOnlyList<QuestProgress>> BonusesAsync(string driverId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        (await repository.QuestProgress.QueryAsync(QuestProgress.DriverField, driverId, MaxProgressRead, ct))
            .Select(p => p.Document)
            .Where(p => p.EarnedAt is { } at && at >= from && at < to)
            .OrderByDescending(p => p.EarnedAt)
            .ToList();

    /// <summary>
    /// Writes again, once, the quests stored by a version that did not keep <see cref="Quest.CountsUntilMs"/> (completions
    /// and drivers' lists find quests by it), so an upgrade leaves no quest that stops counting. Returns how many.
    /// </summary>
    public async Task<int> IndexCountsUntilAsync(CancellationToken ct)
    {
        var indexed = (await repository.Quests.QueryUpToAsync(Quest.CountsUntilField, long.MaxValue, int.MaxValue, ct)).Select(q => q.Id).ToHashSet();
        var written = 0;
        await foreach (var quest in repository.Quests.QueryAllAsync(Quest.ListedField, "quest", ct))
        {
            if (indexed.Contains(quest.Id)) continue;
            try
            {
                await repository.Quests.ReplaceAsync(quest.Id, quest.Document, quest.Version, ct: ct);
                written++;
            }
            catch (ConcurrencyConflictException)
            {
                // Written meanwhile (support ended it) by this version, which stores the field.
            }
        }
        if (written > 0) logger.LogInformation("Indexed the end of {Count} quest(s) stored without it", written);
        return written;
    }

    /// <summary>
    /// The quests that were counting at some instant from <paramref name="from"/> to <paramref name="to"/>, and a few
    /// around them (those starting after it but ending within <see cref="Quest.LongestWindow"/>): read by the index of
    /// their end, whatever was created since, at most <see cref="MaxQuestsRead"/>.
    /// </summary>
    private async Task<IReadOnlyList<Quest>> CountingAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var (min, max) = Quest.CountsUntilRange(from, to);
        var read = await repository.Quests.QueryBetweenAsync(Quest.CountsUntilField, min, max, MaxQuestsRead, ct);
        if (read.Count == MaxQuestsRead)
        {
            logger.LogWarning("{Count} quests end between {From} and {To}: the ones ending last were not read", read.Count, from, to + Quest.LongestWindow);
        }
        return [.. read.Select(q => q.Document)];
    }

    /// <summary>The driver's progress on <paramref name="quest"/> changed, with its events in the same write; null: no change.</summary>
    private async Task<QuestProgress?> ChangeProgressAsync(Quest quest, string driverId, Func<QuestProgress, QuestProgress> change, CancellationToken ct)
    {
        var id = QuestProgress.IdOf(quest.Id, driverId);
        while (true)
        {
            QuestProgress? written = null;
            var current = await repository.QuestProgress.UpdateAsync(id, p =>
            {
                var next = change(p);
                written = ReferenceEquals(next, p) ? null : next; // the last attempt's decision is the one written
                return next;
            }, p => Told(quest, p), ct);
            if (current is not null) return written;
            var start = QuestProgress.Start(quest.Id, driverId);
            var first = change(start);
            if (ReferenceEquals(first, start)) return null;
            try
            {
                await repository.QuestProgress.InsertAsync(id, first, Told(quest, first), ct);
                return first;
            }
            catch (DuplicateDocumentException)
            {
                // Another completion of this driver's wrote first: change that.
            }
        }
    }

    /// <summary>What a change of progress tells: the progress (the driver's app), and the bonus when it was just earned.</summary>
    private IReadOnlyList<OutboxMessage> Told(Quest quest, QuestProgress progress)
    {
        var at = clock.GetUtcNow();
        var tripId = progress.TripIds[^1];
        List<OutboxMessage> messages =
        [
            OutboxMessages.Create(Topics.QuestProgress, progress.DriverId, new QuestProgressIntegrationEvent(
                quest.Id, progress.DriverId, quest.Name, progress.Done, quest.Target, quest.BonusMinor, quest.Currency, quest.CountsUntil, progress.EarnedAt is not null,
                tripId, at)),
        ];
        if (progress.EarnedAt is { } earnedAt)
        {
            messages.Add(OutboxMessages.Create(Topics.QuestBonusEarned, progress.DriverId, new QuestBonusEarnedIntegrationEvent(
                quest.Id, progress.DriverId, progress.QuestName, quest.Target, progress.BonusMinor, progress.Currency, progress.EarnedByTripId!, earnedAt)));
        }
        return messages;
    }
}
