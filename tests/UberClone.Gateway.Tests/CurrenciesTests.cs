using UberClone.Contracts;

namespace UberClone.Gateway.Tests;

/// <summary>
/// Amounts in the texts the services write (mails, the messages the app shows) read as the web app's prices do: each
/// expected string is as Node 20's Intl writes it (new Intl.NumberFormat("en", { style: "currency", currency }), with two
/// decimals for HUF or KWD, whose hundredths the services count, as the app asks Intl to).
/// </summary>
public sealed class CurrenciesTests
{
    [Theory]
    [InlineData(966, "USD", "$9.66")]
    [InlineData(0, "USD", "$0.00")]
    [InlineData(1250, "EUR", "€12.50")]
    [InlineData(1250, "eur", "€12.50")]
    [InlineData(30, "GBP", "£0.30")]
    [InlineData(966, "CAD", "CA$9.66")]
    [InlineData(500, "JPY", "¥500")]
    [InlineData(123456, "JPY", "¥123,456")]
    [InlineData(1500, "KRW", "₩1,500")]
    [InlineData(1500, "XOF", "F\u202FCFA\u00A01,500")]
    [InlineData(966, "CHF", "CHF\u00A09.66")]
    [InlineData(123450, "SEK", "SEK\u00A01,234.50")]
    [InlineData(123456789, "USD", "$1,234,567.89")]
    [InlineData(-966, "USD", "-$9.66")]
    [InlineData(-123450, "CHF", "-CHF\u00A01,234.50")]
    [InlineData(966, "XYZ", "XYZ\u00A09.66")]
    [InlineData(123450, "HUF", "HUF\u00A01,234.50")]
    [InlineData(1250, "KWD", "KWD\u00A012.50")]
    public void An_amount_reads_as_the_web_app_writes_it(long amountMinor, string currency, string expected) =>
        Assert.Equal(expected, Currencies.Display(amountMinor, currency));
}
