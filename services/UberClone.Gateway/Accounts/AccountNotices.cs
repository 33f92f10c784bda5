using UberClone.Contracts.Identity;
using UberClone.Gateway.Mail;

namespace UberClone.Gateway.Accounts;

/// <summary>
/// The mails an account's owner gets about the account itself: a reset code, and a notice after each change that only
/// its owner should make (a new password, the account deleted), so someone else's doing is noticed. Each is queued in the
/// outbox (<see cref="MailOutbox"/>); a code's mail is not sent once the code expired.
/// </summary>
public sealed class AccountNotices(MailOutbox mail, TimeProvider clock, ILogger<AccountNotices> logger)
{
    private Task Queue(Account account, OutgoingMail message, CancellationToken ct) => mail.EnqueueAsync(message, account.Id, ct: ct);

    /// <summary>
    /// A notice of a change already made: a database that fails to queue it is logged, and does not undo or fail the
    /// change. <paramref name="id"/>: one such notice per account at most (several replicas may notice the same change).
    /// </summary>
    private async Task Notify(Account account, OutgoingMail message, CancellationToken ct, string? id = null)
    {
        try
        {
            await mail.EnqueueAsync(message, account.Id, id, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "The {Kind} notice to account {UserId} could not be queued", message.Kind, account.Id);
        }
    }

    private OutgoingMail Code(OutgoingMail message, TimeSpan lifetime) => message with { Secret = true, SendBefore = clock.GetUtcNow() + lifetime };

    public Task ResetCode(Account account, string code, CancellationToken ct) => Queue(account, Code(new OutgoingMail(account.Email, account.Name, $"Your UberClone code: {code}",
        $"""
        Hello {account.Name},

        Someone, hopefully you, asked to reset the password of your UberClone account.
        Your code is {code}. It works for {PasswordReset.Lifetime.TotalMinutes:0} minutes, once.

        If it was not you, ignore this mail: your password has not changed.
        """, "password-reset-code"), PasswordReset.Lifetime), ct);

    public Task ConfirmEmailCode(Account account, string code, CancellationToken ct) => Queue(account, Code(new OutgoingMail(account.Email, account.Name, $"Confirm your UberClone email: {code}",
        $"""
        Hello {account.Name},

        Welcome to UberClone. To confirm that this email is yours, enter {code} in the app (Account settings, "Your email").
        The code works for {EmailVerification.Lifetime.TotalHours:0} hours. Once the email is confirmed, receipts and news
        about your rides are mailed here.

        If you did not sign up, ignore this mail: nothing more will be sent to you.
        """, "email-confirmation-code"), EmailVerification.Lifetime), ct);

    /// <summary>To the new address: the code that moves the account there.</summary>
    public Task NewEmailCode(Account account, string newEmail, string code, CancellationToken ct) => Queue(account, Code(new OutgoingMail(newEmail, account.Name, $"Confirm your new UberClone email: {code}",
        $"""
        Hello {account.Name},

        You asked to sign in to UberClone with this email from now on. To confirm that it is yours, enter {code} in the
        app (Account settings, "Your email"). The code works for an hour; until then your account keeps its old email.

        If you did not ask for this, ignore this mail.
        """, "new-email-code"), EmailChange.Lifetime), ct);

    /// <summary>To a rider's work address (ADR 0034): the code that confirms it gets the receipts of their business rides.</summary>
    public Task WorkEmailCode(Account account, string workEmail, string code, CancellationToken ct) => Queue(account, Code(new OutgoingMail(workEmail, account.Name, $"Confirm your UberClone work email: {code}",
        $"""
        Hello {account.Name},

        You asked UberClone to send the receipts of your business rides to this address as well. To confirm that it is
        yours, enter {code} in the app (Account settings, "Business profile"). The code works for
        {WorkEmailConfirmation.Lifetime.TotalHours:0} hours.

        If you did not ask for this, ignore this mail: nothing more will be sent here.
        """, "work-email-code"), WorkEmailConfirmation.Lifetime), ct);

    /// <summary>To the old address, once the account moved: someone else's doing is noticed.</summary>
    public Task EmailChanged(Account before, string newEmail, CancellationToken ct) => Notify(before, new OutgoingMail(before.Email, before.Name, "Your UberClone email was changed",
        $"""
        Hello {before.Name},

        Your UberClone account now signs in with {Masked(newEmail)} instead of this address, and mail about it goes there.

        If it was not you, tell support at once, giving them your account number {before.Id}: they can end every session
        of it and help you back in.
        """, "email-changed"), ct);

    /// <summary>"d***@example.com": enough for the owner to recognise, not a gift to whoever reads the old mailbox.</summary>
    internal static string Masked(string email) => email.IndexOf('@') is > 0 and var at ? $"{email[0]}***{email[at..]}" : "a new address";

    public Task PasswordChanged(Account account, CancellationToken ct) => Notify(account, new OutgoingMail(account.Email, account.Name, "Your UberClone password was changed",
        $"""
        Hello {account.Name},

        The password of your UberClone account was just changed, and every device signed in with it was signed out.

        If it was not you, reset your password at once ("Forgot your password?" when signing in) and tell support.
        """, "password-changed"), ct);

    /// <summary>2-step verification turned on (ADR 0052): whoever holds the mailbox learns it, and what to keep.</summary>
    public Task TwoStepOn(Account account, CancellationToken ct) => Notify(account, new OutgoingMail(account.Email, account.Name, "2-step verification is on for your UberClone account",
        $"""
        Hello {account.Name},

        2-step verification is now on for your UberClone account: signing in asks for your password and then the
        6-digit code your authenticator app shows. Keep the recovery codes you were shown somewhere safe: each signs
        in once if you lose your phone.

        If it was not you, reset your password at once ("Forgot your password?" when signing in) and tell support.
        """, "two-step-on"), ct);

    /// <summary>2-step verification turned off, by its owner or by support for an owner who lost their phone (the reason).</summary>
    public Task TwoStepOff(Account account, string? supportReason, CancellationToken ct) => Notify(account, new OutgoingMail(account.Email, account.Name, "2-step verification is off for your UberClone account",
        $"""
        Hello {account.Name},

        2-step verification was turned off for your UberClone account{(supportReason is null ? "" : $" by support ({supportReason})")}: signing in
        asks for your password only. You can turn it on again under Account settings.

        If you did not ask for this, reset your password at once ("Forgot your password?" when signing in) and tell support.
        """, "two-step-off"), ct);

    /// <summary>A recovery code signed in (a lost phone, or someone who found the codes): how many are left.</summary>
    public Task RecoveryCodeUsed(Account account, int left, CancellationToken ct) => Notify(account, new OutgoingMail(account.Email, account.Name, "A recovery code was used to sign in to UberClone",
        $"""
        Hello {account.Name},

        One of your recovery codes was just used to sign in to your UberClone account; {left} {(left == 1 ? "is" : "are")} left.
        To get new ones, choose "New recovery codes" under Account settings.

        If it was not you, reset your password at once ("Forgot your password?" when signing in) and tell support.
        """, "two-step-recovery-code-used"), ct);

    /// <summary>New recovery codes were made (the password and a code): the ones before stopped working.</summary>
    public Task RecoveryCodesRenewed(Account account, CancellationToken ct) => Notify(account, new OutgoingMail(account.Email, account.Name, "New recovery codes were made for your account",
        $"""
        Hello {account.Name},

        New recovery codes were made for your UberClone account (2-step verification): the ones you had before no
        longer work. Keep the new ones somewhere safe: each signs in once if you lose your phone.

        If it was not you, reset your password at once ("Forgot your password?" when signing in) and tell support.
        """, "two-step-recovery-codes-renewed"), ct);

    /// <summary>
    /// A sign-in from a device the account had not used (ADR 0048): what it was and when, in the owner's time zone, so
    /// someone else's sign-in is noticed. One per session.
    /// </summary>
    public Task NewSignIn(Account account, string device, string sessionId, CancellationToken ct)
    {
        var at = clock.GetUtcNow();
        var time = account.Zone is { } zone ? TimeZoneInfo.ConvertTime(at, zone) : at.ToUniversalTime();
        var zoneName = account.Zone is null ? "UTC" : "your time zone";
        return Notify(account, new OutgoingMail(account.Email, account.Name, $"New sign-in to your UberClone account: {device}",
            $"""
            Hello {account.Name},

            New sign-in to your UberClone account: {device}, at {time:HH:mm} ({zoneName}) on {time:d MMMM yyyy}.

            If it was you, there is nothing to do. Not you? Change your password (Account settings, or "Forgot your
            password?" when signing in): every device is signed out. Account settings, "Where you're signed in", shows
            every device signed in and signs one out.
            """, "new-sign-in"), ct, $"new-sign-in-{sessionId}");
    }

    /// <summary>Right after the owner asked (in the app, or by asking support): when it happens, and how to call it off.</summary>
    public Task AccountClosing(Account account, DateTimeOffset eraseAt, CancellationToken ct, bool bySupport = false) => Notify(account, new OutgoingMail(account.Email, account.Name, "Your UberClone account will be deleted",
        $"""
        Hello {account.Name},

        As you asked{(bySupport ? " our support team" : "")}, your UberClone account will be deleted on {RiderMail.ReceiptMails.Date(eraseAt, account.Zone, "d MMMM yyyy, HH:mm")}: then your
        name, email, password and saved places are erased. Every device was signed out, and rides you had booked ahead
        are cancelled.{(account.Role == Roles.Driver ? "\n\nWhat you are still owed for your trips is paid to your bank account for payouts when the account is deleted, whatever\nthe amount. Without one, it stays owed to you: ask support." : "")}

        Changed your mind? Sign in before then, with this email and your password, and your account is kept as it is.
        If it was not you, sign in now and change your password, and tell support.
        """, "account-closing"), ct);

    /// <summary>The owner signed in before the erasure (or asked support to keep it): the account stays.</summary>
    public Task AccountKept(Account account, CancellationToken ct, bool bySupport = false) => Notify(account, new OutgoingMail(account.Email, account.Name, "Welcome back: your UberClone account is kept",
        $"""
        Hello {account.Name},

        {(bySupport ? "As you asked our support team, your" : "You signed in, so your")} UberClone account will not be deleted after all: everything is as you left it. Rides you had
        booked ahead were cancelled when you asked; book again in the app.

        {(bySupport ? "If you did not ask, tell support." : "If it was not you who signed in, change your password at once and tell support.")}
        """, "account-kept"), ct);

    public Task AccountDeleted(Account account, CancellationToken ct) => Notify(account, new OutgoingMail(account.Email, account.Name, "Your UberClone account was deleted",
        $"""
        Hello {account.Name},

        Your UberClone account was deleted, as you asked: your name, email, password and saved places are gone. Your
        trips and payments are kept without them, for receipts, tax records and safety reports.

        You can sign up again with this email at any time, as a new account. If it was not you, tell support.
        """, "account-deleted"), ct, $"account-deleted-{account.Id}");

    /// <summary>Support approved the driver's documents: what they may drive, until when.</summary>
    public Task DriverApproved(Account account, DriverPermit permit, CancellationToken ct) => Notify(account, new OutgoingMail(account.Email, account.Name, "You can drive with UberClone",
        $"""
        Hello {account.Name},

        Support checked your documents: you may drive {string.Join(", ", permit.Classes)} with UberClone until
        {permit.ValidUntil.AddDays(-1):d MMMM yyyy}, when your {account.Approval?.Documents?.FirstToExpire ?? "driving licence"} expires. Open the app and go online.

        Send the new document in the app (Your documents) before then, so you can keep driving.
        """, "driver-approved"), ct, $"driver-approved-{account.Id}-{account.Approval?.Decision?.At.ToUnixTimeMilliseconds()}");

    /// <summary>Support could not approve the documents the driver sent: why, and what to do.</summary>
    public Task DriverRejected(Account account, string reason, CancellationToken ct) => Notify(account, new OutgoingMail(account.Email, account.Name, "Your UberClone documents need another look",
        $"""
        Hello {account.Name},

        Support could not approve the documents you sent to drive with UberClone:

        {reason}

        Send corrected documents in the app (Your documents) and support will look at them again.
        """, "driver-rejected"), ct, $"driver-rejected-{account.Id}-{account.Approval?.Decision?.At.ToUnixTimeMilliseconds()}");

    /// <summary>Support narrowed what the driver may drive (<paramref name="permit"/>), or took it away (null): why, and what now.</summary>
    public Task DriverRestricted(Account account, DriverPermit? permit, string reason, CancellationToken ct) => Notify(account, new OutgoingMail(account.Email, account.Name,
        permit is null ? "Your approval to drive with UberClone was taken away" : "What you may drive with UberClone changed",
        $"""
        Hello {account.Name},

        {(permit is null
            ? "Support took away your approval to drive with UberClone:"
            : $"Support changed what you may drive with UberClone: {string.Join(", ", permit.Classes)} from now on, until {permit.ValidUntil.AddDays(-1):d MMMM yyyy}. Why:")}

        {reason}

        {(permit is null
            ? "You cannot go online until support approves you again. If you think this is a mistake, send your documents again in the app (Your documents), or get help."
            : "Go online in one of those classes.")}
        """, "driver-restricted"), ct, $"driver-restricted-{account.Id}-{account.Approval?.Decision?.At.ToUnixTimeMilliseconds()}");

    /// <summary>The driver's permit lapsed (a document expired): they cannot go online until new documents are approved.</summary>
    public Task DriverPermitLapsed(Account account, DriverPermit permit, CancellationToken ct) => Notify(account, new OutgoingMail(account.Email, account.Name, "Your approval to drive with UberClone ended",
        $"""
        Hello {account.Name},

        Your {account.Approval?.Documents?.FirstToExpire ?? "driving licence"} expired on {permit.ValidUntil.AddDays(-1):d MMMM yyyy}, so you cannot go online with UberClone for now.
        Send the new document in the app (Your documents): you can drive again as soon as support approves it.
        """, "driver-permit-lapsed"), ct, $"driver-permit-lapsed-{account.Id}-{permit.ValidUntil.ToUnixTimeMilliseconds()}");

    /// <summary>Two weeks before the permit lapses: the document that expires, and what to do.</summary>
    public Task DriverPermitEnding(Account account, DriverPermit permit, CancellationToken ct) => Notify(account, new OutgoingMail(account.Email, account.Name, "Your UberClone documents expire soon",
        $"""
        Hello {account.Name},

        Your {account.Approval?.Documents?.FirstToExpire ?? "driving licence"} expires on {permit.ValidUntil.AddDays(-1):d MMMM yyyy}. From the next day you cannot go online
        with UberClone until support approves a new one. Send it now in the app (Your documents): you keep driving
        meanwhile.
        """, "driver-documents-expiring"), ct, $"driver-documents-expiring-{account.Id}-{permit.ValidUntil.ToUnixTimeMilliseconds()}");
}
