using UberClone.Storage;

namespace UberClone.Gateway.Accounts;

/// <summary>The gateway's collections in its own database (accountsdb).</summary>
public sealed class AccountStore(IDocumentDatabase database)
{
    /// <summary>Accounts, by role too (drivers' weekly statements go through every driver, the desk lists the support accounts), and by when a deletion asked for takes effect.</summary>
    public IDocumentStore<Account> Accounts { get; } = database.Collection<Account>("accounts", "role", Account.EraseAtField, Account.ReviewSinceField, Account.PermitUntilField, Account.PermitReminderField);
    public IDocumentStore<EmailClaim> Emails { get; } = database.Collection<EmailClaim>("account_emails");
    public IDocumentStore<RefreshToken> RefreshTokens { get; } = database.Collection<RefreshToken>("refresh_tokens", "familyId", "userId", RefreshToken.ExpiresAtField);

    /// <summary>Sign-ins (id = the refresh token family's id), by user, and by expiry for the retention (ADR 0048).</summary>
    public IDocumentStore<Session> Sessions { get; } = database.Collection<Session>("sessions", "userId", Session.ExpiresAtField);

    /// <summary>The support desk's audit trail: what each operator changed, for which account or trip.</summary>
    public IDocumentStore<Operations.SupportAction> SupportActions { get; } = database.Collection<Operations.SupportAction>(
        "support_actions", "operatorId", "userId", "tripId", "riderId", "driverId", Operations.SupportAction.AtMsField);

    /// <summary>Password resets under way (id = user id): the mailed code's hash, its expiry and wrong guesses.</summary>
    public IDocumentStore<MailedCode> PasswordResets { get; } = database.Collection<MailedCode>("password_resets", MailedCode.ExpiresAtField);

    /// <summary>Moves to a new email under way (id = user id): the code mailed to the new address, which it names.</summary>
    public IDocumentStore<MailedCode> EmailChanges { get; } = database.Collection<MailedCode>("email_changes", MailedCode.ExpiresAtField);

    /// <summary>Codes mailed to confirm an account's email (id = user id).</summary>
    public IDocumentStore<MailedCode> EmailVerifications { get; } = database.Collection<MailedCode>("email_verifications", MailedCode.ExpiresAtField);

    /// <summary>Work emails being confirmed (id = user id): the code mailed to the work address, which it names (ADR 0034).</summary>
    public IDocumentStore<MailedCode> WorkEmailCodes { get; } = database.Collection<MailedCode>("work_email_codes", MailedCode.ExpiresAtField);

    /// <summary>Sign-ins waiting for the authenticator app's code (id = the challenge's hash; ADR 0052), by expiry for the retention.</summary>
    public IDocumentStore<TwoStep.SignInChallenge> SignInChallenges { get; } = database.Collection<TwoStep.SignInChallenge>("sign_in_challenges", TwoStep.SignInChallenge.ExpiresAtField);

    /// <summary>Each user's saved places (id = user id).</summary>
    public IDocumentStore<Places.SavedPlaces> Places { get; } = database.Collection<Places.SavedPlaces>("saved_places");
}
