using System.Text.Json;
using UberClone.Storage;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Contracts.Common;
using UberClone.Contracts.Identity;
using HoldFareRequest = UberClone.Contracts.Payments.HoldFareRequest;
using RaiseFareHoldRequest = UberClone.Contracts.Payments.RaiseFareHoldRequest;
using UberClone.Drivers.Tests;
using UberClone.Payments.Domain;
using UberClone.Payments.Grpc;
using UberClone.Payments.IntegrationEvents.EventHandling;
using UberClone.Payments.Providers;
using UberClone.Payments.Sandbox;

namespace UberClone.Payments.Tests;

/// <summary>
/// The upfront price held on the rider's card at booking (ADR 0027), in the sandbox through the real stores: held or
/// declined, captured by the ride's charge, released when the trip ends without one, and every answer the provider does
/// not give resumed with the same key.
/// </summary>
public sealed class FareHoldTests : IDisposable
{
    private readonly PaymentsHarness _h;
    private readonly FlakyHolds _provider;

    public FareHoldTests()
    {
        FlakyHolds? provider = null;
        _h = new PaymentsHarness(store => provider = new FlakyHolds(new SandboxPaymentProvider(store, null)));
        _provider = provider!;
    }

    public void Dispose() => _h.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Fails hold calls on demand, like a provider that does not answer.</summary>
    private sealed class FlakyHolds(IPaymentProvider inner) : DelegatingPaymentProvider(inner)
    {
        public bool HoldsDown { get; set; }
        public bool CapturesDown { get; set; }
        public int Captures { get; private set; }
        /// <summary>The bank says no to a raise (a new hold for more than the card can pay now).</summary>
        public bool RaisesDeclined { get; set; }
        /// <summary>A raise answered but its answer lost on the way back.</summary>
        public bool RaiseAnswerLost { get; set; }
        /// <summary>Set: the bank answers holds only once it completes (a slow bank), and only if still asked.</summary>
        public TaskCompletionSource? BankAnswers { get; set; }

        public override async Task<ProviderCharge> HoldCardAsync(CardHoldRequest request, CancellationToken ct)
        {
            if (HoldsDown) throw new PaymentProviderException("timeout", 503);
            if (BankAnswers is { } answers) await answers.Task.WaitAsync(ct);
            if (RaisesDeclined && request.IdempotencyKey.Contains("-raise-", StringComparison.Ordinal)) return new ProviderCharge("", false, "insufficient_funds");
            var answer = await base.HoldCardAsync(request, ct);
            if (RaiseAnswerLost && request.IdempotencyKey.Contains("-raise-", StringComparison.Ordinal)) throw new PaymentProviderException("timeout", 503);
            return answer;
        }

        public override Task<ProviderCharge> CaptureHoldAsync(HoldCaptureRequest request, CancellationToken ct)
        {
            Captures++;
            return CapturesDown ? throw new PaymentProviderException("timeout", 503) : base.CaptureHoldAsync(request, ct);
        }
    }

    private async Task<Wallet> SaveCardAsync(string number, string rider = "rider-1")
    {
        var setup = await _h.Cards.StartSetupAsync(rider, Ct);
        var saved = await _h.CardSetup.SaveAsync(setup.ProviderSessionId, new SandboxCardForm(number, 12, 30, "123"), Ct);
        Assert.True(saved.Outcome == SandboxOutcome.Done, saved.Detail);
        return (await _h.Cards.WalletAsync(rider, Ct))!;
    }

    private async Task<SandboxHold> SandboxHoldAsync(FareHold hold) =>
        (await _h.SandboxStore.Holds.QueryAsync("paymentIntentId", hold.PaymentIntentId!, 1, Ct)).Single().Document;

    private async Task<int> PublishedAsync(string topic, string tripId) =>
        (await _h.OutboxAsync()).Count(m => m.Topic == topic && (string?)m.Data["tripId"] == tripId);

    [Fact]
    public async Task The_upfront_price_is_held_once_and_the_rides_charge_takes_the_fare_from_it()
    {
        await SaveCardAsync("4242 4242 4242 4242");

        var hold = (await _h.Holds.PlaceAsync("t1", "rider-1", 1840, "eur", Ct))!;

        Assert.Equal((FareHoldStatus.Held, "Visa •••• 4242", 1840L, "EUR"), (hold.Status, hold.CardLabel, hold.AmountMinor, hold.Currency));
        Assert.Equal(("requires_capture", 1840L), ((await SandboxHoldAsync(hold)).Status, (await SandboxHoldAsync(hold)).AmountMinor));
        // Booking the same quote again (a retried request) answers the same hold: one at the bank.
        Assert.Equal(hold.PaymentIntentId, (await _h.Holds.PlaceAsync("t1", "rider-1", 1840, "EUR", Ct))!.PaymentIntentId);
        Assert.Single(await _h.SandboxStore.Holds.QueryAsync("paymentIntentId", hold.PaymentIntentId!, 10, Ct));
        // Nobody else can use or see the trip's hold through a booking.
        await Assert.ThrowsAsync<UberClone.Payments.Holds.HoldNotYoursException>(() => _h.Holds.PlaceAsync("t1", "rider-2", 1840, "EUR", Ct));

        // The ride cost less than the upfront price (a shorter route): that is what is taken; the bank lets the rest go.
        var session = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("t1", amount: 1620), Ct))!;

        Assert.Equal((PaymentStatus.Succeeded, true, hold.PaymentIntentId, "Visa •••• 4242"), (session.Status, session.FromHold, session.PaymentIntentId, session.CardLabel));
        var atBank = await SandboxHoldAsync(hold);
        Assert.Equal(("succeeded", 1620L), (atBank.Status, atBank.CapturedMinor));
        Assert.Equal((FareHoldStatus.Captured, 1620L), ((await _h.Holds.GetAsync("t1", Ct))!.Status, (await _h.Holds.GetAsync("t1", Ct))!.CapturedMinor));
        Assert.Equal(1, await PublishedAsync(Topics.PaymentSucceeded, "t1"));
        Assert.Null(await _h.SandboxStore.Charges.GetAsync("charge-t1-1", Ct)); // no second charge of the card

        // A redelivered command takes nothing more, and a refund goes back through the hold's payment.
        await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("t1", amount: 1620), Ct);
        Assert.Equal(1, await PublishedAsync(Topics.PaymentSucceeded, "t1"));
        var refunded = await _h.Payments.RefundAsync("t1", "r1", 500, "goodwill", RefundKinds.Goodwill, "support", Ct);
        Assert.Equal(500, refunded.RefundedMinor);
    }

    [Fact]
    public async Task A_new_destination_that_costs_more_raises_the_hold_on_the_same_card_the_old_one_is_let_go_and_the_charge_takes_the_new_fare()
    {
        await SaveCardAsync("4242 4242 4242 4242");
        var first = (await _h.Holds.PlaceAsync("t1", "rider-1", 1500, "EUR", Ct))!;
        Assert.Equal(FareHoldStatus.Held, first.Status);
        Assert.Equal(first, await _h.Holds.RaiseAsync("t1", "rider-1", 1400, "EUR", Ct)); // costs less: nothing to raise
        await Assert.ThrowsAsync<UberClone.Payments.Holds.HoldNotYoursException>(() => _h.Holds.RaiseAsync("t1", "rider-2", 2200, "EUR", Ct));
        Assert.Null(await _h.Holds.RaiseAsync("t9", "rider-1", 2200, "EUR", Ct)); // no hold for that trip: nothing raised

        var raised = (await _h.Holds.RaiseAsync("t1", "rider-1", 2200, "EUR", Ct))!;

        // One hold for the new price on the same card (its own key), the old one let go at the bank.
        Assert.Equal((FareHoldStatus.Held, 2200L, 1, "Visa •••• 4242"), (raised.Status, raised.AmountMinor, raised.Raises, raised.CardLabel));
        Assert.NotEqual(first.PaymentIntentId, raised.PaymentIntentId);
        Assert.Equal((null, null, null), (raised.RaisingToMinor, raised.SupersededPaymentIntentId, raised.RaiseDeclineCode));
        Assert.Equal("canceled", (await SandboxHoldAsync(first)).Status);
        Assert.Equal(("requires_capture", 2200L), ((await SandboxHoldAsync(raised)).Status, (await SandboxHoldAsync(raised)).AmountMinor));
        Assert.NotNull(await _h.SandboxStore.Holds.GetAsync($"{FareHold.IdempotencyKey("t1", 1)}-raise-1", Ct));
        // Asked again for the same price (a retried request): nothing more at the bank.
        Assert.Equal(raised.PaymentIntentId, (await _h.Holds.RaiseAsync("t1", "rider-1", 2200, "EUR", Ct))!.PaymentIntentId);

        // The ride's charge (the new fare) is taken from the raised hold.
        var session = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("t1", amount: 2150), Ct))!;
        Assert.Equal((PaymentStatus.Succeeded, true, raised.PaymentIntentId), (session.Status, session.FromHold, session.PaymentIntentId));
        Assert.Equal(("succeeded", 2150L), ((await SandboxHoldAsync(raised)).Status, (await SandboxHoldAsync(raised)).CapturedMinor));
        // A raise after the ride ended changes nothing.
        Assert.Equal(FareHoldStatus.Captured, (await _h.Holds.RaiseAsync("t1", "rider-1", 3000, "EUR", Ct))!.Status);
    }

    [Fact]
    public async Task A_raise_the_bank_declines_keeps_the_old_hold_and_one_without_an_answer_is_finished_by_the_sweeper_or_let_go_if_the_ride_ended()
    {
        await SaveCardAsync("4242 4242 4242 4242");
        var first = (await _h.Holds.PlaceAsync("t1", "rider-1", 1500, "EUR", Ct))!;

        _provider.RaisesDeclined = true;
        var declined = (await _h.Holds.RaiseAsync("t1", "rider-1", 2200, "EUR", Ct))!;
        Assert.Equal((FareHoldStatus.Held, 1500L, first.PaymentIntentId, "insufficient_funds"), (declined.Status, declined.AmountMinor, declined.PaymentIntentId, declined.RaiseDeclineCode));
        Assert.Equal("requires_capture", (await SandboxHoldAsync(first)).Status); // the old hold still stands
        Assert.Equal(first.CreatedAt.AddHours(24).ToUnixTimeMilliseconds(), declined.DueAtMs);

        // The bank says yes to the next one, but its answer is lost: the raise stays in flight, the old hold stands, and
        // the sweeper asks again a minute later with the same key — the new hold replaces the old one then.
        _provider.RaisesDeclined = false;
        _provider.RaiseAnswerLost = true;
        await Assert.ThrowsAsync<PaymentProviderException>(() => _h.Holds.RaiseAsync("t1", "rider-1", 2400, "EUR", Ct));
        var inFlight = (await _h.Holds.GetAsync("t1", Ct))!;
        Assert.Equal((2400L, 1500L, first.PaymentIntentId, 2), (inFlight.RaisingToMinor, inFlight.AmountMinor, inFlight.PaymentIntentId, inFlight.Raises));
        _provider.RaiseAnswerLost = false;
        _h.Clock.Now += FareHold.AskAgainAfter;
        Assert.Equal(1, await _h.Holds.SweepAsync(10, Ct));
        var swept = (await _h.Holds.GetAsync("t1", Ct))!;
        Assert.Equal((FareHoldStatus.Held, 2400L, (long?)null, (string?)null), (swept.Status, swept.AmountMinor, swept.RaisingToMinor, swept.SupersededPaymentIntentId));
        Assert.Equal("canceled", (await SandboxHoldAsync(first)).Status);
        Assert.Single(await _h.SandboxStore.Holds.QueryAsync("paymentIntentId", swept.PaymentIntentId!, 10, Ct)); // asked twice, held once

        // A raise whose answer comes after the ride was charged from the hold: the new hold is the one let go.
        _provider.RaiseAnswerLost = true;
        await Assert.ThrowsAsync<PaymentProviderException>(() => _h.Holds.RaiseAsync("t1", "rider-1", 2600, "EUR", Ct));
        _provider.RaiseAnswerLost = false;
        var session = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("t1", amount: 2300), Ct))!;
        Assert.Equal((PaymentStatus.Succeeded, true, swept.PaymentIntentId), (session.Status, session.FromHold, session.PaymentIntentId));
        _h.Clock.Now += FareHold.AskAgainAfter;
        await _h.Holds.SweepAsync(10, Ct);
        var after = (await _h.Holds.GetAsync("t1", Ct))!;
        Assert.Equal((FareHoldStatus.Captured, 2300L, (long?)null, (string?)null, (long?)null), (after.Status, after.CapturedMinor, after.RaisingToMinor, after.SupersededPaymentIntentId, after.DueAtMs));
        var late = (await _h.SandboxStore.Holds.GetAsync($"{FareHold.IdempotencyKey("t1", 1)}-raise-3", Ct))!.Document;
        Assert.Equal("canceled", late.Status);
    }

    [Fact]
    public async Task A_ride_moved_to_another_card_is_held_on_it_the_old_hold_is_let_go_and_a_card_that_declines_leaves_the_hold_where_it_was()
    {
        var visa = (await SaveCardAsync("4242 4242 4242 4242")).Cards.Single(c => c.Last4 == "4242").Id;
        var mastercard = (await SaveCardAsync("5555 5555 5555 4444")).Cards.Single(c => c.Last4 == "4444").Id;
        var declining = (await SaveCardAsync("4000 0000 0000 0341")).Cards.Single(c => c.Last4 == "0341").Id;
        var first = (await _h.Holds.PlaceAsync("t1", "rider-1", 1500, "EUR", Ct, visa))!;

        // The bank declines the new card: the ride's hold stays on the Visa, as it was, with nothing said about the price.
        var refused = await _h.Holds.MoveAsync("t1", "rider-1", declining, 1500, "EUR", Ct);
        Assert.Equal(("card_declined", "Visa •••• 0341"), (refused.DeclineCode, refused.CardLabel));
        Assert.Equal((FareHoldStatus.Held, visa, first.PaymentIntentId, 1500L, (string?)null),
            (refused.Hold!.Status, refused.Hold.CardId, refused.Hold.PaymentIntentId, refused.Hold.AmountMinor, refused.Hold.RaiseDeclineCode));
        Assert.Equal("requires_capture", (await SandboxHoldAsync(first)).Status);

        // Moved: what is held (or the price now, if more) is held on the Mastercard, and the Visa's hold is let go.
        var moved = await _h.Holds.MoveAsync("t1", "rider-1", mastercard, 1800, "EUR", Ct);
        Assert.Null(moved.DeclineCode);
        Assert.Equal((FareHoldStatus.Held, mastercard, "Mastercard •••• 4444", 1800L), (moved.Hold!.Status, moved.Hold.CardId, moved.Hold.CardLabel, moved.Hold.AmountMinor));
        Assert.Equal((2, 2, 1), (moved.Hold.Raises, moved.Hold.MovesAsked, moved.Hold.Moves)); // two asked (one declined), one made
        Assert.Equal("canceled", (await SandboxHoldAsync(first)).Status);
        Assert.Equal(("requires_capture", 1800L), ((await SandboxHoldAsync(moved.Hold)).Status, (await SandboxHoldAsync(moved.Hold)).AmountMinor));
        var told = (await HoldChangesAsync("t1")).Last();
        Assert.Equal((mastercard, "Mastercard •••• 4444", 1800L), (told.CardId, told.CardLabel, told.AmountMinor));
        // The same card again changes nothing; nobody else moves the rider's ride.
        Assert.Equal(moved.Hold.PaymentIntentId, (await _h.Holds.MoveAsync("t1", "rider-1", mastercard, 1800, "EUR", Ct)).Hold!.PaymentIntentId);
        await Assert.ThrowsAsync<UberClone.Payments.Holds.HoldNotYoursException>(() => _h.Holds.MoveAsync("t1", "rider-2", mastercard, 1800, "EUR", Ct));
        await Assert.ThrowsAsync<WalletException>(() => _h.Holds.MoveAsync("t1", "rider-1", "card_not_saved", 1800, "EUR", Ct));

        // The ride's charge takes the fare from the new card's hold.
        var session = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("t1", amount: 1700), Ct))!;
        Assert.Equal((PaymentStatus.Succeeded, true, "Mastercard •••• 4444"), (session.Status, session.FromHold, session.CardLabel));
        Assert.Equal(("succeeded", 1700L), ((await SandboxHoldAsync(moved.Hold)).Status, (await SandboxHoldAsync(moved.Hold)).CapturedMinor));
        await Assert.ThrowsAsync<UberClone.Payments.Holds.HoldBusyException>(() => _h.Holds.MoveAsync("t1", "rider-1", visa, 1700, "EUR", Ct));
    }

    [Fact]
    public async Task A_ride_booked_without_a_hold_is_held_on_the_card_it_moves_to_and_a_hold_the_bank_is_still_answering_cannot_move()
    {
        // Booked with a card that declined (its hold declined) and no other card: the rider saves one during the ride.
        var declining = (await SaveCardAsync("4000 0000 0000 0341")).Cards.Single().Id;
        Assert.Equal(FareHoldStatus.Declined, (await _h.Holds.PlaceAsync("t1", "rider-1", 1500, "EUR", Ct, declining))!.Status);
        var visa = (await SaveCardAsync("4242 4242 4242 4242")).Cards.Single(c => c.Last4 == "4242").Id;

        var moved = await _h.Holds.MoveAsync("t1", "rider-1", visa, 1500, "EUR", Ct);

        Assert.Null(moved.DeclineCode);
        Assert.Equal((FareHoldStatus.Held, visa, 1500L), (moved.Hold!.Status, moved.Hold.CardId, moved.Hold.AmountMinor));

        // A slow bank still answering the booking's hold of another trip: that hold cannot move until it answers.
        _provider.BankAnswers = new TaskCompletionSource();
        var placing = _h.Holds.PlaceAsync("t2", "rider-1", 900, "EUR", Ct, visa);
        await Assert.ThrowsAsync<UberClone.Payments.Holds.HoldBusyException>(() => _h.Holds.MoveAsync("t2", "rider-1", declining, 900, "EUR", Ct));
        _provider.BankAnswers.SetResult();
        Assert.Equal(FareHoldStatus.Held, (await placing)!.Status);
    }

    private async Task<List<PaymentHoldChangedIntegrationEvent>> HoldChangesAsync(string tripId) =>
        (await _h.OutboxAsync()).Where(m => m.Topic == Topics.PaymentHoldChanged && (string?)m.Data["tripId"] == tripId)
            .Select(m => m.Data.Deserialize<PaymentHoldChangedIntegrationEvent>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!).ToList();

    [Fact]
    public async Task A_hold_trips_asked_for_is_placed_and_answered_even_when_the_call_is_cancelled_before_payments_wrote_anything()
    {
        await SaveCardAsync("4242 4242 4242 4242");
        var grpc = new PaymentGrpcService(_h.Payments, _h.Cards, _h.Holds, _h.Credit, _h.Clock);
        var asRider = new Caller("rider-1", Roles.Rider).ToMetadata();
        using var gaveUp = new CancellationTokenSource();
        await gaveUp.CancelAsync(); // trips' deadline fell while the call was still on its way in (a loaded machine)

        var answer = await grpc.HoldFare(new HoldFareRequest { TripId = "t1", Amount = new Money { AmountMinor = 1500, Currency = "EUR" } },
            new TestCallContext(asRider, gaveUp.Token));

        Assert.Equal(("held", "Visa •••• 4242", 1500L), (answer.Status, answer.CardLabel, answer.Amount.AmountMinor));
        Assert.Equal(FareHoldStatus.Held, (await _h.Holds.GetAsync("t1", Ct))!.Status);
        Assert.Equal("held", Assert.Single(await HoldChangesAsync("t1")).Status); // and trips is told, whoever stopped listening

        // A raise asked for by a call already given up is made and told too (a new destination that costs more).
        _provider.BankAnswers = new TaskCompletionSource();
        using var raiseGaveUp = new CancellationTokenSource();
        var raising = grpc.RaiseFareHold(new RaiseFareHoldRequest { TripId = "t1", Amount = new Money { AmountMinor = 2200, Currency = "EUR" } },
            new TestCallContext(asRider, raiseGaveUp.Token));
        await raiseGaveUp.CancelAsync();
        _provider.BankAnswers.SetResult();

        Assert.Equal(2200, (await raising).Amount.AmountMinor);
        Assert.Equal((FareHoldStatus.Held, 2200L), ((await _h.Holds.GetAsync("t1", Ct))!.Status, (await _h.Holds.GetAsync("t1", Ct))!.AmountMinor));
    }

    [Fact]
    public async Task A_bank_answering_after_the_booking_stopped_waiting_is_still_recorded_and_every_change_of_the_hold_is_told_to_trips()
    {
        await SaveCardAsync("4242 4242 4242 4242");
        _provider.BankAnswers = new TaskCompletionSource();
        using var booking = new CancellationTokenSource();

        var placing = _h.Holds.PlaceAsync("t1", "rider-1", 1500, "EUR", booking.Token);
        await booking.CancelAsync(); // trips gave up waiting (its 3 seconds): the bank is still asked, and its answer kept
        _provider.BankAnswers.SetResult();
        var held = (await placing)!;

        Assert.Equal((FareHoldStatus.Held, 1500L), (held.Status, held.AmountMinor));
        var told = Assert.Single(await HoldChangesAsync("t1"));
        Assert.Equal(("held", "rider-1", "Visa •••• 4242", 1500L, "EUR", held.UpdatedAt.ToUnixTimeMilliseconds()),
            (told.Status, told.RiderId, told.CardLabel, told.AmountMinor, told.Currency, told.Version));

        // A raise answered late, and its decline, are told the same way, each newer than the last.
        _provider.BankAnswers = null;
        _provider.RaisesDeclined = true;
        await _h.Holds.RaiseAsync("t1", "rider-1", 2200, "EUR", Ct);
        _h.Clock.Now += TimeSpan.FromSeconds(1);
        _provider.RaisesDeclined = false;
        await _h.Holds.RaiseAsync("t1", "rider-1", 2300, "EUR", Ct);
        var changes = await HoldChangesAsync("t1");
        Assert.Contains(changes, c => c is { Status: "held", AmountMinor: 1500, RaiseDeclineCode: "insufficient_funds" });
        Assert.Equal(("held", 2300L, (string?)null), (changes[^1].Status, changes[^1].AmountMinor, changes[^1].RaiseDeclineCode));
        Assert.Equal(changes.Select(c => c.Version).Order(), changes.Select(c => c.Version));

        // Let go when the trip ends: told too (trips no longer shows a hold on a trip that has not ended).
        await _h.Holds.ReleaseAsync("t1", "cancelled", Ct);
        Assert.Equal("released", (await HoldChangesAsync("t1"))[^1].Status);
    }

    [Fact]
    public async Task A_card_with_too_little_money_left_declines_holds_raises_and_charges_above_it_for_insufficient_funds()
    {
        var wallet = await SaveCardAsync("4000 0000 0000 2503"); // the sandbox's card with $25.00 available

        Assert.Equal(FareHoldStatus.Held, (await _h.Holds.PlaceAsync("t1", "rider-1", 2000, "USD", Ct))!.Status);
        var raised = (await _h.Holds.RaiseAsync("t1", "rider-1", 2600, "USD", Ct))!;
        Assert.Equal((FareHoldStatus.Held, 2000L, "insufficient_funds"), (raised.Status, raised.AmountMinor, raised.RaiseDeclineCode));
        var declined = (await _h.Holds.PlaceAsync("t2", "rider-1", 2501, "USD", Ct))!;
        Assert.Equal((FareHoldStatus.Declined, "insufficient_funds"), (declined.Status, declined.DeclineCode));

        var charged = await _h.Provider.ChargeCardAsync(new CardChargeRequest("s1", "t3", "rider-1", 2500, "USD", 1, "fare", wallet.CustomerId,
            wallet.Cards.Single().ProviderPaymentMethodId), Ct);
        var refused = await _h.Provider.ChargeCardAsync(new CardChargeRequest("s2", "t4", "rider-1", 2501, "USD", 1, "fare", wallet.CustomerId,
            wallet.Cards.Single().ProviderPaymentMethodId), Ct);
        Assert.Equal((true, false, "insufficient_funds"), (charged.Succeeded, refused.Succeeded, refused.DeclineCode));
    }

    [Fact]
    public async Task A_card_the_bank_declines_gives_no_hold_and_the_next_booking_tries_the_riders_new_default_card()
    {
        Assert.Null(await _h.Holds.PlaceAsync("t0", "rider-1", 1500, "EUR", Ct)); // no card saved: nothing to hold
        await SaveCardAsync("4000 0000 0000 9995");

        var declined = (await _h.Holds.PlaceAsync("t1", "rider-1", 1500, "EUR", Ct))!;

        Assert.Equal((FareHoldStatus.Declined, "insufficient_funds", "Visa •••• 9995"), (declined.Status, declined.DeclineCode, declined.CardLabel));
        Assert.Null(declined.DueAtMs); // nothing held: the sweeper has nothing to do
        // The rider adds a card (it becomes the default) and books the same quote again: a new attempt, with its own key.
        await SaveCardAsync("5555 5555 5555 4444");
        var held = (await _h.Holds.PlaceAsync("t1", "rider-1", 1500, "EUR", Ct))!;
        Assert.Equal((FareHoldStatus.Held, 2, "Mastercard •••• 4444"), (held.Status, held.Attempt, held.CardLabel));
        Assert.NotNull(await _h.SandboxStore.Holds.GetAsync(FareHold.IdempotencyKey("t1", 2), Ct));
        // Nothing to pay, nothing held.
        Assert.Null(await _h.Holds.PlaceAsync("t2", "rider-1", 0, "EUR", Ct));
    }

    [Fact]
    public async Task The_card_the_rider_chose_for_the_ride_is_held_and_charged_and_one_not_theirs_or_expired_is_refused_saying_why()
    {
        var visa = (await SaveCardAsync("4242 4242 4242 4242")).Cards.Single();
        await SaveCardAsync("5555 5555 5555 4444"); // the default now
        await SaveCardAsync("4242 4242 4242 4242", rider: "rider-2");
        var theirs = (await _h.Cards.WalletAsync("rider-2", Ct))!.Cards.Single();

        var hold = (await _h.Holds.PlaceAsync("t1", "rider-1", 1500, "EUR", Ct, cardId: visa.Id))!;
        Assert.Equal((FareHoldStatus.Held, "Visa •••• 4242", visa.Id), (hold.Status, hold.CardLabel, hold.CardId));

        var notTheirs = await Assert.ThrowsAsync<WalletException>(() => _h.Holds.PlaceAsync("t2", "rider-1", 1500, "EUR", Ct, cardId: theirs.Id));
        Assert.Contains("not one of your saved cards", notTheirs.Message);
        Assert.Null(await _h.Holds.GetAsync("t2", Ct)); // nothing written, nothing asked of the bank
        await _h.Cards.Wallets.UpdateAsync("rider-1", w => w with { Cards = [.. w.Cards.Select(c => c.Id == visa.Id ? c with { ExpYear = 2025 } : c)] }, ct: Ct);
        var expired = await Assert.ThrowsAsync<WalletException>(() => _h.Holds.PlaceAsync("t3", "rider-1", 1500, "EUR", Ct, cardId: visa.Id));
        Assert.Equal("Visa •••• 4242 has expired; choose another card.", expired.Message);

        // Without a hold (the fare grew past it, or the hold never came), the ride's charge goes to the chosen card while
        // it can be used, else to the default.
        await _h.Cards.Wallets.UpdateAsync("rider-1", w => w with { Cards = [.. w.Cards.Select(c => c.Id == visa.Id ? c with { ExpYear = 2030 } : c)] }, ct: Ct);
        var chosen = (await _h.Payments.CreateSessionAsync(new PaymentCreateSessionCommand("t4", "rider-1", 900, "EUR", 1, PaymentPurposes.Fare, visa.Id), Ct))!;
        Assert.Equal("Visa •••• 4242", chosen.CardLabel);
        await _h.Cards.RemoveAsync("rider-1", visa.Id, Ct);
        var fallback = (await _h.Payments.CreateSessionAsync(new PaymentCreateSessionCommand("t5", "rider-1", 900, "EUR", 1, PaymentPurposes.Fare, visa.Id), Ct))!;
        Assert.Equal("Mastercard •••• 4444", fallback.CardLabel);

        // The chosen card declines at the end: the rider's retry goes to their default card, not to the declined one again.
        var poor = (await SaveCardAsync("4000 0000 0000 9995")).Cards.Single(c => c.Last4 == "9995");
        await _h.Cards.MakeDefaultAsync("rider-1", (await _h.Cards.WalletAsync("rider-1", Ct))!.Cards.Single(c => c.Last4 == "4444").Id, Ct);
        var declined = (await _h.Payments.CreateSessionAsync(new PaymentCreateSessionCommand("t6", "rider-1", 900, "EUR", 1, PaymentPurposes.Fare, poor.Id), Ct))!;
        Assert.Equal((PaymentStatus.Failed, "Visa •••• 9995"), (declined.Status, declined.CardLabel));
        var retried = (await _h.Payments.CreateSessionAsync(new PaymentCreateSessionCommand("t6", "rider-1", 900, "EUR", 2, PaymentPurposes.Fare, poor.Id), Ct))!;
        Assert.Equal((PaymentStatus.Succeeded, "Mastercard •••• 4444"), (retried.Status, retried.CardLabel));
    }

    [Fact]
    public async Task A_charge_above_the_hold_releases_it_and_charges_the_card_and_a_tip_or_a_return_fee_never_touches_it()
    {
        await SaveCardAsync("4242 4242 4242 4242");
        var hold = (await _h.Holds.PlaceAsync("t1", "rider-1", 1500, "EUR", Ct))!;

        // A waiting fee and a stop made the ride cost more than was held.
        var session = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("t1", amount: 1900), Ct))!;

        Assert.Equal((PaymentStatus.Succeeded, false), (session.Status, session.FromHold));
        Assert.NotEqual(hold.PaymentIntentId, session.PaymentIntentId);
        Assert.Equal("canceled", (await SandboxHoldAsync(hold)).Status);
        var released = (await _h.Holds.GetAsync("t1", Ct))!;
        Assert.Equal((FareHoldStatus.Released, "charge_above_hold"), (released.Status, released.EndReason));
        Assert.NotNull(await _h.SandboxStore.Charges.GetAsync("charge-t1-1", Ct));

        // Another trip: a tip paid on its own is charged to the card, the fare's hold is left for the fare.
        var other = (await _h.Holds.PlaceAsync("t2", "rider-1", 1500, "EUR", Ct))!;
        await _h.Payments.CreateSessionAsync(new PaymentCreateSessionCommand("t2", "rider-1", 300, "EUR", 2, PaymentPurposes.Tip), Ct);
        Assert.Equal(FareHoldStatus.Held, (await _h.Holds.GetAsync("t2", Ct))!.Status);
        Assert.Equal("requires_capture", (await SandboxHoldAsync(other)).Status);
        // Nor does a lost item's return fee (ADR 0035): it is charged to the card on its own.
        var fee = (await _h.Payments.CreateSessionAsync(new PaymentCreateSessionCommand("t2", "rider-1", 1500, "EUR", 3, PaymentPurposes.ItemReturn), Ct))!;
        Assert.Equal((PaymentStatus.Succeeded, false), (fee.Status, fee.FromHold));
        Assert.Equal(FareHoldStatus.Held, (await _h.Holds.GetAsync("t2", Ct))!.Status);
    }

    [Fact]
    public async Task A_trip_ending_without_a_charge_releases_the_hold_and_a_late_cancellations_fee_is_taken_from_it()
    {
        await SaveCardAsync("4242 4242 4242 4242");
        var free = (await _h.Holds.PlaceAsync("t1", "rider-1", 1500, "EUR", Ct))!;
        var nobody = (await _h.Holds.PlaceAsync("t2", "rider-1", 1500, "EUR", Ct))!;
        var late = (await _h.Holds.PlaceAsync("t3", "rider-1", 1500, "EUR", Ct))!;
        var context = new MessageContext("m", Topics.TripCancelled, "t", "trip.event.cancelled", DateTimeOffset.UnixEpoch, 1);
        var now = _h.Clock.GetUtcNow();

        await new TripCancelledHandler(_h.Holds).HandleAsync(new TripCancelledIntegrationEvent("t1", "rider-1", null, "rider", "changed plans", 0, "EUR", now), context, Ct);
        await new TripNoDriversFoundHandler(_h.Holds).HandleAsync(new TripNoDriversFoundIntegrationEvent("t2", "rider-1", now), context, Ct);
        await new TripCancelledHandler(_h.Holds).HandleAsync(new TripCancelledIntegrationEvent("t3", "rider-1", "d1", "rider", "late", 500, "EUR", now), context, Ct);
        // Redelivered: nothing more happens.
        await new TripCancelledHandler(_h.Holds).HandleAsync(new TripCancelledIntegrationEvent("t1", "rider-1", null, "rider", "changed plans", 0, "EUR", now), context, Ct);

        Assert.Equal(("canceled", FareHoldStatus.Released, "cancelled"), ((await SandboxHoldAsync(free)).Status, (await _h.Holds.GetAsync("t1", Ct))!.Status, (await _h.Holds.GetAsync("t1", Ct))!.EndReason));
        Assert.Equal(("canceled", "no_drivers_found"), ((await SandboxHoldAsync(nobody)).Status, (await _h.Holds.GetAsync("t2", Ct))!.EndReason));
        Assert.Equal(FareHoldStatus.Held, (await _h.Holds.GetAsync("t3", Ct))!.Status);

        var fee = (await _h.Payments.CreateSessionAsync(new PaymentCreateSessionCommand("t3", "rider-1", 500, "EUR", 1, PaymentPurposes.CancellationFee), Ct))!;
        Assert.Equal((PaymentStatus.Succeeded, true), (fee.Status, fee.FromHold));
        Assert.Equal(("succeeded", 500L), ((await SandboxHoldAsync(late)).Status, (await SandboxHoldAsync(late)).CapturedMinor));
        // A released hold is never captured: a charge for t1 would go to the card.
        Assert.Null(await _h.Holds.CaptureAsync("t1", 100, Ct));
    }

    [Fact]
    public async Task A_hold_the_provider_did_not_answer_is_asked_again_with_the_same_key_and_released_at_once_if_the_trip_ended_meanwhile()
    {
        await SaveCardAsync("4242 4242 4242 4242");
        _provider.HoldsDown = true;

        await Assert.ThrowsAsync<PaymentProviderException>(() => _h.Holds.PlaceAsync("t1", "rider-1", 1500, "EUR", Ct));
        await Assert.ThrowsAsync<PaymentProviderException>(() => _h.Holds.PlaceAsync("t2", "rider-1", 1500, "EUR", Ct));
        Assert.Equal(FareHoldStatus.Placing, (await _h.Holds.GetAsync("t1", Ct))!.Status);
        // t2's trip was cancelled before anybody knew whether its money was held.
        await _h.Holds.ReleaseAsync("t2", "cancelled", Ct);
        Assert.Equal(FareHoldStatus.Placing, (await _h.Holds.GetAsync("t2", Ct))!.Status);

        _provider.HoldsDown = false;
        Assert.Equal(0, await _h.Holds.SweepAsync(100, Ct)); // not due yet: asked again a minute later
        _h.Clock.Now += FareHold.AskAgainAfter;
        Assert.Equal(2, await _h.Holds.SweepAsync(100, Ct));

        var t1 = (await _h.Holds.GetAsync("t1", Ct))!;
        var t2 = (await _h.Holds.GetAsync("t2", Ct))!;
        Assert.Equal(FareHoldStatus.Held, t1.Status);
        Assert.Equal((FareHoldStatus.Released, "cancelled", "canceled"), (t2.Status, t2.EndReason, (await SandboxHoldAsync(t2)).Status));
        Assert.Single(await _h.SandboxStore.Holds.QueryAsync("paymentIntentId", t1.PaymentIntentId!, 10, Ct));
        Assert.NotNull(await _h.SandboxStore.Holds.GetAsync(FareHold.IdempotencyKey("t1", 1), Ct));
    }

    [Fact]
    public async Task A_capture_without_an_answer_is_resumed_once_and_a_hold_the_provider_let_lapse_is_replaced_by_charging_the_card()
    {
        await SaveCardAsync("4242 4242 4242 4242");
        var hold = (await _h.Holds.PlaceAsync("t1", "rider-1", 1500, "EUR", Ct))!;
        _provider.CapturesDown = true;

        await Assert.ThrowsAsync<PaymentProviderException>(() => _h.Payments.CreateSessionAsync(PaymentsHarness.Command("t1", amount: 1500), Ct));
        Assert.Equal(PaymentStatus.Open, (await _h.Payments.LatestForTripAsync("t1", Ct))!.Status);
        Assert.Null((await _h.Holds.GetAsync("t1", Ct))!.DueAtMs); // capturing: the session's retries own it

        _provider.CapturesDown = false;
        _h.Clock.Now += TimeSpan.FromMinutes(2);
        await _h.Payments.RetryOpenCardChargesAsync(100, Ct);
        await _h.Payments.RetryOpenCardChargesAsync(100, Ct);

        Assert.Equal(PaymentStatus.Succeeded, (await _h.Payments.LatestForTripAsync("t1", Ct))!.Status);
        Assert.Equal(("succeeded", 1500L), ((await SandboxHoldAsync(hold)).Status, (await SandboxHoldAsync(hold)).CapturedMinor));
        Assert.Equal(1, await PublishedAsync(Topics.PaymentSucceeded, "t1"));

        // Another trip's ride lasted past the provider's 7 days (a long reservation's dispatch, a stuck trip): the hold lapsed.
        var lapsing = (await _h.Holds.PlaceAsync("t2", "rider-1", 1500, "EUR", Ct))!;
        await _h.SandboxStore.Holds.UpdateAsync(FareHold.IdempotencyKey("t2", 1), h => h with { CreatedAt = h.CreatedAt - TimeSpan.FromDays(8) }, ct: Ct);
        var session = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("t2", amount: 1500), Ct))!;
        Assert.Equal(PaymentStatus.Succeeded, session.Status);
        Assert.NotEqual(lapsing.PaymentIntentId, session.PaymentIntentId);
        Assert.Equal(("canceled", "hold_expired"), ((await SandboxHoldAsync(lapsing)).Status, (await _h.Holds.GetAsync("t2", Ct))!.EndReason));
    }

    [Fact]
    public async Task The_sweeper_releases_a_hold_no_trip_ever_charged_after_a_day()
    {
        await SaveCardAsync("4242 4242 4242 4242");
        var hold = (await _h.Holds.PlaceAsync("t1", "rider-1", 1500, "EUR", Ct))!;

        _h.Clock.Now += FareHold.MaxAge - TimeSpan.FromMinutes(1);
        await _h.Holds.SweepAsync(100, Ct);
        Assert.Equal(FareHoldStatus.Held, (await _h.Holds.GetAsync("t1", Ct))!.Status);

        _h.Clock.Now += TimeSpan.FromMinutes(1);
        Assert.Equal(1, await _h.Holds.SweepAsync(100, Ct));
        Assert.Equal((FareHoldStatus.Released, "expired"), ((await _h.Holds.GetAsync("t1", Ct))!.Status, (await _h.Holds.GetAsync("t1", Ct))!.EndReason));
        Assert.Equal("canceled", (await SandboxHoldAsync(hold)).Status);
        Assert.Equal(0, await _h.Holds.SweepAsync(100, Ct));
    }

    [Fact]
    public async Task Stripes_payment_intent_succeeded_for_a_captured_hold_completes_the_session_whose_answer_was_lost()
    {
        await SaveCardAsync("4242 4242 4242 4242");
        var hold = (await _h.Holds.PlaceAsync("t1", "rider-1", 1500, "EUR", Ct))!;
        _provider.CapturesDown = true;
        await Assert.ThrowsAsync<PaymentProviderException>(() => _h.Payments.CreateSessionAsync(PaymentsHarness.Command("t1", amount: 1500), Ct));

        // The hold's PaymentIntent carries no session id: the session is found by the intent it was written with.
        var result = await _h.SendAsync(StripeEvents.Event("payment_intent.succeeded", new
        {
            id = hold.PaymentIntentId, @object = "payment_intent", status = "succeeded", metadata = new { trip_id = "t1", purpose = "hold" },
        }));

        Assert.Equal(Webhooks.WebhookOutcome.Processed, result.Outcome);
        Assert.Equal(PaymentStatus.Succeeded, (await _h.Payments.LatestForTripAsync("t1", Ct))!.Status);
        Assert.Equal(1, await PublishedAsync(Topics.PaymentSucceeded, "t1"));
    }

    [Fact]
    public void A_holds_transitions_start_only_from_the_state_they_name()
    {
        var now = new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
        var card = new SavedCard("c1", "pm_1", "visa", "4242", 12, 2030, now);
        var placing = FareHold.Place("t1", "r1", 1500, "eur", card, "sandbox", 1, now);
        var held = placing.Answered(true, "pi_1", null, now);

        Assert.Equal((FareHoldStatus.Held, "EUR", "hold-t1-1"), (held.Status, held.Currency, held.Key));
        Assert.Same(held, held.Answered(false, "pi_2", "card_declined", now)); // a late answer changes nothing
        Assert.True(held.Covers(1500, "eur"));
        Assert.False(held.Covers(1501, "EUR"));
        Assert.False(held.Covers(1000, "USD"));
        Assert.False(held.Covers(0, "EUR"));
        var releasing = held.StartRelease("cancelled", now);
        Assert.Same(releasing, releasing.StartCapture(now)); // released or being released: never captured
        Assert.Equal(FareHoldStatus.Capturing, held.StartCapture(now).StartRelease("cancelled", now).Status); // being captured: never released
        Assert.Same(held, held.Retry(1500, "EUR", card, now)); // only a declined or released hold is tried again
        Assert.Equal(FareHoldStatus.Releasing, placing.StartRelease("cancelled", now).Answered(true, "pi_1", null, now).Status);
        Assert.Equal((now + FareHold.MaxAge).ToUnixTimeMilliseconds(), held.DueAtMs);
        Assert.Equal((now + FareHold.AskAgainAfter).ToUnixTimeMilliseconds(), placing.DueAtMs);
    }

    private static string AuthenticationIdOf(FareHold hold) => hold.AuthenticationUrl!["/checkout/".Length..];

    [Fact]
    public async Task A_bank_asking_for_authentication_while_the_rider_books_waits_for_them_and_what_they_do_at_the_bank_decides_the_hold()
    {
        await SaveCardAsync("4000 0027 6000 3184");

        var asked = (await _h.Holds.PlaceAsync("t1", "rider-1", 1500, "EUR", Ct, riderPresent: true))!;

        Assert.Equal((FareHoldStatus.Authenticating, "Visa •••• 3184", null), (asked.Status, asked.CardLabel, asked.DeclineCode));
        Assert.StartsWith("/checkout/" + SandboxPaymentProvider.AuthenticationPrefix, asked.AuthenticationUrl);
        Assert.Equal("requires_action", (await SandboxHoldAsync(asked)).Status);
        Assert.Equal((_h.Clock.Now + FareHold.AuthenticationWindow).ToUnixTimeMilliseconds(), asked.DueAtMs);
        // Booking again before answering the bank: the same page.
        Assert.Equal(asked.AuthenticationUrl, (await _h.Holds.PlaceAsync("t1", "rider-1", 1500, "EUR", Ct, riderPresent: true))!.AuthenticationUrl);
        Assert.Contains("Visa •••• 3184", await _h.Authentication.RenderAsync((await _h.Authentication.FindAsync(AuthenticationIdOf(asked), Ct))!, Ct));

        // The rider fails it: sent back to the rider's app (the return URL's path), and the booking again is declined.
        var (failed, returnTo) = await _h.Authentication.AnswerAsync(AuthenticationIdOf(asked), completed: false, Ct);
        Assert.Equal((SandboxOutcome.Done, "/rider?booking=authenticated"), (failed.Outcome, returnTo));
        Assert.Equal(SandboxOutcome.Conflict, (await _h.Authentication.AnswerAsync(AuthenticationIdOf(asked), completed: true, Ct)).Choice.Outcome);
        var declined = (await _h.Holds.PlaceAsync("t1", "rider-1", 1500, "EUR", Ct, riderPresent: true))!;
        Assert.Equal((FareHoldStatus.Declined, "authentication_failed"), (declined.Status, declined.DeclineCode));
        Assert.Null(declined.DueAtMs);

        // Booking again is a new attempt: a new page; completed, the booking after it finds the money held.
        var again = (await _h.Holds.PlaceAsync("t1", "rider-1", 1500, "EUR", Ct, riderPresent: true))!;
        Assert.Equal((FareHoldStatus.Authenticating, 2), (again.Status, again.Attempt));
        Assert.NotEqual(asked.AuthenticationUrl, again.AuthenticationUrl);
        Assert.Equal(SandboxOutcome.Done, (await _h.Authentication.AnswerAsync(AuthenticationIdOf(again), completed: true, Ct)).Choice.Outcome);
        var held = (await _h.Holds.PlaceAsync("t1", "rider-1", 1500, "EUR", Ct, riderPresent: true))!;
        Assert.Equal((FareHoldStatus.Held, null), (held.Status, held.AuthenticationUrl));

        // The ride's charge takes its money from that hold, as from any other.
        var session = (await _h.Payments.CreateSessionAsync(PaymentsHarness.Command("t1", amount: 1400), Ct))!;
        Assert.Equal((PaymentStatus.Succeeded, true), (session.Status, session.FromHold));
        Assert.Equal(("succeeded", 1400L), ((await SandboxHoldAsync(held)).Status, (await SandboxHoldAsync(held)).CapturedMinor));
    }

    [Fact]
    public async Task Without_the_rider_there_a_bank_asking_for_authentication_declines_the_hold()
    {
        await SaveCardAsync("4000 0027 6000 3184");

        // A ride booked for later starting its search: nobody to send to the bank.
        var hold = (await _h.Holds.PlaceAsync("t1", "rider-1", 1500, "EUR", Ct))!;

        Assert.Equal((FareHoldStatus.Declined, "authentication_required", null), (hold.Status, hold.DeclineCode, hold.AuthenticationUrl));
    }

    [Fact]
    public async Task Another_card_chosen_while_the_bank_waits_abandons_that_authentication_and_the_sweeper_lets_go_of_holds_the_rider_never_booked()
    {
        var visa = (await SaveCardAsync("4242 4242 4242 4242")).Cards.Single();
        await SaveCardAsync("4000 0027 6000 3184"); // the default

        var asked = (await _h.Holds.PlaceAsync("t1", "rider-1", 1500, "EUR", Ct, riderPresent: true))!;
        Assert.Equal(FareHoldStatus.Authenticating, asked.Status);
        // The rider does not go to the bank and chooses the other card: the waiting authentication is let go at the bank.
        var held = (await _h.Holds.PlaceAsync("t1", "rider-1", 1500, "EUR", Ct, cardId: visa.Id, riderPresent: true))!;
        Assert.Equal((FareHoldStatus.Held, "Visa •••• 4242", 2), (held.Status, held.CardLabel, held.Attempt));
        Assert.Equal("canceled", (await SandboxHoldAsync(asked)).Status);

        // One rider confirms at the bank but never books (the quote expired); another never answers the bank at all.
        var confirmed = (await _h.Holds.PlaceAsync("t2", "rider-1", 900, "EUR", Ct, riderPresent: true))!;
        await _h.Authentication.AnswerAsync(AuthenticationIdOf(confirmed), completed: true, Ct);
        var unanswered = (await _h.Holds.PlaceAsync("t3", "rider-1", 700, "EUR", Ct, riderPresent: true))!;
        Assert.Equal("requires_capture", (await SandboxHoldAsync(confirmed)).Status);

        _h.Clock.Now += FareHold.AuthenticationWindow - TimeSpan.FromSeconds(1);
        await _h.Holds.SweepAsync(100, Ct);
        Assert.Equal(FareHoldStatus.Authenticating, (await _h.Holds.GetAsync("t2", Ct))!.Status); // not yet
        _h.Clock.Now += TimeSpan.FromSeconds(1);
        await _h.Holds.SweepAsync(100, Ct);

        foreach (var (trip, hold) in new[] { ("t2", confirmed), ("t3", unanswered) })
        {
            var swept = (await _h.Holds.GetAsync(trip, Ct))!;
            Assert.Equal((FareHoldStatus.Released, "authentication_abandoned", null), (swept.Status, swept.EndReason, swept.DueAtMs));
            Assert.Equal("canceled", (await SandboxHoldAsync(hold)).Status);
        }
        Assert.Equal(FareHoldStatus.Held, (await _h.Holds.GetAsync("t1", Ct))!.Status);
    }
}
