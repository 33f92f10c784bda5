using UberClone.Storage;

namespace UberClone.Gateway.Accounts;

/// <summary>Issuing and using the codes of one collection of <see cref="MailedCode"/> (password resets, email confirmations).</summary>
public sealed class MailedCodes(IDocumentStore<MailedCode> codes, TimeSpan lifetime, TimeProvider clock)
{
    /// <summary>
    /// A new code for the account (to <paramref name="target"/>, when not the account's own address), replacing its last
    /// one; null (nothing to mail) when the last went to the same address less than <see cref="MailedCode.MinInterval"/>
    /// ago and still works, or another request issued one at the same moment.
    /// </summary>
    public async Task<string?> IssueAsync(string userId, CancellationToken ct, string? target = null)
    {
        var now = clock.GetUtcNow();
        var current = await codes.GetAsync(userId, ct);
        if (current is not null && current.Document.Target == target && !current.Document.MayBeReplaced(now) && now < current.Document.ExpiresAt) return null;
        var (stored, code) = MailedCode.New(userId, now, lifetime, target);
        try
        {
            if (current is null) await codes.InsertAsync(userId, stored, ct: ct);
            else await codes.ReplaceAsync(userId, stored, current.Version, ct: ct);
        }
        catch (Exception ex) when (ex is DuplicateDocumentException or ConcurrencyConflictException)
        {
            return null; // asked twice at once: the other request's code is the one mailed
        }
        return code;
    }

    /// <summary>
    /// Uses the account's code: when <paramref name="code"/> is it, <paramref name="beforeUse"/> may still refuse (the code
    /// is kept), then the code is deleted, so it works once. Otherwise a wrong guess is counted and what
    /// <paramref name="refused"/> makes of the reason is thrown, ending in <paramref name="askAgain"/> when a new code is needed.
    /// </summary>
    public async Task<MailedCode> UseAsync(string userId, string code, Func<string, Exception> refused, string askAgain, Action? beforeUse, CancellationToken ct)
    {
        var stored = await codes.GetAsync(userId, ct) ?? throw refused($"No code was asked for, or it was used; {askAgain}");
        switch (stored.Document.Check(code, clock.GetUtcNow()))
        {
            case MailedCodeCheck.Expired:
                throw refused($"The code has expired; {askAgain}");
            case MailedCodeCheck.TooManyAttempts:
                throw refused($"Too many wrong codes; {askAgain}");
            case MailedCodeCheck.Wrong:
                var wrong = stored.Document with { WrongAttempts = stored.Document.WrongAttempts + 1 };
                try
                {
                    await codes.ReplaceAsync(userId, wrong, stored.Version, ct: ct);
                }
                catch (ConcurrencyConflictException)
                {
                    // Another guess counted meanwhile (or the code was replaced or used): this one is still wrong.
                }
                throw refused(wrong.AttemptsLeft > 0
                    ? $"The code is wrong ({wrong.AttemptsLeft} {(wrong.AttemptsLeft == 1 ? "try" : "tries")} left)."
                    : $"The code is wrong, and that was the last try; {askAgain}");
        }
        beforeUse?.Invoke();
        try
        {
            await codes.DeleteAsync(userId, stored.Version, ct); // once: a second use finds it gone
        }
        catch (ConcurrencyConflictException)
        {
            throw refused($"The code was just used or replaced; {askAgain}");
        }
        return stored.Document;
    }
}
