using System.Text.Json.Nodes;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Payments.Domain;
using UberClone.Payments.Sandbox;

namespace UberClone.Payments.Tests;

/// <summary>
/// A split fare's charges (ADR 0040): each invitee's share on their own card first, the rider the rest (from the hold),
/// a declined share paid by the rider, nothing charged twice, and a split fare's refund shared among the riders' payments.
/// </summary>
public sealed class SplitFareChargeTests : IDisposable
{
    private readonly PaymentsHarness _h = new();

    public void Dispose() => _h.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> SaveCardAsync(string number, string rider)
    {
        var setup = await _h.Cards.StartSetupAsync(rider, Ct);
        var saved = await _h.CardSetup.SaveAsync(setup.ProviderSessionId, new SandboxCardForm(number, 12, 30, "123"), Ct);
        Assert.True(saved.Outcome == SandboxOutcome.Done, saved.Detail);
        return (await _h.Cards.WalletAsync(rider, Ct))!.DefaultCardId!;
    }

    private async Task<IReadOnlyList<JsonObject>> PublishedAsync(string topic) =>
        [.. (await _h.OutboxAsync()).Where(m => m.Topic == topic).Select(m => m.Data)];

    /// <summary>The fare of 2,500 split three ways: 833 each for ana and bob, 834 for the rider.</summary>
    private static PaymentCreateSessionCommand Split(string ana, string bob, int attempt = 1) =>
        PaymentsHarness.Command("t1", attempt, amount: 2500) with { Splits = [new SplitShare("ana", ana, 833), new SplitShare("bob", bob, 833)] };

    [Fact]
    public async Task Each_invitee_pays_their_share_on_their_card_and_the_riders_hold_is_taken_for_the_rest()
    {
        await SaveCardAsync("4242 4242 4242 4242", "rider-1");
        var ana = await SaveCardAsync("5555 5555 5555 4444", "ana");
        var bob = await SaveCardAsync("3782 822463 10005", "bob");
        await _h.Holds.PlaceAsync("t1", "rider-1", 2600, "EUR", Ct);

        var riders = (await _h.Payments.CreateSessionAsync(Split(ana, bob), Ct))!;

        Assert.Equal((PaymentStatus.Succeeded, 834L, true, 1666L), (riders.Status, riders.AmountMinor, riders.FromHold, riders.SplitPaidMinor));
        Assert.Equal((FareHoldStatus.Captured, 834L), ((await _h.Holds.GetAsync("t1", Ct))!.Status, (await _h.Holds.GetAsync("t1", Ct))!.CapturedMinor));
        var anaShare = (await _h.Payments.GetAsync(PaymentSession.ShareIdFor("t1", "ana"), Ct))!;
        Assert.Equal(("ana", 833L, PaymentStatus.Succeeded, "Mastercard •••• 4444"), (anaShare.RiderId, anaShare.AmountMinor, anaShare.Status, anaShare.CardLabel));
        Assert.NotNull(await _h.SandboxStore.Charges.GetAsync($"charge-{anaShare.Id}", Ct));
        var shares = await PublishedAsync(Topics.PaymentSplitShareCharged);
        Assert.Equal(["ana", "bob"], shares.Select(s => s["riderId"]!.GetValue<string>()).Order());
        Assert.All(shares, s => Assert.True(s["paid"]!.GetValue<bool>()));
        // The rider's payment is the trip's: one success, naming what the invitees paid besides.
        var paid = Assert.Single(await PublishedAsync(Topics.PaymentSucceeded));
        Assert.Equal(("rider-1", 834L, 1666L), (paid["riderId"]!.GetValue<string>(), paid["amountMinor"]!.GetValue<long>(), paid["splitPaidMinor"]!.GetValue<long>()));
    }

    [Fact]
    public async Task A_share_the_invitees_card_declines_is_paid_by_the_rider_and_both_are_told()
    {
        await SaveCardAsync("4242 4242 4242 4242", "rider-1");
        var ana = await SaveCardAsync("4242 4242 4242 4242", "ana");
        var bob = await SaveCardAsync("4000 0000 0000 9995", "bob");

        var riders = (await _h.Payments.CreateSessionAsync(Split(ana, bob), Ct))!;

        Assert.Equal((PaymentStatus.Succeeded, 1667L, 833L), (riders.Status, riders.AmountMinor, riders.SplitPaidMinor));
        var bobs = Assert.Single(await PublishedAsync(Topics.PaymentSplitShareCharged), s => s["riderId"]!.GetValue<string>() == "bob");
        Assert.Equal((false, "insufficient_funds"), (bobs["paid"]!.GetValue<bool>(), bobs["declineCode"]!.GetValue<string>()));
        // A share's decline is not the trip's payment failing.
        Assert.Empty(await PublishedAsync(Topics.PaymentFailed));
    }

    [Fact]
    public async Task A_redelivered_command_and_a_retried_attempt_charge_no_share_twice()
    {
        var ana = await SaveCardAsync("4242 4242 4242 4242", "ana");
        var bob = await SaveCardAsync("4242 4242 4242 4242", "bob");
        await SaveCardAsync("4000 0000 0000 0341", "rider-1");

        var declined = (await _h.Payments.CreateSessionAsync(Split(ana, bob), Ct))!;
        await _h.Payments.CreateSessionAsync(Split(ana, bob), Ct);
        Assert.Equal((PaymentStatus.Failed, 834L), (declined.Status, declined.AmountMinor));

        await SaveCardAsync("5555 5555 5555 4444", "rider-1");
        var retried = (await _h.Payments.CreateSessionAsync(Split(ana, bob, attempt: 2), Ct))!;

        Assert.Equal((PaymentStatus.Succeeded, 834L), (retried.Status, retried.AmountMinor));
        Assert.Equal(2, (await PublishedAsync(Topics.PaymentSplitShareCharged)).Count);
        Assert.Equal(2, (await _h.Payments.AllForTripAsync("t1", Ct)).Count(s => s.Purpose == PaymentPurposes.SplitShare));
    }

    [Fact]
    public async Task A_split_fares_refund_is_shared_among_the_riders_payments_each_refunded_and_published_on_its_own()
    {
        await SaveCardAsync("4242 4242 4242 4242", "rider-1");
        var ana = await SaveCardAsync("4242 4242 4242 4242", "ana");
        var bob = await SaveCardAsync("4242 4242 4242 4242", "bob");
        await _h.Payments.CreateSessionAsync(Split(ana, bob), Ct);

        var parts = await _h.Payments.RefundTripAsync("t1", "rf1", 1000, "late driver", RefundKinds.Goodwill, "op-1", Ct);

        Assert.Equal([("rider-1", "rf1", 334L), ("ana", "rf1_split_ana", 333L), ("bob", "rf1_split_bob", 333L)],
            parts.Select(p => (p.Session.RiderId, p.Refund.Id, p.Refund.AmountMinor)));
        Assert.Equal(333L, (await _h.Payments.GetAsync(PaymentSession.ShareIdFor("t1", "ana"), Ct))!.RefundedMinor);
        var published = await PublishedAsync(Topics.PaymentRefunded);
        Assert.Equal([("ana", 333L), ("bob", 333L), ("rider-1", 334L)],
            published.Select(r => (r["riderId"]!.GetValue<string>(), r["amountMinor"]!.GetValue<long>())).Order());

        // The same request again resumes it: nothing refunded twice.
        var again = await _h.Payments.RefundTripAsync("t1", "rf1", 1000, "late driver", RefundKinds.Goodwill, "op-1", Ct);
        Assert.Equal([334L, 333L, 333L], again.Select(p => p.Refund.AmountMinor));
        Assert.Equal(3, (await PublishedAsync(Topics.PaymentRefunded)).Count);

        // The rest, in full: each payment gives back what is left of it.
        var rest = await _h.Payments.RefundTripAsync("t1", "rf2", null, "complaint", RefundKinds.FareAdjustment, "op-1", Ct);
        Assert.Equal([500L, 500L, 500L], rest.Select(p => p.Refund.AmountMinor));
        Assert.All(await _h.Payments.AllForTripAsync("t1", Ct), s => Assert.Equal(PaymentStatus.Refunded, s.Status));
        await Assert.ThrowsAsync<RefundRejectedException>(() => _h.Payments.RefundTripAsync("t1", "rf3", 1, "more", RefundKinds.Goodwill, "op-1", Ct));
    }
}
