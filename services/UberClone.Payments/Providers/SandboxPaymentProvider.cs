using System.Security.Cryptography;
using System.Text;
using UberClone.Payments.Sandbox;
using UberClone.Storage;

namespace UberClone.Payments.Providers;

/// <summary>
/// The default provider: no keys, works offline. Its checkout is the page payments serves at /checkout/{id}; the id is
/// random (the link is the capability, like a Stripe Checkout URL). Pay / Decline on that page send a webhook signed as
/// Stripe signs them (see <see cref="Sandbox.SandboxCheckoutApi"/>), so the real webhook path does the work. Saved cards
/// and their charges are kept in <see cref="SandboxProviderStore"/>, where Stripe would keep them; what a card does is
/// what its test number does (<see cref="SandboxCards"/>).
/// </summary>
public sealed class SandboxPaymentProvider(SandboxProviderStore store, TimeProvider? clock = null) : IPaymentProvider
{
    private DateTimeOffset Now => (clock ?? TimeProvider.System).GetUtcNow();

    public const string ProviderName = "sandbox";
    public const string SetupPrefix = "cs_sandbox_setup_";

    public string Name => ProviderName;

    public Task<ProviderCheckout> CreateCheckoutAsync(CheckoutRequest request, CancellationToken ct)
    {
        var id = NewId("cs_sandbox_");
        return Task.FromResult(new ProviderCheckout(id, $"/checkout/{id}", null));
    }

    public Task ExpireCheckoutAsync(string providerSessionId, CancellationToken ct) => Task.CompletedTask;

    public Task<ProviderRefund> RefundAsync(RefundRequest request, CancellationToken ct) =>
        Task.FromResult(new ProviderRefund("re_sandbox_" + request.RefundId, "succeeded"));

    /// <summary>One customer per rider, derived from the rider's id (the sandbox keeps nothing else about customers).</summary>
    public Task<string> CustomerAsync(string riderId, CancellationToken ct) =>
        Task.FromResult("cus_sandbox_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(riderId)))[..24]);

    public Task<ProviderCheckout> CreateCardSetupAsync(CardSetupRequest request, CancellationToken ct)
    {
        var id = NewId(SetupPrefix);
        return Task.FromResult(new ProviderCheckout(id, $"/checkout/{id}", null));
    }

    public async Task<ProviderCard?> CardOfSetupAsync(string setupIntentId, CancellationToken ct) =>
        (await store.PaymentMethods.QueryAsync("setupIntentId", setupIntentId, 1, ct)).FirstOrDefault()?.Document is { } pm
            ? new ProviderCard(pm.Id, pm.Brand, pm.Last4, pm.ExpMonth, pm.ExpYear)
            : null;

    public async Task<ProviderCharge> ChargeCardAsync(CardChargeRequest request, CancellationToken ct)
    {
        var key = request.IdempotencyKey;
        if (await store.Charges.GetAsync(key, ct) is { } earlier) return Answer(earlier.Document);
        var card = (await store.PaymentMethods.GetAsync(request.PaymentMethodId, ct))?.Document;
        var decline = SandboxPaymentMethod.DeclineFor(card, request.CustomerId, request.AmountMinor);
        var charge = new SandboxCharge(key, NewId("pi_sandbox_"), decline is null, decline);
        try
        {
            await store.Charges.InsertAsync(key, charge, ct: ct);
            return Answer(charge);
        }
        catch (DuplicateDocumentException)
        {
            return Answer((await store.Charges.GetAsync(key, ct))!.Document);
        }
    }

    public async Task<ProviderCharge> HoldCardAsync(CardHoldRequest request, CancellationToken ct)
    {
        if (await store.Holds.GetAsync(request.IdempotencyKey, ct) is { } earlier) return Answer(earlier.Document);
        var card = (await store.PaymentMethods.GetAsync(request.PaymentMethodId, ct))?.Document;
        if (card is { SlowBank: true }) await Task.Delay(SandboxCards.SlowBankDelay, clock ?? TimeProvider.System, ct);
        var decline = SandboxPaymentMethod.DeclineFor(card, request.CustomerId, request.AmountMinor);
        var hold = new SandboxHold(request.IdempotencyKey, NewId("pi_sandbox_"), request.AmountMinor, request.Currency.ToUpperInvariant(),
            decline switch { null => "requires_capture", "authentication_required" => SandboxHold.NeedsAuthentication, _ => "failed" }, decline, 0, Now,
            request.PaymentMethodId);
        try
        {
            await store.Holds.InsertAsync(hold.Id, hold, ct: ct);
            return Answer(hold);
        }
        catch (DuplicateDocumentException)
        {
            return Answer((await store.Holds.GetAsync(request.IdempotencyKey, ct))!.Document);
        }
    }

    public const string AuthenticationPrefix = "auth_sandbox_";

    /// <summary>
    /// A hold its card's bank wants authenticated: <c>requires_action</c> until the rider answers on the sandbox's
    /// authentication page (<c>/checkout/auth_sandbox_…</c>, <see cref="SandboxAuthentication"/>), which then sends them to
    /// the return URL's path, as the rest of the sandbox's pages do.
    /// </summary>
    public async Task<ProviderAuthentication> AuthenticateHoldAsync(HoldAuthenticationRequest request, CancellationToken ct)
    {
        var found = await FindHoldAsync(request.PaymentIntentId, ct);
        var authenticationId = NewId(AuthenticationPrefix);
        var asked = await store.Holds.UpdateAsync(found.Id, h => h.Status == SandboxHold.NeedsAuthentication
            ? h with { Status = ProviderHoldState.AwaitingAuthentication, AuthenticationId = authenticationId, ReturnUrl = request.ReturnUrl }
            : h, ct: ct);
        return asked!.Status switch
        {
            ProviderHoldState.AwaitingAuthentication => new ProviderAuthentication($"/checkout/{asked.AuthenticationId}", null),
            ProviderHoldState.Held => new ProviderAuthentication(null, new ProviderCharge(asked.PaymentIntentId, true, null)),
            _ => new ProviderAuthentication(null, new ProviderCharge(asked.PaymentIntentId, false, asked.DeclineCode ?? "card_declined")),
        };
    }

    public async Task<ProviderHoldState> HoldStateAsync(string paymentIntentId, CancellationToken ct)
    {
        var hold = (await FindHoldAsync(paymentIntentId, ct)).Document;
        return new ProviderHoldState(hold.PaymentIntentId, hold.Status, hold.Status is ProviderHoldState.Held or ProviderHoldState.AwaitingAuthentication
            ? null
            : hold.Status == "canceled" ? "authentication_abandoned" : hold.DeclineCode ?? "card_declined");
    }

    private async Task<Versioned<SandboxHold>> FindHoldAsync(string paymentIntentId, CancellationToken ct) =>
        (await store.Holds.QueryAsync("paymentIntentId", paymentIntentId, 1, ct)).FirstOrDefault()
            ?? throw new PaymentProviderException($"No such payment intent: {paymentIntentId}", 404);

    public async Task<ProviderCharge> CaptureHoldAsync(HoldCaptureRequest request, CancellationToken ct)
    {
        var found = await FindHoldAsync(request.PaymentIntentId, ct);
        var now = Now;
        var captured = await store.Holds.UpdateAsync(found.Id, h => h.Status != "requires_capture" ? h
            : now - h.CreatedAt > SandboxHold.Lifetime ? h with { Status = "canceled" }
            : request.AmountMinor > h.AmountMinor ? throw new PaymentProviderException($"amount_to_capture {request.AmountMinor} is more than the {h.AmountMinor} held.", 400)
            : h with { Status = "succeeded", CapturedMinor = request.AmountMinor }, ct: ct);
        return captured!.Status == "succeeded"
            ? new ProviderCharge(captured.PaymentIntentId, true, null)
            : new ProviderCharge(captured.PaymentIntentId, false, captured.Status == "canceled" ? "hold_expired" : captured.DeclineCode ?? "card_declined");
    }

    public async Task ReleaseHoldAsync(string paymentIntentId, CancellationToken ct)
    {
        var found = await FindHoldAsync(paymentIntentId, ct);
        // Like Stripe, a hold still waiting for its authentication can be canceled too.
        await store.Holds.UpdateAsync(found.Id, h => h.Status is ProviderHoldState.Held or ProviderHoldState.AwaitingAuthentication or SandboxHold.NeedsAuthentication
            ? h with { Status = "canceled" }
            : h, ct: ct);
    }

    public async Task DetachCardAsync(string paymentMethodId, CancellationToken ct) =>
        await store.PaymentMethods.UpdateAsync(paymentMethodId, pm => pm.Detached ? pm : pm with { Detached = true }, ct: ct);

    public const string AccountLinkPrefix = "acct_link_sandbox_";

    /// <summary>One account per driver, derived from the driver's id; kept in the sandbox's store from the first onboarding.</summary>
    public async Task<string> PayoutAccountAsync(string driverId, CancellationToken ct)
    {
        var id = "acct_sandbox_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(driverId)))[..24];
        try
        {
            await store.Accounts.InsertAsync(id, new SandboxConnectedAccount(id, driverId, null, null, null, Now), ct: ct);
        }
        catch (DuplicateDocumentException)
        {
            // Made before: the same account.
        }
        return id;
    }

    public async Task<string> PayoutOnboardingUrlAsync(string accountId, string driverId, CancellationToken ct)
    {
        var link = new SandboxAccountLink(NewId(AccountLinkPrefix), accountId, driverId, Now + SandboxBankAccounts.LinkValidity);
        await store.AccountLinks.InsertAsync(link.Id, link, ct: ct);
        return $"/connect/{link.Id}";
    }

    /// <summary>The sandbox's onboarding page takes another bank account too (it replaces the one kept).</summary>
    public Task<string> PayoutBankAccountUrlAsync(string accountId, string driverId, CancellationToken ct) => PayoutOnboardingUrlAsync(accountId, driverId, ct);

    public async Task<ProviderPayoutAccount> PayoutAccountStateAsync(string accountId, CancellationToken ct) =>
        (await store.Accounts.GetAsync(accountId, ct))?.Document is { } account
            ? new ProviderPayoutAccount(account.Id, account.PayoutsEnabled, account.Destination)
            : throw new PaymentProviderException($"No such account: {accountId}", 404);

    public async Task<ProviderTransfer> TransferAsync(TransferRequest request, CancellationToken ct)
    {
        if (await store.Transfers.GetAsync(request.PayoutId, ct) is { } earlier) return Answer(earlier.Document);
        var account = (await store.Accounts.GetAsync(request.AccountId, ct))?.Document;
        var failure = account is not { PayoutsEnabled: true } ? "account_invalid" : account.PayoutFailure;
        var transfer = new SandboxTransfer(request.PayoutId, NewId("tr_sandbox_"), failure is null, failure, request.AmountMinor, request.Currency, request.AccountId);
        try
        {
            await store.Transfers.InsertAsync(request.PayoutId, transfer, ct: ct);
            // As Stripe does, the account pays what it received on to its bank: the sandbox's bank answers it (SandboxBank).
            if (transfer.Succeeded)
            {
                var payout = SandboxBankPayout.Of(transfer, Now);
                await store.BankPayouts.InsertAsync(payout.Id, payout, ct: ct);
            }
            return Answer(transfer);
        }
        catch (DuplicateDocumentException)
        {
            return Answer((await store.Transfers.GetAsync(request.PayoutId, ct))!.Document);
        }
    }

    private static ProviderTransfer Answer(SandboxTransfer transfer) => new(transfer.Succeeded, transfer.TransferId, transfer.FailureCode);

    private static ProviderCharge Answer(SandboxHold hold) => new(hold.PaymentIntentId, hold.DeclineCode is null, hold.DeclineCode);

    private static ProviderCharge Answer(SandboxCharge charge) => new(charge.PaymentIntentId, charge.Succeeded, charge.DeclineCode);

    public static string NewId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
