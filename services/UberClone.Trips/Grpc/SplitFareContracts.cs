using UberClone.Contracts.Common;
using UberClone.Contracts.Trips;
using DomainTrip = UberClone.Trips.Domain.Trip;
using SplitInvitationStatus = UberClone.Trips.Domain.SplitInvitationStatus;

namespace UberClone.Trips.Grpc;

/// <summary>
/// A split fare (ADR 0040) as its rider and support see it on the trip, and a ride as one of its invitees sees it: the
/// rider's first name, the route, the fare and their own answer and share — nothing of the rider's card, the PIN, the
/// driver or the other invitees.
/// </summary>
internal static class SplitFareContracts
{
    public static SplitFare? OnTrip(DomainTrip trip)
    {
        var split = trip.Split;
        if (split.Invitations.Count == 0) return null;
        var result = new SplitFare();
        if (split.Settled)
        {
            result.Fare = Money(split.FareMinor, trip.Currency);
            result.YourShare = Money(split.RequesterShareMinor, trip.Currency);
            result.YouPaid = Money(split.RequesterPaysMinor, trip.Currency);
        }
        result.Invitees.AddRange(split.Invitations.Select(i => new SplitInvitee
        {
            RiderId = i.RiderId, Name = i.Name, Status = i.Status, InvitedAt = i.InvitedAt.ToString("O"), AnsweredAt = i.AnsweredAt?.ToString("O") ?? "",
            Share = i.ShareMinor > 0 ? Money(i.ShareMinor, trip.Currency) : null, ShareStatus = i.ShareStatus, DeclineCode = i.DeclineCode ?? "",
            Refunded = Refunded(trip, i.RiderId),
        }));
        return result;
    }

    public static SplitInvitation ForInvitee(DomainTrip trip, string inviteeId)
    {
        var invitation = trip.Split.Of(inviteeId)!;
        return new SplitInvitation
        {
            TripId = trip.Id,
            RequesterName = FirstName(trip.Split.RequesterName),
            TripStatus = trip.Status,
            Pickup = new LatLng { Lat = trip.Pickup.Lat, Lng = trip.Pickup.Lng },
            Dropoff = new LatLng { Lat = trip.Dropoff.Lat, Lng = trip.Dropoff.Lng },
            Fare = Money(trip.Split.Settled ? trip.Split.FareMinor : trip.UpfrontPriceMinor, trip.Currency),
            Status = invitation.Status,
            InvitedAt = invitation.InvitedAt.ToString("O"),
            CompletedAt = trip.CompletedAt?.ToString("O") ?? "",
            Share = invitation.Status == SplitInvitationStatus.Accepted && invitation.ShareMinor > 0 ? Money(invitation.ShareMinor, trip.Currency) : null,
            ShareStatus = invitation.ShareStatus,
            CardId = invitation.CardId ?? "",
            CardLabel = invitation.CardLabel ?? "",
            DeclineCode = invitation.DeclineCode ?? "",
            Refunded = Refunded(trip, inviteeId),
        };
    }

    private static Money? Refunded(DomainTrip trip, string inviteeId) =>
        trip.RefundedToInviteeMinor(inviteeId) is > 0 and var refunded ? Money(refunded, trip.Currency) : null;

    private static Money Money(long amountMinor, string currency) => new() { AmountMinor = amountMinor, Currency = currency };

    private static string FirstName(string name) => name.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries) is [var first, ..] ? first : name;
}
