using System.Globalization;
using System.Text;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Mail;

namespace UberClone.Gateway.RiderMail;

/// <summary>
/// Who a mail goes to, the first name of the driver it names (none for a deleted driver, or none named) and their car
/// ("white Toyota Prius, plate B-UC 1234"), and the time zone its times are given in (the rider's app's; none: UTC).
/// </summary>
public sealed record MailRecipient(string Email, string Name, string? DriverFirstName, TimeZoneInfo? Zone = null, string? DriverCar = null);

/// <summary>
/// The mails a rider gets about money (what a ride's receipt says in the app, sent when it is final): a receipt once
/// the ride (or its cancellation fee) is paid, one for a tip paid on its own and one for a lost item's return fee (ADR
/// 0035), and a notice for each refund. Plain text,
/// amounts in the trip's currency, times in the rider's time zone (named; UTC when the account has none), places as
/// coordinates (trips keep no addresses). No I/O: <see cref="RiderMailSender"/> fetches the trip and sends.
/// </summary>
public static class ReceiptMails
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The receipt for a payment of the trip (<paramref name="paid"/>): the fare, a cancellation fee, a tip on its own, or a lost item's return fee.</summary>
    /// <summary>How the ride was paid: the card charged, or "Paid in cash" when the rider paid the driver (ADR 0042).</summary>
    private static string PaidWithLine(string paidWith) => paidWith switch
    {
        PaymentCollection.Cash => "Paid in cash",
        PaymentCollection.RideCredit => "Paid with ride credit",
        _ => $"Charged to  {paidWith}",
    };

    private static string TotalLabel(string? paidWith) => paidWith == PaymentCollection.Cash ? "Total paid in cash" : "Total charged";

    public static OutgoingMail Paid(MailRecipient to, Trip trip, TripPaidIntegrationEvent paid)
    {
        // A split fare (ADR 0040): the other riders' cards paid part of it; the rider was charged the rest.
        // Ride credit (ADR 0051) paid part or all of it first; the card was charged the rest.
        var total = Currencies.Display(paid.AmountMinor - paid.SplitPaidMinor - paid.CreditPaidMinor, paid.Currency);
        var lines = new List<(string Label, string Value)>();
        string subject, opening;
        if (paid.Purpose == PaymentPurposes.Tip)
        {
            subject = $"Your UberClone tip receipt: {total}";
            opening = $"Thanks for tipping{Driver(to, " ")}. All of it goes to {(to.DriverFirstName is null ? "your driver" : "them")}.";
            lines.Add(("Tip", total));
        }
        else if (paid.Purpose == PaymentPurposes.ItemReturn)
        {
            subject = $"Your UberClone receipt: {total} lost item return fee";
            opening = $"Your driver{Driver(to, " ")} returned what you left in the car (\"{trip.LostItem?.Description}\"). The return fee goes to {(to.DriverFirstName is null ? "your driver" : "them")} in full.";
            lines.Add(("Lost item return fee", total));
        }
        else if (trip.Status == "cancelled")
        {
            subject = $"Your UberClone receipt: {total} cancellation fee";
            opening = trip.Cancellation?.CancelledBy == "driver"
                ? $"Your driver{Driver(to, " ")} waited at the pickup and you did not come, so the ride was cancelled with a fee."
                : "You cancelled your ride after the free cancellation time, so a cancellation fee was charged.";
            lines.Add(("Cancellation fee", total));
        }
        else
        {
            subject = $"Your UberClone receipt: {total}, {Local(paid.PaidAt, to.Zone).ToString("d MMMM yyyy", Invariant)}";
            opening = $"Thanks for riding with UberClone{Driver(to, " and ")}. Here is your receipt.";
            if (trip.Receipt?.Fare is { } fare) AddFare(lines, fare, trip, paid.Currency);
            Add(lines, "Tip", paid.TipMinor, paid.Currency);
            if (paid.SplitPaidMinor > 0)
            {
                var with = trip.Split?.Invitees.Where(i => i.ShareStatus == "paid").Select(i => i.Name).ToList() is { Count: > 0 } names
                    ? string.Join(", ", names) : "other riders";
                lines.Add(($"Paid by {with}", Currencies.Display(-paid.SplitPaidMinor, paid.Currency)));
            }
            // Support waived part of it (ADR 0053): the rider paid the rest.
            if (trip.Receipt?.Waived is { AmountMinor: > 0 } waivedPart) lines.Add(("Waived by UberClone support", Currencies.Display(-waivedPart.AmountMinor, paid.Currency)));
        }
        if (paid.CreditPaidMinor > 0) lines.Add(("Ride credit", Currencies.Display(-paid.CreditPaidMinor, paid.Currency)));

        var body = new StringBuilder()
            .AppendLine($"Hello {to.Name},").AppendLine()
            .AppendLine(opening).AppendLine();
        Table(body, lines.Append((TotalLabel(paid.PaidWith), total)).ToList());
        body.AppendLine()
            .AppendLine($"Paid        {Date(paid.PaidAt, to.Zone)}");
        if (paid.PaidWith is { Length: > 0 } card) body.AppendLine(PaidWithLine(card));
        body.AppendLine(TripSummary(trip, to.Zone)).AppendLine()
            .AppendLine("The receipt is also in the app, under the ride in your trips. Questions about a charge: open the ride and choose \"Get help\".");
        return new OutgoingMail(to.Email, to.Name, subject, body.ToString(), "receipt");
    }

    /// <summary>
    /// A copy of a ride's final receipt, asked for from the app or by support: what the receipt in the app says, from the
    /// trip alone (the fare's parts, a tip paid with it, what the riders of a split fare and ride credit paid, the total
    /// charged; a tip paid on its own, refunds and a lost item's return fee support waived below it). Final is paid, or
    /// waived by support after its payment failed (ADR 0053: nothing more will be charged; the copy says how much was
    /// waived and when, never support's reason). Null when there is nothing final to send: the ride (or its cancellation
    /// fee) is not paid and was not waived.
    /// </summary>
    public static OutgoingMail? Copy(MailRecipient to, Trip trip) =>
        Final(to, trip, rideOf => $"Here is a copy of the receipt for your ride of {rideOf}{Driver(to, " with ")}, as you asked.") is var (headline, day, body)
            ? new OutgoingMail(to.Email, to.Name, $"Your UberClone receipt (copy): {headline}, {day}", body, "receipt-copy")
            : null;

    /// <summary>
    /// The work copy of a business ride's receipt (ADR 0034), to the rider's confirmed work email (<paramref name="to"/>):
    /// headed "Business" with the expense memo, then what <see cref="Copy"/> says. Null while the ride is not paid.
    /// </summary>
    public static OutgoingMail? WorkCopy(MailRecipient to, Trip trip)
    {
        // A waived ride charged nothing: there is nothing for an expense report.
        if (trip.Receipt?.PaymentStatus != "paid") return null;
        if (Final(to, trip, rideOf => $"Here is the receipt for your business ride of {rideOf}{Driver(to, " with ")}, for your expense report. Your own copy went to your UberClone email.")
            is not var (total, day, body)) return null;
        return new OutgoingMail(to.Email, to.Name, $"Business ride receipt: {total}, {day}", BusinessHead(trip) + body, "receipt-work-copy");
    }

    /// <summary>
    /// The work copy of a tip paid on its own after a business ride (ADR 0034): the rider's tip receipt headed "Business"
    /// with the expense memo, to the work email, so the expense report has a receipt for every amount it lists.
    /// </summary>
    public static OutgoingMail WorkTipCopy(MailRecipient to, Trip trip, TripPaidIntegrationEvent tip) =>
        new(to.Email, to.Name, $"Business tip receipt: {Currencies.Display(tip.AmountMinor, tip.Currency)}", BusinessHead(trip) + Paid(to, trip, tip).Body, "receipt-work-copy");

    private static string BusinessHead(Trip trip) =>
        new StringBuilder().AppendLine("Business").AppendLine($"Expense memo  {(trip.ExpenseMemo.Length > 0 ? trip.ExpenseMemo : "(none)")}").AppendLine().ToString();

    /// <summary>
    /// A final receipt from the trip alone: the headline of its subject (the total charged; what support waived, of a
    /// waived ride), the ride's day, and the body after <paramref name="opening"/>; null when neither paid nor waived.
    /// </summary>
    private static (string Headline, string Day, string Body)? Final(MailRecipient to, Trip trip, Func<string, string> opening)
    {
        if (trip.Receipt is not { PaymentStatus: "paid" or "waived", AmountDue: { } due } receipt) return null;
        var waived = receipt.PaymentStatus == "waived";
        var currency = due.Currency;
        var rideAt = Time(trip.CompletedAt) ?? Time(trip.Cancellation?.CancelledAt ?? "") ?? Time(trip.CreatedAt) ?? DateTimeOffset.UnixEpoch;
        var lines = new List<(string Label, string Value)>();
        if (trip.Status == "cancelled")
        {
            lines.Add(("Cancellation fee", Currencies.Display(due.AmountMinor, currency)));
        }
        else
        {
            if (receipt.Fare is { } fare) AddFare(lines, fare, trip, currency);
            if (receipt.TipPaymentStatus.Length == 0 && receipt.Tip is { AmountMinor: > 0 } tip) Add(lines, "Tip", tip.AmountMinor, currency);
        }
        // What the other riders of a split fare (ADR 0040) and ride credit (ADR 0051) paid of it, as the receipt mail says;
        // of a waived ride, what support waived of the rest (ADR 0053). The card was charged what is left.
        var splitPaid = trip.Split?.Invitees.Where(i => i.ShareStatus == "paid").Sum(i => i.Share?.AmountMinor ?? 0) ?? 0;
        if (splitPaid > 0)
        {
            var with = string.Join(", ", trip.Split!.Invitees.Where(i => i.ShareStatus == "paid" && i.Name.Length > 0).Select(i => i.Name)) is { Length: > 0 } names ? names : "other riders";
            lines.Add(($"Paid by {with}", Currencies.Display(-splitPaid, currency)));
        }
        var creditPaid = receipt.CreditPaid?.AmountMinor ?? 0;
        if (creditPaid > 0) lines.Add(("Ride credit", Currencies.Display(-creditPaid, currency)));
        var waivedFare = 0L;
        // A part waived and the rest paid (ADR 0053) likewise: receipt.waived says it stands (unset when the whole was paid all the same).
        foreach (var waiver in receipt.Waivers.Where(w => (waived || receipt.Waived?.AmountMinor > 0) && w.Fare?.AmountMinor > 0))
        {
            lines.Add((WaivedBy(waiver, to.Zone), Currencies.Display(-waiver.Fare.AmountMinor, currency)));
            waivedFare += waiver.Fare.AmountMinor;
        }
        var total = Currencies.Display(Math.Max(0, due.AmountMinor - splitPaid - creditPaid - waivedFare), currency);

        var day = Local(rideAt, to.Zone).ToString("d MMMM yyyy", Invariant);
        var body = new StringBuilder()
            .AppendLine($"Hello {to.Name},").AppendLine()
            .AppendLine(opening(day) + (waived
                ? $" Its payment did not go through, and UberClone support waived the {Currencies.Display(waivedFare, currency)} you owed: you owe nothing for it."
                : "")).AppendLine();
        Table(body, lines.Append((waived ? "Total charged" : TotalLabel(receipt.PaidWith), total)).ToList());
        var after = new List<(string, string)>();
        if (receipt.TipPaymentStatus == "paid" && receipt.Tip is { AmountMinor: > 0 } ownTip) after.Add(("Tip, paid on its own", Currencies.Display(ownTip.AmountMinor, currency)));
        foreach (var refund in receipt.Refunds)
        {
            var when = Time(refund.RefundedAt) is { } at ? $" ({Local(at, to.Zone).ToString("d MMM", Invariant)})" : "";
            after.Add(($"Refunded{when}", Currencies.Display(-refund.Amount.AmountMinor, currency)));
        }
        // A lost item's return fee whose payment failed and support waived (ADR 0035, 0053): charged nothing either.
        if (trip.LostItem is { FeePaymentStatus: "waived" })
        {
            foreach (var waiver in receipt.Waivers.Where(w => w.ReturnFee?.AmountMinor > 0))
            {
                after.Add(("Lost item return fee", Currencies.Display(waiver.ReturnFee.AmountMinor, currency)));
                after.Add((WaivedBy(waiver, to.Zone), Currencies.Display(-waiver.ReturnFee.AmountMinor, currency)));
            }
        }
        if (after.Count > 0)
        {
            body.AppendLine();
            foreach (var (label, value) in after) body.AppendLine(label + value.PadLeft(Math.Max(40, label.Length + value.Length + 4) - label.Length));
        }
        body.AppendLine();
        if (!waived && receipt.PaidWith is { Length: > 0 } card) body.AppendLine(PaidWithLine(card));
        body.AppendLine(TripSummary(trip, to.Zone)).AppendLine()
            .AppendLine("Questions about a charge: open the ride in the app and choose \"Get help\".");
        return (waived ? $"{Currencies.Display(waivedFare, currency)} waived" : total, day, body.ToString());
    }

    /// <summary>"Waived by UberClone support (7 Dec)": who and when, as the app's receipt says it; never support's reason.</summary>
    private static string WaivedBy(PaymentWaiver waiver, TimeZoneInfo? zone) =>
        "Waived by UberClone support" + (Time(waiver.WaivedAt) is { } at ? $" ({Local(at, zone).ToString("d MMM", Invariant)})" : "");

    /// <summary>Money given back on the trip (<paramref name="refund"/>): how much, why, and everything given back so far.</summary>
    public static OutgoingMail Refunded(MailRecipient to, Trip trip, TripRefundedIntegrationEvent refund)
    {
        var amount = Currencies.Display(refund.AmountMinor, refund.Currency);
        var fee = refund.Kind == RefundKinds.ItemReturn;
        var why = refund.Kind switch
        {
            RefundKinds.FareAdjustment => "Support adjusted the fare of this ride.",
            RefundKinds.Tip => "Your tip on this ride was given back.",
            RefundKinds.ItemReturn => "Support gave back the return fee for your lost item.",
            RefundKinds.DuplicatePayment => "You were charged twice for this ride; the second charge was given back.",
            RefundKinds.Provider => "The payment was refunded at the payment provider.",
            _ => "Support gave this back to you.",
        };
        // Where it went (ADR 0051): all to ride credit (a refund of kind credit, or of a ride credit paid for), all to the
        // card, or both: the card as far as it paid, ride credit the part it paid.
        var credit = refund.Kind == RefundKinds.Credit || (refund.CreditMinor > 0 && refund.CreditMinor >= refund.AmountMinor);
        var toCredit = Currencies.Display(refund.CreditMinor, refund.Currency);
        var toCard = Currencies.Display(refund.AmountMinor - refund.CreditMinor, refund.Currency);
        var body = new StringBuilder()
            .AppendLine($"Hello {to.Name},").AppendLine()
            .AppendLine(refund.Kind == RefundKinds.Credit
                ? $"{amount} ride credit added: support gave back {amount} of what you paid for your ride as ride credit."
                : $"{amount} of what you paid {(fee ? "for the return of your lost item" : "for your ride")} was refunded. {why}").AppendLine();
        List<(string, string)> lines = [("Refunded now", amount)];
        if (!credit && refund.CreditMinor > 0) lines.AddRange([("  to your card", toCard), ("  as ride credit", toCredit)]);
        lines.Add((fee ? "Refunded of the return fee in all" : "Refunded on this ride in all", Currencies.Display(refund.RefundedTotalMinor, refund.Currency)));
        Table(body, lines);
        body.AppendLine()
            .AppendLine($"Refunded    {Date(refund.At, to.Zone)}")
            .AppendLine(TripSummary(trip, to.Zone)).AppendLine()
            .AppendLine(credit
                ? "It is your ride credit now, under Account settings, Payment methods; nothing goes back to a card."
                : refund.CreditMinor > 0
                    ? $"{toCard} goes back to the card you paid with (your bank may take 5 to 10 business days to show it); {toCredit}, what ride credit paid, is your ride credit again."
                    : "It goes back to the card you paid with; your bank may take 5 to 10 business days to show it.");
        return new OutgoingMail(to.Email, to.Name, credit ? $"UberClone: {amount} ride credit added" : $"UberClone refund: {amount}", body.ToString(), "refund");
    }

    private static string Driver(MailRecipient to, string joiner) => to.DriverFirstName is { } name ? $"{joiner}{name}" : "";

    private static void Add(List<(string, string)> lines, string label, long amountMinor, string currency)
    {
        if (amountMinor != 0) lines.Add((label, Currencies.Display(amountMinor, currency)));
    }

    /// <summary>Labels on the left, amounts aligned on the right, a rule above the last line (the total) unless told otherwise.</summary>
    internal static void Table(StringBuilder body, IReadOnlyList<(string Label, string Value)> lines, bool ruleAboveLast = true)
    {
        var width = Math.Max(40, lines.Max(l => l.Label.Length + l.Value.Length) + 4);
        for (var i = 0; i < lines.Count; i++)
        {
            if (ruleAboveLast && i == lines.Count - 1 && lines.Count > 1) body.AppendLine(new string('-', width));
            var (label, value) = lines[i];
            body.AppendLine(label + value.PadLeft(width - label.Length));
        }
    }

    /// <summary>
    /// The fare's parts, each that is not zero: what the rider agreed to (each place fee on a line of its own, ADR 0037;
    /// the pet fee, ADR 0041), then the wait at the pickup past the free minutes, then what a promotion took off.
    /// </summary>
    private static void AddFare(List<(string Label, string Amount)> lines, FareBreakdown fare, Trip trip, string currency)
    {
        Add(lines, "Base fare", fare.BaseMinor, currency);
        Add(lines, "Distance", fare.DistanceMinor, currency);
        Add(lines, "Time", fare.TimeMinor, currency);
        Add(lines, $"Busy-time pricing (x{trip.SurgeMultiplier.ToString("0.0#", Invariant)})", fare.SurgeMinor, currency);
        Add(lines, "Minimum fare", fare.MinimumFareAdjustmentMinor, currency);
        Add(lines, "Booking fee", fare.BookingFeeMinor, currency);
        foreach (var fee in fare.PlaceFees) Add(lines, fee.Name, fee.AmountMinor, currency);
        Add(lines, "Pet fee", fare.PetFeeMinor, currency);
        Add(lines, "Waiting at the pickup", fare.WaitMinor, currency);
        if (trip.Promotion is { Discount.AmountMinor: > 0 } promotion)
        {
            lines.Add(($"Promotion {promotion.Code}", Currencies.Display(-promotion.Discount.AmountMinor, currency)));
        }
    }

    internal static string TripSummary(Trip trip, TimeZoneInfo? zone)
    {
        var summary = new StringBuilder()
            .AppendLine($"Ride        {Title(trip.VehicleClass)}{(trip.DistanceMeters > 0 ? $", {(trip.DistanceMeters / 1000.0).ToString("0.0", Invariant)} km" : "")}{(trip.DurationSeconds > 0 ? $", {Math.Max(1, (int)Math.Round(trip.DurationSeconds / 60.0))} min" : "")}");
        if (trip.Passenger is { Name.Length: > 0 } guest) summary.AppendLine($"Rider       {guest.Name} (booked by you)");
        if (trip.Profile == "business") summary.AppendLine($"Business    {(trip.ExpenseMemo.Length > 0 ? trip.ExpenseMemo : "a ride for work")}");
        if (Time(trip.StartedAt) is { } started) summary.AppendLine($"Started     {Date(started, zone)}");
        if (trip.Pickup is { } from) summary.AppendLine($"From        {Point(from)}");
        for (var i = 0; i < trip.Stops.Count; i++) summary.AppendLine($"Stop {i + 1,-6} {Point(trip.Stops[i].Location)}");
        if (trip.Dropoff is { } to) summary.AppendLine($"To          {Point(to)}");
        return summary.Append($"Trip        {trip.TripId}").ToString();
    }

    internal static string Point(Contracts.Common.LatLng point) =>
        $"{point.Lat.ToString("0.0000", Invariant)}, {point.Lng.ToString("0.0000", Invariant)}";

    private static string Title(string vehicleClass) =>
        vehicleClass.Length == 0 ? "Ride" : char.ToUpperInvariant(vehicleClass[0]) + vehicleClass[1..];

    /// <summary>"4 Dec 2026, 17:05 Europe/Berlin" (the zone named, so nobody guesses), "… UTC" without one.</summary>
    internal static string Date(DateTimeOffset at, TimeZoneInfo? zone, string format = "d MMM yyyy, HH:mm") =>
        $"{Local(at, zone).ToString(format, Invariant)} {zone?.Id ?? "UTC"}";

    internal static DateTimeOffset Local(DateTimeOffset at, TimeZoneInfo? zone) =>
        zone is null ? at.ToUniversalTime() : TimeZoneInfo.ConvertTime(at, zone);

    internal static DateTimeOffset? Time(string iso) =>
        DateTimeOffset.TryParse(iso, Invariant, DateTimeStyles.AssumeUniversal, out var at) ? at.ToUniversalTime() : null;
}
