using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.Mail;
using UberClone.Gateway.RiderMail;
using UberClone.Messaging;

namespace UberClone.Gateway.DriverMail;

/// <summary>A driver reached a quest's target (ADR 0038): the bonus, and where it is paid. No I/O.</summary>
public static class QuestMails
{
    public static OutgoingMail BonusEarned(MailRecipient to, QuestBonusEarnedIntegrationEvent earned)
    {
        var amount = Currencies.Display(earned.BonusMinor, earned.Currency);
        return new OutgoingMail(to.Email, to.Name, $"Quest complete: {amount} bonus added to your earnings",
            $"""
            Hello {to.Name},

            You completed {earned.Target} {(earned.Target == 1 ? "ride" : "rides")} for the quest "{earned.Name}": its bonus of {amount} is added to your earnings.
            It is paid with your next payout (or when you cash out), and it is a line of its own in your weekly statement.

            The earnings card in the app shows your quests and how far you are with each.
            """, "driver-quest-bonus");
    }
}

/// <summary>
/// A driver earned a quest's bonus: they are mailed once, under the setting for earnings statements and payouts. The
/// mail is queued under the quest and the driver, like the ledger's line: however often (and under whatever message id)
/// the bonus is told, it is one mail.
/// </summary>
public sealed class QuestBonusMailHandler(RiderMailSender sender) : IMessageHandler<QuestBonusEarnedIntegrationEvent>
{
    public Task HandleAsync(QuestBonusEarnedIntegrationEvent earned, MessageContext context, CancellationToken ct) =>
        sender.SendAsync(context, MailCategories.Statements, earned.DriverId, to => QuestMails.BonusEarned(to, earned), ct, KeyOf(earned));

    public static string KeyOf(QuestBonusEarnedIntegrationEvent earned) => $"quest-bonus-{earned.QuestId}-{earned.DriverId}";
}
