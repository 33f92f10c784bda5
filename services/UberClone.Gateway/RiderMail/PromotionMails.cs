using System.Text;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.Mail;

namespace UberClone.Gateway.RiderMail;

/// <summary>What riders are told by mail about their promotions (no I/O).</summary>
public static class PromotionMails
{
    /// <summary>A friend the rider invited took their first ride: the reward, until when, and that it applies by itself.</summary>
    public static OutgoingMail Rewarded(MailRecipient to, PromotionRewardedIntegrationEvent rewarded)
    {
        var amount = Currencies.Display(rewarded.AmountOffMinor, rewarded.Currency);
        var body = new StringBuilder()
            .AppendLine($"Hello {to.Name},").AppendLine()
            .AppendLine($"A friend you invited took their first ride with UberClone. Thank you: your next ride is {amount} off.").AppendLine()
            .AppendLine($"It is in your account already (promotion {rewarded.Code}) and comes off by itself: the price you are quoted shows it. "
                + $"It is yours until {ReceiptMails.Date(rewarded.ExpiresAt, to.Zone, "d MMMM yyyy")}.").AppendLine()
            .AppendLine("Invite more friends with your code under Account settings, Promotions.");
        return new OutgoingMail(to.Email, to.Name, $"Your friend took their first ride: {amount} off your next one", body.ToString(), "referral-reward");
    }
}
