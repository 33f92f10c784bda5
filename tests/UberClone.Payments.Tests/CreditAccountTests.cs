using UberClone.Payments.Domain;

namespace UberClone.Payments.Tests;

/// <summary>A rider's ride credit in one currency as a value (ADR 0051): what adding to it does, and that a repeat adds nothing.</summary>
public sealed class CreditAccountTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Credit_added_raises_the_balance_and_keeps_who_why_and_the_trip()
    {
        var account = CreditAccount.Open("rider-1", "usd", Now)
            .Add("grant_1", "grant", 500, "op-1", "Late driver", null, Now)
            .Add("re_1", "refund", 1_250, "op-2", "Detour", "trip-9", Now.AddMinutes(1));

        Assert.Equal(("rider-1:USD", "USD", 1_750L), (account.Id, account.Currency, account.BalanceMinor));
        Assert.Equal(new CreditEntry("re_1", "refund", 1_250, "op-2", "Detour", "trip-9", Now.AddMinutes(1)), account.Entries[^1]);
        Assert.Equal(2, account.Entries.Count);
    }

    [Fact]
    public void The_same_entry_again_adds_nothing_whatever_it_says()
    {
        var account = CreditAccount.Open("rider-1", "EUR", Now).Add("grant_1", "grant", 500, "op-1", "Late driver", null, Now);

        Assert.Same(account, account.Add("grant_1", "grant", 900, "op-1", "Late driver, again", null, Now.AddMinutes(5)));
        Assert.Equal(500, account.BalanceMinor);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-100)]
    public void Credit_is_added_in_positive_amounts_only(long amount)
    {
        var account = CreditAccount.Open("rider-1", "EUR", Now);

        Assert.Throws<ArgumentOutOfRangeException>(() => account.Add("grant_1", "grant", amount, "op-1", "x", null, Now));
    }

    [Fact]
    public void Each_currency_is_an_account_of_its_own()
    {
        Assert.NotEqual(CreditAccount.IdFor("rider-1", "EUR"), CreditAccount.IdFor("rider-1", "USD"));
        Assert.Equal(CreditAccount.IdFor("rider-1", "eur"), CreditAccount.IdFor("rider-1", "EUR"));
    }
}
