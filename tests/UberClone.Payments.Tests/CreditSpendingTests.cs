using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Payments.Domain;
using UberClone.Payments.Providers;
using UberClone.Payments.Sandbox;

namespace UberClone.Payments.Tests;

/// <summary>
/// Ride credit pays first (ADR 0051): a ride's fare (or cancellation fee) takes what the rider's credit in its currency
/// covers, and only the rest is charged — to the booking's hold, a saved card or a checkout; all of it covered, the ride
/// is paid with nothing asked of the bank and the hold is let go. Spent once per trip's charge, whatever the attempt.
/// </summary>
public sealed class CreditSpendingTests : IDisposable
{
    private readonly PaymentsHarness _h;
    private readonly RecordingCharges _provider;

    public CreditSpendingTests()
    {
        RecordingCharges? provider = null;
        _h = new PaymentsHarness(store => provider = new RecordingCharges(new SandboxPaymentProvider(store)));
        _provider = provider!;
    }

    public void Dispose() => _h.Dispose();

    /// <summary>The sandbox, remembering what each card charge asked for.</summary>
    private sealed class RecordingCharges(IPaymentProvider inner) : DelegatingPaymentProvider(inner)
    {
        public List<long> Charged { get; } = [];

        public override Task<ProviderCharge> ChargeCardAsync(CardChargeRequest request, CancellationToken ct)
        {
            Charged.Add(request.AmountMinor);
            return base.ChargeCardAsync(request, ct);
        }
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task GrantAsync(long amountMinor, string currency = "EUR", string id = "grant_1") =>
        _h.Credit.AddAsync("rider-1", id, PaymentCreditAddedIntegrationEvent.Grant, amountMinor, currency, "op-1", "Late driver", null, Ct);

    private async Task<long> BalanceAsync(string currency = "EUR") =>
        (await _h.Credit.Accounts.GetAsync(CreditAccount.IdFor("rider-1", currency), Ct))?.Document.BalanceMinor ?? 0;

    private async Task<List<(long Amount, long Credit, string? Label)>> SucceededAsync(string tripId) =>
        [.. (await _h.OutboxAsync()).Where(m => m.Topic == Topics.PaymentSucceeded && (string?)m.Data["tripId"] == tripId)
            .Select(m => ((long)m.Data["amountMinor"]!, (long)m.Data["creditPaidMinor"]!, (string?)m.Data["cardLabel"]))];

    [Fact]
    public void Credit_spends_up_to_its_balance_once_per_entry()
    {
        var now = DateTimeOffset.UnixEpoch;
        var account = CreditAccount.Open("rider-1", "eur", now).Add("g", PaymentCreditAddedIntegrationEvent.Grant, 500, "op", "why", null, now);

        var spent = account.Spend("spend:t1:fare", 1250, "t1", now, out var paid);
        var again = spent.Spend("spend:t1:fare", 1250, "t1", now, out var paidAgain);
        var nothingLeft = spent.Spend("spend:t2:fare", 900, "t2", now, out var paidNothing);

        Assert.Equal((500L, 0L), (paid, spent.BalanceMinor));
        Assert.Equal((-500L, CreditAccount.SpentKind, "t1"), (spent.Entries[^1].AmountMinor, spent.Entries[^1].Kind, spent.Entries[^1].TripId));
        Assert.Same(spent, again);
        Assert.Equal(500, paidAgain); // the same charge again: what it paid then, nothing more
        Assert.Same(spent, nothingLeft);
        Assert.Equal(0, paidNothing);
        Assert.Equal(200, account.Spend("spend:t3:fare", 300, "t3", now, out _).BalanceMinor); // less than the balance: the rest stays
    }

    [Fact]
    public async Task Credit_pays_part_of_the_fare_and_the_saved_card_the_rest_once_whatever_the_attempt()
    {
        await _h.SaveCardAsync();
        await GrantAsync(500);

        var session = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("t1", amount: 1250), Ct))!;

        Assert.Equal((PaymentStatus.Succeeded, PaymentMethods.Card, 750L, 500L), (session.Status, session.Method, session.AmountMinor, session.CreditPaidMinor));
        Assert.Equal([750L], _provider.Charged);
        Assert.Equal([(750L, 500L, "Visa •••• 4242")], await SucceededAsync("t1"));
        Assert.Equal(0, await BalanceAsync());

        // A redelivered command (or a second attempt) spends nothing more: the credit went to this charge.
        await GrantAsync(300, id: "grant_2");
        await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("t1", amount: 1250), Ct);
        Assert.Equal(300, await BalanceAsync());
        Assert.Single(await SucceededAsync("t1"));
        Assert.Equal([750L], _provider.Charged);
    }

    [Fact]
    public async Task Credit_that_covers_the_whole_fare_pays_it_without_the_bank_and_lets_the_hold_go()
    {
        await _h.SaveCardAsync();
        await GrantAsync(2_000);
        var hold = (await _h.Holds.PlaceAsync("t1", "rider-1", 1840, "EUR", Ct))!;

        var session = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("t1", amount: 1620), Ct))!;

        Assert.Equal((PaymentStatus.Succeeded, PaymentMethods.Credit, 0L, 1620L, PaymentCollection.RideCredit),
            (session.Status, session.Method, session.AmountMinor, session.CreditPaidMinor, session.CardLabel));
        Assert.Equal([(0L, 1620L, PaymentCollection.RideCredit)], await SucceededAsync("t1"));
        Assert.Equal(380, await BalanceAsync());
        Assert.Equal(FareHoldStatus.Released, (await _h.Holds.GetAsync("t1", Ct))!.Status);
        Assert.Equal("canceled", (await _h.SandboxStore.Holds.QueryAsync("paymentIntentId", hold.PaymentIntentId!, 1, Ct)).Single().Document.Status);
        Assert.Empty(_provider.Charged);
    }

    [Fact]
    public async Task Credit_in_another_currency_a_tip_a_cash_ride_and_a_business_ride_leave_the_credit_alone()
    {
        await GrantAsync(2_000, currency: "USD");

        var checkout = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("t1", amount: 1250, currency: "EUR"), Ct))!;
        var tip = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("t2", currency: "USD") with { Purpose = PaymentPurposes.Tip, AmountMinor = 300 }, Ct))!;
        var cash = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("t3", currency: "USD") with { Method = PaymentCollection.Cash }, Ct))!;
        var business = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("t4", currency: "USD") with { SpendCredit = false }, Ct))!;

        Assert.Equal((PaymentStatus.Open, 1250L, 0L), (checkout.Status, checkout.AmountMinor, checkout.CreditPaidMinor)); // no card: a checkout for all of it
        Assert.Equal((300L, 0L), (tip.AmountMinor, tip.CreditPaidMinor));
        Assert.Equal((PaymentMethods.Cash, 0L), (cash.Method, cash.CreditPaidMinor));
        Assert.Equal((1250L, 0L), (business.AmountMinor, business.CreditPaidMinor)); // a business ride: the employer's, not the rider's credit
        Assert.Equal(2_000, await BalanceAsync("USD"));
    }
}
