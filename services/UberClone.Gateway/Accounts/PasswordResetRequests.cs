using System.Threading.Channels;
using UberClone.Storage;

namespace UberClone.Gateway.Accounts;

/// <summary>An email someone asked a reset code for, not yet handled (collection <c>password_reset_requests</c>).</summary>
public sealed record PasswordResetRequested(string Email, long AtMs)
{
    public const string AtField = "atMs";
}

/// <summary>
/// Asking for a reset code is answered before anything is looked up: the email is stored (one insert, whether or not an
/// account has it, so the answer takes as long either way) and handled here (<see cref="PasswordResets.RequestAsync"/>):
/// at once on the replica that stored it, and every <see cref="Poll"/> on every replica, so a request survives a
/// restart and any replica handles it. Two replicas handling the same request mail one code (a code goes at most once a
/// minute). A request not handled within <see cref="GiveUpAfter"/> is dropped: a code out of the blue later would only
/// puzzle its reader.
/// </summary>
public sealed class PasswordResetRequests(IDocumentDatabase database, PasswordResets resets, TimeProvider clock, ILogger<PasswordResetRequests> logger) : BackgroundService
{
    public const string CollectionName = "password_reset_requests";
    public static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(10);
    private const int Batch = 50;

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public IDocumentStore<PasswordResetRequested> Requests { get; } = database.Collection<PasswordResetRequested>(CollectionName, PasswordResetRequested.AtField);

    public async Task EnqueueAsync(string email, CancellationToken ct)
    {
        await Requests.InsertAsync(Guid.CreateVersion7().ToString("N"), new PasswordResetRequested(email, clock.GetUtcNow().ToUnixTimeMilliseconds()), ct: ct);
        _wake.Writer.TryWrite(true);
    }

    /// <summary>Handles the stored requests, oldest first (at most <paramref name="limit"/>); how many were read.</summary>
    public async Task<int> HandleDueAsync(int limit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var due = await Requests.QueryUpToAsync(PasswordResetRequested.AtField, now.ToUnixTimeMilliseconds(), limit, ct);
        foreach (var request in due)
        {
            if (DateTimeOffset.FromUnixTimeMilliseconds(request.Document.AtMs) + GiveUpAfter < now)
            {
                logger.LogWarning("A password reset request waited over {GiveUpAfter} and was dropped; the user can ask again", GiveUpAfter);
            }
            else
            {
                await resets.RequestAsync(request.Document.Email, ct);
            }
            try
            {
                await Requests.DeleteAsync(request.Id, request.Version, ct);
            }
            catch (ConcurrencyConflictException)
            {
                // another replica handled it meanwhile
            }
        }
        return due.Count;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        DueWork.RunAsync(async ct => { while (await HandleDueAsync(Batch, ct) == Batch) { } }, _wake.Reader, Poll, logger, "Handling password reset requests", stoppingToken);
}
