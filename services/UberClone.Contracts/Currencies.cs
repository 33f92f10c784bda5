using System.Globalization;

namespace UberClone.Contracts;

/// <summary>Amounts travel in minor units (cents); this is how people read them.</summary>
public static class Currencies
{
    /// <summary>Stripe's zero-decimal currencies have no minor unit: 500 JPY is 500 yen, 500 EUR is 5.00 euros.</summary>
    private static readonly HashSet<string> ZeroDecimal =
        ["BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"];

    /// <summary>"12.50" for 1250 EUR, "500" for 500 JPY.</summary>
    public static string FormatMajor(long amountMinor, string currency) =>
        ZeroDecimal.Contains(currency.ToUpperInvariant())
            ? amountMinor.ToString(CultureInfo.InvariantCulture)
            : (amountMinor / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>"12.50 EUR".</summary>
    public static string Format(long amountMinor, string currency) => $"{FormatMajor(amountMinor, currency)} {currency.ToUpperInvariant()}";
}
