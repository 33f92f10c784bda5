using UberClone.Payments.Domain;

namespace UberClone.Payments.Tests;

/// <summary>The rider's saved cards as a value: which one is charged, and what every change does (ADR 0024).</summary>
public sealed class WalletTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static Wallet Empty(string provider = "sandbox") => new() { Id = "rider-1", Provider = provider, CustomerId = "cus_1", UpdatedAt = Now };

    private static SavedCard Card(string id, string last4 = "4242", int expMonth = 12, int expYear = 2030, int minutes = 0) =>
        new(id, "pm_" + id, "visa", last4, expMonth, expYear, Now.AddMinutes(minutes));

    [Fact]
    public void A_card_added_becomes_the_default_and_adding_it_again_changes_nothing()
    {
        var wallet = Empty().Add(Card("a"), Now).Add(Card("b", "4444", minutes: 1), Now);

        Assert.Equal("b", wallet.DefaultCardId);
        Assert.Same(wallet, wallet.Add(Card("other-id") with { ProviderPaymentMethodId = "pm_b" }, Now));
        Assert.Equal("Visa •••• 4444", wallet.Default!.Label);
    }

    [Fact]
    public void At_most_five_cards_are_kept()
    {
        var wallet = Empty();
        for (var i = 0; i < Wallet.MaxCards; i++) wallet = wallet.Add(Card("c" + i, minutes: i), Now);

        var ex = Assert.Throws<WalletException>(() => wallet.Add(Card("sixth"), Now));
        Assert.Contains("At most 5 cards", ex.Message);
    }

    [Fact]
    public void Removing_the_default_makes_the_most_recently_added_card_left_the_default()
    {
        var wallet = Empty().Add(Card("a"), Now).Add(Card("b", minutes: 2), Now).Add(Card("c", minutes: 1), Now).MakeDefault("a", Now);

        var removed = wallet.Remove("a", Now);

        Assert.Equal("b", removed.DefaultCardId);
        Assert.Null(removed.Remove("b", Now).Remove("c", Now).DefaultCardId);
        Assert.Throws<CardNotFoundException>(() => removed.Remove("a", Now));
        Assert.Throws<CardNotFoundException>(() => removed.MakeDefault("nope", Now));
    }

    [Fact]
    public void Only_an_unexpired_default_of_the_provider_in_use_is_charged()
    {
        var wallet = Empty().Add(Card("a", expMonth: 11, expYear: 2026), Now);

        Assert.Equal("a", wallet.ChargeableCard("sandbox", Now)!.Id);                                  // valid through November
        Assert.Null(wallet.ChargeableCard("sandbox", new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero))); // expired in December
        Assert.Null(wallet.ChargeableCard("stripe", Now));                                             // saved at another provider
        Assert.Null(Empty().ChargeableCard("sandbox", Now));
    }
}
