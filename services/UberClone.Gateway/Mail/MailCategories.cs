using UberClone.Contracts.Identity;

namespace UberClone.Gateway.Mail;

/// <summary>
/// Mail a rider or driver may turn off (account settings, or the one-click link in every such mail): what queues such a
/// mail names its category (the rider mail handlers, the Monday statement job). Everything else is always sent: codes,
/// notices about the account itself (email or password changed, deletion), and what the user asks for there and then
/// (a receipt's copy, a statement on demand).
/// </summary>
public sealed record MailCategory(string Id, string Label, string Description, string Role);

public static class MailCategories
{
    public static readonly MailCategory Receipts = new("receipts", "Receipts and refunds",
        "A receipt for each paid ride, fee or tip, and a notice for each refund. The app keeps every receipt either way.",
        Roles.Rider);

    public static readonly MailCategory Rides = new("rides", "Rides booked for later",
        "The booking's confirmation (and of a new time), a reminder an hour before, who your driver is, and word when one is cancelled or finds no driver.",
        Roles.Rider);

    public static readonly MailCategory Offers = new("offers", "Offers and invites",
        "Word when a friend you invited took their first ride, and what you got for it. Your promotions are in the app either way.",
        Roles.Rider);

    /// <summary>Another rider asks to split a fare (ADR 0040): anyone may type anyone's email, so the asked may turn it off.</summary>
    public static readonly MailCategory SplitFare = new("split_fare", "Split fare requests",
        "Word when another rider asks you to split the fare of their ride. Their requests are in the app either way.",
        Roles.Rider);

    public static readonly MailCategory Statements = new("statements", "Earnings statements and payouts",
        "Last week's earnings, every Monday morning, word of each payout to your bank account, and of each quest bonus you earn. The earnings card in the app shows any week and every payout either way.",
        Roles.Driver);

    /// <summary>
    /// The reminder before a ride the driver reserved, and word that one went to another driver while they were on
    /// another ride (ADR 0050); the app tells them either way.
    /// </summary>
    public static readonly MailCategory ReservedRides = new("reserved_rides", "Reserved rides",
        "A reminder an hour before the pickup of each ride you reserved, to be online in time, and word when one went to another driver because you were on another ride. The app tells you either way.",
        Roles.Driver);

    public static readonly IReadOnlyList<MailCategory> All = [Receipts, Rides, Offers, SplitFare, Statements, ReservedRides];

    /// <summary>The categories an account of this role has (none for support accounts).</summary>
    public static IReadOnlyList<MailCategory> For(string role) => All.Where(c => c.Role == role).ToList();

    public static MailCategory? Find(string? id) => All.FirstOrDefault(c => c.Id == id);
}
