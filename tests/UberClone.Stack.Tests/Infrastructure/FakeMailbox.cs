using System.Text.RegularExpressions;
using Aspire.Hosting.MailPit;

namespace UberClone.Stack.Tests.Infrastructure;

/// <summary>
/// What tests read of the mail the gateway sends over SMTP: the AppHost's <c>mail</c> resource for the whole stack
/// (<see cref="Of"/>), or a mailbox of its own for a gateway started alone (<see cref="FakeMailbox()"/>), given to it as
/// <see cref="ConnectionString"/>.
/// </summary>
public sealed partial class FakeMailbox : IAsyncDisposable
{
    private readonly Func<SmtpMailbox> _smtp;
    private readonly SmtpMailbox? _owned;

    public FakeMailbox()
    {
        _owned = new SmtpMailbox();
        _smtp = () => _owned;
    }

    private FakeMailbox(Func<SmtpMailbox> smtp) => _smtp = smtp;

    /// <summary>The mail resource of a stack (its SMTP server exists once the application has started).</summary>
    public static FakeMailbox Of(Func<SmtpMailbox> resourceMailbox) => new(resourceMailbox);

    public string ConnectionString => _smtp().ConnectionString;

    public IReadOnlyList<SmtpMailbox.ReceivedMail> Received => _smtp().Received;

    /// <summary>The first mail to <paramref name="to"/> matching <paramref name="predicate"/>, waiting for it to arrive.</summary>
    public async Task<SmtpMailbox.ReceivedMail> WaitForAsync(string to, Func<SmtpMailbox.ReceivedMail, bool>? predicate = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var found = Received.FirstOrDefault(m => m.To.Contains(to, StringComparer.OrdinalIgnoreCase) && (predicate?.Invoke(m) ?? true));
            if (found is not null) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No mail to {to} arrived; received: {string.Join(", ", Received.Select(m => $"{string.Join(";", m.To)}: {m.Subject}"))}");
            await Task.Delay(50);
        }
    }

    /// <summary>The first six-digit code mailed to <paramref name="to"/> (a password reset) that is not in <paramref name="seen"/>, waiting for one.</summary>
    public async Task<string> CodeForAsync(string to, params string[] seen)
    {
        var mail = await WaitForAsync(to, m => CodeIn(m) is { } code && !seen.Contains(code));
        return CodeIn(mail)!;
    }

    /// <summary>The code mailed at sign-up to confirm the email of <paramref name="to"/>, waiting for it.</summary>
    public async Task<string> ConfirmationCodeForAsync(string to)
    {
        var mail = await WaitForAsync(to, IsEmailConfirmation);
        return ConfirmationCode().Match(mail.Subject).Groups[1].Value;
    }

    /// <summary>The code mailed to the work email <paramref name="to"/> to confirm a rider's business profile (ADR 0034), waiting for it.</summary>
    public async Task<string> WorkEmailCodeForAsync(string to)
    {
        var mail = await WaitForAsync(to, m => WorkEmailCode().IsMatch(m.Subject));
        return WorkEmailCode().Match(mail.Subject).Groups[1].Value;
    }

    /// <summary>A password reset code ("Your UberClone code: 123456").</summary>
    public static bool IsResetCode(SmtpMailbox.ReceivedMail mail) => CodeIn(mail) is not null;

    /// <summary>A code to confirm the email, mailed at sign-up ("Confirm your UberClone email: 123456").</summary>
    public static bool IsEmailConfirmation(SmtpMailbox.ReceivedMail mail) => ConfirmationCode().IsMatch(mail.Subject);

    private static string? CodeIn(SmtpMailbox.ReceivedMail mail) => Code().Match(mail.Subject) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex(@"code: (\d{6})")]
    private static partial Regex Code();

    [GeneratedRegex(@"^Confirm your UberClone email: (\d{6})$")]
    private static partial Regex ConfirmationCode();

    [GeneratedRegex(@"^Confirm your UberClone work email: (\d{6})$")]
    private static partial Regex WorkEmailCode();

    public async ValueTask DisposeAsync()
    {
        if (_owned is not null) await _owned.DisposeAsync();
    }
}
