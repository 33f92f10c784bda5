using UberClone.Gateway.Mail;

namespace UberClone.Gateway.Accounts;

/// <summary>
/// The mails an account's owner gets about the account itself: a reset code, and a notice after each change that only
/// its owner should make (a new password, the account deleted), so someone else's doing is noticed.
/// </summary>
public sealed class AccountNotices(MailQueue mail)
{
    public void ResetCode(Account account, string code) => mail.Enqueue(new OutgoingMail(account.Email, account.Name, $"Your UberClone code: {code}",
        $"""
        Hello {account.Name},

        Someone, hopefully you, asked to reset the password of your UberClone account.
        Your code is {code}. It works for {PasswordReset.Lifetime.TotalMinutes:0} minutes, once.

        If it was not you, ignore this mail: your password has not changed.
        """));

    public void ConfirmEmailCode(Account account, string code) => mail.Enqueue(new OutgoingMail(account.Email, account.Name, $"Confirm your UberClone email: {code}",
        $"""
        Hello {account.Name},

        Welcome to UberClone. To confirm that this email is yours, enter {code} in the app (Account settings, "Your email").
        The code works for {EmailVerification.Lifetime.TotalHours:0} hours. Once the email is confirmed, receipts and news
        about your rides are mailed here.

        If you did not sign up, ignore this mail: nothing more will be sent to you.
        """));

    /// <summary>To the new address: the code that moves the account there.</summary>
    public void NewEmailCode(Account account, string newEmail, string code) => mail.Enqueue(new OutgoingMail(newEmail, account.Name, $"Confirm your new UberClone email: {code}",
        $"""
        Hello {account.Name},

        You asked to sign in to UberClone with this email from now on. To confirm that it is yours, enter {code} in the
        app (Account settings, "Your email"). The code works for an hour; until then your account keeps its old email.

        If you did not ask for this, ignore this mail.
        """));

    /// <summary>To the old address, once the account moved: someone else's doing is noticed.</summary>
    public void EmailChanged(Account before, string newEmail) => mail.Enqueue(new OutgoingMail(before.Email, before.Name, "Your UberClone email was changed",
        $"""
        Hello {before.Name},

        Your UberClone account now signs in with {Masked(newEmail)} instead of this address, and mail about it goes there.

        If it was not you, tell support at once, giving them your account number {before.Id}: they can end every session
        of it and help you back in.
        """));

    /// <summary>"d***@example.com": enough for the owner to recognise, not a gift to whoever reads the old mailbox.</summary>
    internal static string Masked(string email) => email.IndexOf('@') is > 0 and var at ? $"{email[0]}***{email[at..]}" : "a new address";

    public void PasswordChanged(Account account) => mail.Enqueue(new OutgoingMail(account.Email, account.Name, "Your UberClone password was changed",
        $"""
        Hello {account.Name},

        The password of your UberClone account was just changed, and every device signed in with it was signed out.

        If it was not you, reset your password at once ("Forgot your password?" when signing in) and tell support.
        """));

    public void AccountDeleted(Account account) => mail.Enqueue(new OutgoingMail(account.Email, account.Name, "Your UberClone account was deleted",
        $"""
        Hello {account.Name},

        Your UberClone account was deleted, as you asked: your name, email, password and saved places are gone, and every
        device was signed out. Your trips and payments are kept without them, for receipts, tax records and safety reports.

        You can sign up again with this email at any time, as a new account. If it was not you, tell support.
        """));
}
