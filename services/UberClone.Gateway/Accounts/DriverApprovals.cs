using System.Threading.Channels;
using UberClone.Contracts;
using UberClone.Contracts.Identity;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;

namespace UberClone.Gateway.Accounts;

/// <summary>
/// Drivers are approved before they drive (ADR 0022): a driver sends their documents, support approves them for some
/// vehicle classes or refuses them saying why, and a permit lapses when a document expires. Each decision is written on
/// the account with <c>account.event.driver_approval</c> in the same write (drivers takes a driver no longer covered
/// offline; every gateway tells the driver's app), and the driver is mailed. Going online is checked against the
/// account by the gateway (<see cref="Proxy.DriverPermits"/>).
/// </summary>
public sealed class DriverApprovals(AccountStore store, AccountNotices notices, TimeProvider clock, ILogger<DriverApprovals> logger)
{
    public const int QueueLimit = 100;

    /// <summary>A driver is mailed this long before their permit lapses, unless new documents already wait for support.</summary>
    public static readonly TimeSpan ReminderAhead = TimeSpan.FromDays(14);

    /// <summary>A driver's account that is not deleted; null for any other.</summary>
    public async Task<Account?> DriverAsync(string userId, CancellationToken ct) =>
        (await store.Accounts.GetAsync(userId, ct))?.Document is { DeletedAt: null, Role: Roles.Driver } account ? account : null;

    /// <summary>
    /// The driver sends (new) documents, for <paramref name="newVehicle"/> when they changed cars: support's queue gets
    /// them; a permit given before (and the car it was for) stays until support decides or it lapses.
    /// </summary>
    public async Task<Account?> SubmitAsync(string userId, DriverDocuments documents, Vehicle? newVehicle, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // The desk's queue hears of it at once (the same event, pending, with what the driver may drive meanwhile).
        return await store.Accounts.UpdateAsync(userId, a => Driver(a).WithApproval((a.Approval ?? new DriverApproval())
            .Submit(documents, now, newVehicle is not null && newVehicle != a.Vehicle ? newVehicle : null)),
            a => [Changed(a, ApprovalStatuses.Pending, a.Approval!.PermitAt(now), null, now, "submitted")], ct);
    }

    /// <summary>Support approves the documents waiting for <paramref name="classes"/>, the vehicle wheelchair accessible or not (ADR 0045).</summary>
    public async Task<Account?> ApproveAsync(string userId, IReadOnlyCollection<string>? classes, bool wheelchairAccessible, string? note, string by, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var account = await store.Accounts.UpdateAsync(userId, a => Driver(a).ApproveDriver(classes, by, note, now, wheelchairAccessible),
            a => [Changed(a, ApprovalStatuses.Approved, a.Approval!.Permit, a.Approval.Decision!.Reason, now, ApprovalStatuses.ApprovedOutcome)], ct);
        if (account is null) return null;
        logger.LogInformation("Driver {UserId} approved for {Classes} until {ValidUntil} by {By}", userId, account.Approval!.Permit!.Classes, account.Approval.Permit.ValidUntil, by);
        await notices.DriverApproved(account, account.Approval.Permit, CancellationToken.None);
        return account;
    }

    public async Task<Account?> RejectAsync(string userId, string? reason, string by, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var account = await store.Accounts.UpdateAsync(userId, a => Driver(a).WithApproval((a.Approval ?? new DriverApproval()).Reject(reason, by, now)),
            a => [Changed(a, ApprovalStatuses.Rejected, a.Approval!.PermitAt(now), a.Approval.Decision!.Reason, now, ApprovalStatuses.RejectedOutcome)], ct);
        if (account is null) return null;
        logger.LogInformation("Documents of driver {UserId} refused by {By}", userId, by);
        await notices.DriverRejected(account, account.Approval!.Decision!.Reason!, CancellationToken.None);
        return account;
    }

    /// <summary>
    /// Support narrows a driver's permit to <paramref name="keep"/> or takes it away (none kept), saying why: the drivers
    /// service takes them offline if they are online in a class no longer covered, their app and the desk are told, and
    /// they are mailed why. <paramref name="wheelchairAccessible"/> false takes wheelchair-accessible rides away (ADR 0045).
    /// </summary>
    public async Task<Account?> RestrictAsync(string userId, IReadOnlyCollection<string>? keep, bool? wheelchairAccessible, string? reason, string by, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var account = await store.Accounts.UpdateAsync(userId,
            a => Driver(a).WithApproval((a.Approval ?? new DriverApproval()).Restrict(keep, reason, by, now, wheelchairAccessible)),
            a => [Changed(a, a.Approval!.Permit is null ? ApprovalStatuses.Revoked : ApprovalStatuses.Approved, a.Approval.Permit, a.Approval.Decision!.Reason, now,
                a.Approval.Decision.Outcome)], ct);
        if (account is null) return null;
        logger.LogInformation("Approval of driver {UserId} narrowed to {Classes} by {By}", userId, account.Approval!.Permit?.Classes ?? [], by);
        await notices.DriverRestricted(account, account.Approval.Permit, account.Approval.Decision!.Reason!, CancellationToken.None);
        return account;
    }

    /// <summary>Drivers whose documents wait for support, longest waiting first.</summary>
    public async Task<IReadOnlyList<Account>> WaitingAsync(CancellationToken ct) =>
        [.. (await store.Accounts.QueryUpToAsync(Account.ReviewSinceField, long.MaxValue, QueueLimit, ct)).Select(a => a.Document).Where(a => a.DeletedAt is null)];

    /// <summary>
    /// The permits that lapsed by now: each is marked handled with <c>account.event.driver_approval</c> (expired, nothing
    /// allowed) in the same write, and its driver mailed. How many were due.
    /// </summary>
    public async Task<int> LapseDueAsync(int limit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (due, taken) = await TakeDueAsync(Account.PermitUntilField, a => a.PermitUntilMs, a => a with { PermitUntilMs = null },
            a => [Changed(a, ApprovalStatuses.Expired, null, $"Your {a.Approval?.Documents?.FirstToExpire ?? "driving licence"} expired.", now, ApprovalStatuses.Expired)], now, limit, ct);
        foreach (var lapsed in taken)
        {
            if (lapsed.Approval?.Permit is not { } permit) continue;
            logger.LogInformation("The permit of driver {UserId} lapsed at {ValidUntil}", lapsed.Id, permit.ValidUntil);
            if (lapsed.DeletedAt is null) await notices.DriverPermitLapsed(lapsed, permit, CancellationToken.None);
        }
        return due;
    }

    /// <summary>
    /// Reminds the drivers whose permit lapses within <see cref="ReminderAhead"/> to send the new document (once per
    /// permit; not when new documents already wait for support). How many reminders were due.
    /// </summary>
    public async Task<int> RemindDueAsync(int limit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (due, taken) = await TakeDueAsync(Account.PermitReminderField, a => a.PermitReminderMs, a => a with { PermitReminderMs = null }, null, now, limit, ct);
        foreach (var reminded in taken)
        {
            if (reminded is not { DeletedAt: null, Approval: { UnderReview: false, Permit: { } permit } } || !permit.IsValidAt(now)) continue;
            await notices.DriverPermitEnding(reminded, permit, CancellationToken.None);
        }
        return due;
    }

    /// <summary>
    /// The accounts whose indexed time <paramref name="field"/> came due by <paramref name="now"/>, each taken by clearing
    /// it in a conditional write (with <paramref name="outbox"/>), so of several replicas one takes each: how many were
    /// due, and those this call took.
    /// </summary>
    private async Task<(int Due, IReadOnlyList<Account> Taken)> TakeDueAsync(string field, Func<Account, long?> dueAtMs, Func<Account, Account> clear,
        Func<Account, IReadOnlyList<OutboxMessage>>? outbox, DateTimeOffset now, int limit, CancellationToken ct)
    {
        var due = await store.Accounts.QueryUpToAsync(field, now.ToUnixTimeMilliseconds(), limit, ct);
        var taken = new List<Account>();
        foreach (var account in due)
        {
            var takenNow = false; // this call's write cleared it (another replica may have, meanwhile)
            var written = await store.Accounts.UpdateAsync(account.Id, a =>
            {
                takenNow = dueAtMs(a) <= now.ToUnixTimeMilliseconds();
                return takenNow ? clear(a) : a;
            }, outbox, ct);
            if (takenNow && written is not null) taken.Add(written);
        }
        return (due.Count, taken);
    }

    private static Account Driver(Account account) =>
        account.DeletedAt is null && account.Role == Roles.Driver ? account : throw new ApprovalException("Only drivers are approved to drive: this account is not a driver's.");

    private static OutboxMessage Changed(Account account, string status, DriverPermit? permit, string? reason, DateTimeOffset now, string outcome) =>
        OutboxMessages.Create(Topics.AccountDriverApproval, account.Id,
            new DriverApprovalChangedIntegrationEvent(account.Id, status, permit?.Classes ?? [], permit?.ValidUntil, reason, now, outcome,
                permit?.WheelchairAccessible ?? false));
}

/// <summary>
/// Looks for permits that lapsed (<see cref="DriverApprovals.LapseDueAsync"/>) or soon will (<see cref="DriverApprovals.RemindDueAsync"/>)
/// every <c>DriverApproval:LapsePoll</c> (a minute), with <see cref="DueWork"/>. Runs on every replica: the conditional
/// writes let one handle each.
/// </summary>
public sealed class DriverPermitExpiry(DriverApprovals approvals, IConfiguration configuration, ILogger<DriverPermitExpiry> logger) : BackgroundService
{
    private const int Batch = 100;

    /// <summary>Nothing wakes the job early: permits come due with time, not with a write.</summary>
    private readonly Channel<bool> _neverWoken = Channel.CreateUnbounded<bool>();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => DueWork.RunAsync(async ct =>
        {
            while (await approvals.LapseDueAsync(Batch, ct) == Batch) { }
            while (await approvals.RemindDueAsync(Batch, ct) == Batch) { }
        }, _neverWoken.Reader, configuration.GetValue("DriverApproval:LapsePoll", TimeSpan.FromMinutes(1)), logger, "Handling lapsing driver permits", stoppingToken);
}
