using System.Globalization;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Gateway.Mail;
using UberClone.Messaging;

namespace UberClone.Gateway.RiderMail;

/// <summary>
/// A lost item by mail (ADR 0035): the driver hears at once that their rider left something in the car, the rider that
/// the driver answered. Notices about a ride the person took part in, sent whatever their mail settings (as a removed
/// card's notice): a driver who turned statements off still has to hear a rider is waiting. Times in the recipient's
/// time zone (UTC when the account has none). No I/O.
/// </summary>
public static class LostItemMails
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>To the driver: the rider of the ride picked up at <see cref="TripLostItemIntegrationEvent.RideStartedAt"/> reported an item.</summary>
    public static OutgoingMail Reported(MailRecipient to, TripLostItemIntegrationEvent lost)
    {
        var ride = lost.RideStartedAt is { } started ? $" from {ReceiptMails.Local(started, to.Zone).ToString("ddd HH:mm", Invariant)}" : "";
        var fee = lost.ReturnFeeMinor > 0
            ? $"Once you hand it back and mark it returned, the rider pays a {Currencies.Display(lost.ReturnFeeMinor, lost.Currency)} return fee, all of it yours."
            : "Once you hand it back, mark it returned in the app.";
        return new OutgoingMail(to.Email, to.Name, $"Your rider{ride} left something in your car",
            $"""
            Hello {to.Name},

            Your rider{ride} says they left this in your car:

                {lost.Description}

            Please look, then answer in the app (your recent trips): "I have it", saying where and when you can hand it back,
            or "Not in my car". The app shows the phone number they left for you while the report is open.
            {fee}
            """, "driver-lost-item-reported");
    }

    /// <summary>To the rider: the driver has the item (where and when to get it) or did not find it.</summary>
    public static OutgoingMail Answered(MailRecipient to, TripLostItemIntegrationEvent lost)
    {
        var found = lost.Status == "found";
        var fee = lost.ReturnFeeMinor > 0 ? $"When the driver hands it back, a {Currencies.Display(lost.ReturnFeeMinor, lost.Currency)} return fee is charged to your card; it goes to them in full." : "";
        return new OutgoingMail(to.Email, to.Name, found ? "Your driver has your lost item" : "Your driver did not find your lost item",
            found
                ? $"""
                  Hello {to.Name},

                  Your driver has what you left in the car ({lost.Description}). They say:

                      {lost.DriverNote}

                  {fee}
                  If you got it back another way or no longer need it, close the report in the app (your trip history).
                  """
                : $"""
                  Hello {to.Name},

                  Your driver looked for what you left in the car ({lost.Description}) and did not find it{(lost.DriverNote is { Length: > 0 } note ? $": \"{note}\"" : "")}.
                  If you think it is there after all, report it again from the trip in the app, or ask support for help with the trip.
                  """,
            found ? "rider-lost-item-found" : "rider-lost-item-not-found");
    }
}

/// <summary>
/// A lost-item report changed: a new one is mailed to the driver, the driver's answer to the rider (once each: the mail is
/// queued under the event's message id). Other changes (returned, closed, paid) are told in the apps and the fee's receipt.
/// </summary>
public sealed class TripLostItemMailHandler(RiderMailSender sender) : IMessageHandler<TripLostItemIntegrationEvent>
{
    public Task HandleAsync(TripLostItemIntegrationEvent lost, MessageContext context, CancellationToken ct) => lost switch
    {
        { Status: "reported", SupportAlerted: false } => sender.SendNoticeAsync(context, lost.DriverId, to => LostItemMails.Reported(to, lost), ct),
        { Status: "found" or "not_found" } => sender.SendNoticeAsync(context, lost.RiderId, to => LostItemMails.Answered(to, lost), ct),
        _ => Task.CompletedTask,
    };
}
