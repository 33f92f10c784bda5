using Microsoft.AspNetCore.Http.HttpResults;
using UberClone.Contracts.Identity;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.Identity;
using UberClone.Gateway.Mail;

namespace UberClone.Gateway.RiderMail;

/// <summary>
/// <c>POST /api/trips/{tripId}/receipt/email</c>: a copy of a ride's final receipt (paid, or waived by support after its
/// payment failed: ADR 0053), mailed to its rider's confirmed address, asked for by the rider (for expenses, a lost mail)
/// or by support on a caller's behalf. One copy per trip a minute (a second ask within it sends nothing:
/// <c>mailed: false</c>). The driver's earnings are in the app, not mailed.
/// </summary>
public static class ReceiptCopyApi
{
    public sealed record ReceiptMailed(string Message, bool Mailed);

    public static void MapReceiptCopyApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/trips/{tripId}/receipt/email", MailAsync).RequireAuthorization();

    private static async Task<Results<Accepted<ReceiptMailed>, ProblemHttpResult>> MailAsync(string tripId, HttpContext http,
        Contracts.Trips.TripService.TripServiceClient trips, AccountStore accounts, RiderMailSender sender, MailOutbox outbox, TimeProvider clock, CancellationToken ct)
    {
        var caller = CurrentUser.From(http.User)!;
        if (caller.Role == Roles.Driver) return Problem(403, "Receipts are mailed to riders; what you earned from a trip is in the app, under the trip.");
        var (trip, problem) = await TripPeopleApi.ReadTripAsync(tripId, http, trips, ct);
        if (problem is not null) return problem;
        var byRider = caller.Role == Roles.Rider;
        var rider = (await accounts.Accounts.GetAsync(trip!.RiderId, ct))?.Document;
        if (rider is null || rider.DeletedAt is not null) return Problem(409, "The rider deleted their account: there is no address to mail the receipt to.", "no-address");
        if (rider.EmailVerifiedAt is null)
        {
            return Problem(409, byRider
                ? "Confirm your email first (Account settings, \"Your email\"): receipts are mailed only to a confirmed address."
                : "The rider has not confirmed their email: receipts are mailed only to a confirmed address. They can confirm it in Account settings.", "email-not-confirmed");
        }
        var mail = ReceiptMails.Copy(await sender.RecipientAsync(rider, trip.Driver?.DriverId, ct), trip);
        if (mail is null) return Problem(409, "This ride has no final receipt yet: it is mailed once the ride (or its fee) is paid, or support waived what was owed.", "receipt-not-final");

        var minute = clock.GetUtcNow().ToUnixTimeSeconds() / 60;
        var queued = await outbox.EnqueueAsync(mail, rider.Id, $"receipt-copy-{tripId}-{minute}", ct);
        // The rider's own address (support sees it on the user card anyway).
        return TypedResults.Accepted((string?)null, queued
            ? new ReceiptMailed($"A copy of the receipt is on its way to {rider.Email}.", true)
            : new ReceiptMailed($"A copy went to {rider.Email} less than a minute ago; check the spam folder too.", false));
    }

    private static ProblemHttpResult Problem(int status, string detail, string? type = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, type: type is null ? Problems.Problems.TypeFor(status) : Problems.Problems.Type(type));
}
