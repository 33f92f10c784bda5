using System.Globalization;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.Mail;
using UberClone.Gateway.RiderMail;
using UberClone.Messaging;

namespace UberClone.Gateway.DriverMail;

/// <summary>A driver's payout by mail (ADR 0025): on its way to their bank account, or refused and owed again. No I/O.</summary>
public static class PayoutMails
{
    public static OutgoingMail Paid(MailRecipient to, PayoutPaidIntegrationEvent paid)
    {
        var amount = Currencies.Display(paid.AmountMinor, paid.Currency);
        var local = TimeZoneInfo.ConvertTime(paid.EarnedBefore, to.Zone ?? TimeZoneInfo.Utc);
        return new OutgoingMail(to.Email, to.Name, $"Your payout of {amount} is on its way",
            $"""
            Hello {to.Name},

            {(paid.Trigger == "instant" ? "You cashed out" : "Your weekly payout")}: {amount}, what you earned until {local.ToString("dddd d MMMM, HH:mm", CultureInfo.InvariantCulture)} and had not been paid yet, is on its way to {(paid.Destination.Length > 0 ? paid.Destination : "your bank account")}.
            Banks usually show it within two working days.

            The earnings card in the app lists every payout (Payouts).
            """, "driver-payout-paid");
    }

    public static OutgoingMail Failed(MailRecipient to, PayoutFailedIntegrationEvent failed)
    {
        var amount = Currencies.Display(failed.AmountMinor, failed.Currency);
        return new OutgoingMail(to.Email, to.Name, $"Your payout of {amount} could not be made",
            $"""
            Hello {to.Name},

            Your payout of {amount} could not be made: {Reason(failed.Reason)}
            The money is still yours: it is paid with your next payout. Check the bank account your earnings go to in the app
            (earnings card, Payouts: "Change bank account").
            """, "driver-payout-failed");
    }

    /// <summary>
    /// The driver's bank refused a payout the provider sent it: what, why (payments' words for the bank's code), that the
    /// money waits at the provider, and where to update the bank account (the app's payouts card, linked when mail has links).
    /// </summary>
    public static OutgoingMail BankRefused(MailRecipient to, PayoutBankRefusedIntegrationEvent refused, string? linkBase)
    {
        var amount = Currencies.Display(refused.AmountMinor, refused.Currency);
        // Stripe's arrival_date is a day (its midnight UTC), not an instant.
        var day = refused.PaidOn.UtcDateTime.ToString("d MMM", CultureInfo.InvariantCulture);
        var where = linkBase is { Length: > 0 } ? $"{linkBase.TrimEnd('/')}/driver?payouts=update" : "in the app (earnings card, Payouts: \"Update bank account\")";
        return new OutgoingMail(to.Email, to.Name, $"Your bank did not accept your payout of {amount}",
            $"""
            Hello {to.Name},

            Your bank did not accept {amount} paid on {day}: {refused.Message}. Update your bank account: {where}
            The money is still yours: it waits with the payment provider, which pays it again once the bank account is updated.
            """, "driver-payout-bank-refused");
    }

    public static string Reason(string code) => code switch
    {
        "no_account" => "the bank says the account does not exist.",
        "account_closed" => "the bank says the account is closed.",
        "account_invalid" => "your payout account is not set up to receive money yet.",
        "balance_insufficient" => "UberClone's balance could not cover it right now (we retry with the next payout).",
        _ => $"the payment provider refused it ({code}).",
    };
}

/// <summary>A payout reached the driver's account: the driver is mailed (their statements' setting decides).</summary>
public sealed class PayoutPaidMailHandler(RiderMailSender sender) : IMessageHandler<PayoutPaidIntegrationEvent>
{
    public Task HandleAsync(PayoutPaidIntegrationEvent paid, MessageContext context, CancellationToken ct) =>
        sender.SendAsync(context, MailCategories.Statements, paid.DriverId, to => PayoutMails.Paid(to, paid), ct);
}

/// <summary>
/// The driver's bank refused a payout the provider sent it: the driver is mailed how to fix it, once per refused payout
/// (its id is the mail's key, whichever delivery of the event asks), whatever their mail settings (a notice: their money
/// did not arrive).
/// </summary>
public sealed class PayoutBankRefusedMailHandler(RiderMailSender sender, MailSettings settings) : IMessageHandler<PayoutBankRefusedIntegrationEvent>
{
    public Task HandleAsync(PayoutBankRefusedIntegrationEvent refused, MessageContext context, CancellationToken ct) =>
        // Money that did not arrive is not a statement a driver may turn off: a notice, whatever their mail settings.
        sender.SendNoticeAsync(context, refused.DriverId, to => PayoutMails.BankRefused(to, refused, settings.LinkBase), ct,
            key: $"payout-bank-refused-{refused.ProviderPayoutId}");
}

/// <summary>A payout was refused: the driver is mailed why, and that the money is still theirs.</summary>
public sealed class PayoutFailedMailHandler(RiderMailSender sender) : IMessageHandler<PayoutFailedIntegrationEvent>
{
    public Task HandleAsync(PayoutFailedIntegrationEvent failed, MessageContext context, CancellationToken ct) =>
        sender.SendAsync(context, MailCategories.Statements, failed.DriverId, to => PayoutMails.Failed(to, failed), ct);
}
