using System.Globalization;

namespace UberClone.Contracts;

/// <summary>Amounts travel in minor units (cents); this is how people read them.</summary>
public static class Currencies
{
    /// <summary>
    /// Stripe's zero-decimal currencies have no minor unit: 500 JPY is 500 yen, 500 EUR is 5.00 euros. The web app's
    /// format.ts keeps the same list.
    /// </summary>
    private static readonly HashSet<string> ZeroDecimal =
        ["BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"];

    /// <summary>
    /// The currencies Intl.NumberFormat "en" writes with a symbol rather than their code (all of them, as Node 20 writes
    /// them; XOF's symbol has a narrow no-break space inside).
    /// </summary>
    private static readonly Dictionary<string, string> Symbols = new()
    {
        ["USD"] = "$", ["EUR"] = "€", ["GBP"] = "£", ["JPY"] = "¥", ["INR"] = "₹", ["KRW"] = "₩", ["ILS"] = "₪", ["VND"] = "₫", ["PHP"] = "₱",
        ["CAD"] = "CA$", ["AUD"] = "A$", ["NZD"] = "NZ$", ["HKD"] = "HK$", ["MXN"] = "MX$", ["TWD"] = "NT$", ["XCD"] = "EC$", ["BRL"] = "R$",
        ["CNY"] = "CN¥", ["XAF"] = "FCFA", ["XOF"] = "F\u202FCFA", ["XPF"] = "CFPF", ["XCG"] = "Cg.",
    };

    /// <summary>"12.50" for 1250 EUR, "500" for 500 JPY: a number a machine reads (a CSV column), not a text for people.</summary>
    public static string FormatMajor(long amountMinor, string currency) =>
        ZeroDecimal.Contains(currency.ToUpperInvariant())
            ? amountMinor.ToString(CultureInfo.InvariantCulture)
            : (amountMinor / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>
    /// An amount as riders and drivers read it in the web app (its money(), Intl.NumberFormat "en" with style currency),
    /// so that a text written here reads as the app's prices do: "$1,234.50", "-€9.66", "¥500", "CHF 9.66". A code, or a
    /// symbol that does not end in a sign ("FCFA"), is followed by a no-break space as Intl writes it (CLDR's currency spacing).
    /// The decimals are the minor unit's as counted here (Stripe's), which are Intl's too but for a few currencies Intl
    /// writes without decimals (HUF, ISK, …) or with three (BHD, KWD, …): those keep two, here and in the web app (which
    /// counts digits from this list, not from Intl; WebMoneyAgreementTests compare the two for every currency).
    /// </summary>
    public static string Display(long amountMinor, string currency)
    {
        var code = currency.ToUpperInvariant();
        var symbol = Symbols.GetValueOrDefault(code, code);
        var spacing = symbol is [.., var last] && char.IsSymbol(last) ? "" : "\u00A0";
        var major = ZeroDecimal.Contains(code)
            ? Math.Abs((decimal)amountMinor).ToString("#,0", CultureInfo.InvariantCulture)
            : (Math.Abs((decimal)amountMinor) / 100m).ToString("#,0.00", CultureInfo.InvariantCulture);
        return $"{(amountMinor < 0 ? "-" : "")}{symbol}{spacing}{major}";
    }
}
