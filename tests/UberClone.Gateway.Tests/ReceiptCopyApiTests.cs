using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using UberClone.Contracts.Common;
using UberClone.Contracts.Identity;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.Mail;
using UberClone.Storage;

namespace UberClone.Gateway.Tests;

/// <summary>
/// <c>POST /api/trips/{tripId}/receipt/email</c> at the gateway (the route's own rules; what the copy says is
/// ReceiptMailsTests', the whole stack's PaymentWaiverTests and ReceiptMailTests): who may ask, which rides have a final
/// receipt, the confirmed address, and one copy a minute. Trips is a fake answering the trips the test keeps.
/// </summary>
public sealed class ReceiptCopyApiTests
{
    private const string SupportPassword = "support password";

    [Fact]
    public async Task A_rider_gets_one_copy_a_minute_of_a_paid_ride_and_support_one_of_a_waived_ride_for_the_rider()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gateway = new Gateway();
        var (riderId, riderToken) = await ConfirmedRiderAsync(gateway, ct);
        gateway.Trips.Keep(Trip("paid-1", riderId, "paid"));
        gateway.Trips.Keep(Waived(Trip("waived-1", riderId, "payment_failed")));

        var (status, body, _) = await gateway.PostAsync("/api/trips/paid-1/receipt/email", new { }, riderToken);
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.True(body["mailed"]!.GetValue<bool>());
        Assert.Contains("is on its way to", body["message"]!.GetValue<string>());

        // Asked again within the minute (a double tap): nothing more is queued, and the answer says where the first went.
        (status, body, _) = await gateway.PostAsync("/api/trips/paid-1/receipt/email", new { }, riderToken);
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.False(body["mailed"]!.GetValue<bool>());
        Assert.Contains("less than a minute ago", body["message"]!.GetValue<string>());

        // Support asks for the rider's waived ride, on a call: the copy goes to the rider, not to support.
        var (_, support) = await SupportAccountTests.SignInAsync(gateway, SupportPassword, HttpStatusCode.OK);
        (status, body, _) = await gateway.PostAsync("/api/trips/waived-1/receipt/email", new { }, support["accessToken"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.True(body["mailed"]!.GetValue<bool>());

        var copies = (await gateway.Services.GetRequiredService<MailOutbox>().ForAccountAsync(riderId, 20, ct))
            .Select(m => m.Document).Where(m => m.Kind == "receipt-copy").ToList();
        Assert.Equal(2, copies.Count);
        Assert.Single(copies, m => m.Subject.StartsWith("Your UberClone receipt (copy): €18.40, ", StringComparison.Ordinal));
        Assert.Single(copies, m => m.Subject.StartsWith("Your UberClone receipt (copy): €18.40 waived, ", StringComparison.Ordinal));
        // Sent to the rider's address (the outbox keeps it masked once sent); support's reason stays at support.
        var waived = await gateway.Mailbox.WaitForAsync(gateway.RiderEmail, m => m.Subject.Contains("waived", StringComparison.Ordinal));
        Assert.Contains("UberClone support waived the €18.40 you owed", waived.Text);
        Assert.DoesNotContain("long detour", waived.Text);
        await gateway.Mailbox.WaitForAsync(gateway.RiderEmail, m => m.Subject.StartsWith("Your UberClone receipt (copy): €18.40, ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_ride_still_owed_a_driver_an_unconfirmed_address_a_deleted_rider_and_someone_elses_trip_get_no_copy()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gateway = new Gateway();
        var (riderId, riderToken) = await ConfirmedRiderAsync(gateway, ct);
        gateway.Trips.Keep(Trip("owed-1", riderId, "payment_failed"));
        gateway.Trips.Keep(Trip("paid-2", riderId, "paid"));

        await AssertProblemAsync(gateway, "/api/trips/owed-1/receipt/email", riderToken, HttpStatusCode.Conflict, "receipt-not-final", "no final receipt yet");
        await AssertProblemAsync(gateway, "/api/trips/nobodys-trip/receipt/email", riderToken, HttpStatusCode.NotFound, null, "was not found");

        var driverToken = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.DriverSignUp())).Body["accessToken"]!.GetValue<string>();
        await AssertProblemAsync(gateway, "/api/trips/paid-2/receipt/email", driverToken, HttpStatusCode.Forbidden, null, "Receipts are mailed to riders");

        var other = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.RiderSignUp())).Body;
        gateway.Trips.Keep(Trip("paid-3", other["userId"]!.GetValue<string>(), "paid"));
        await AssertProblemAsync(gateway, "/api/trips/paid-3/receipt/email", other["accessToken"]!.GetValue<string>(), HttpStatusCode.Conflict, "email-not-confirmed", "Confirm your email first");

        var accounts = gateway.Services.GetRequiredService<AccountStore>().Accounts;
        await accounts.UpdateAsync(riderId, a => a with { DeletedAt = DateTimeOffset.UtcNow }, ct: ct);
        var (_, support) = await SupportAccountTests.SignInAsync(gateway, SupportPassword, HttpStatusCode.OK);
        await AssertProblemAsync(gateway, "/api/trips/paid-2/receipt/email", support["accessToken"]!.GetValue<string>(), HttpStatusCode.Conflict, "no-address", "deleted their account");

        Assert.DoesNotContain((await gateway.Services.GetRequiredService<MailOutbox>().ForAccountAsync(riderId, 20, ct)).Select(m => m.Document),
            m => m.Kind == "receipt-copy");
    }

    private static async Task AssertProblemAsync(GatewayFactory gateway, string path, string token, HttpStatusCode expected, string? type, string detail)
    {
        var (status, body, response) = await gateway.PostAsync(path, new { }, token);
        Assert.Equal(expected, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (type is not null) Assert.Equal($"https://uberclone.dev/problems/{type}", body["type"]!.GetValue<string>());
        Assert.Contains(detail, body["detail"]!.GetValue<string>());
    }

    private static Task<(string Id, string Token)> ConfirmedRiderAsync(Gateway gateway, CancellationToken ct) =>
        gateway.ConfirmedAsync(GatewayFactory.RiderSignUp(gateway.RiderEmail), ct);

    /// <summary>A completed ride of €18.40 (ReceiptMailsTests' ride) whose payment is <paramref name="paymentStatus"/>.</summary>
    private static Trip Trip(string id, string riderId, string paymentStatus)
    {
        var trip = ReceiptMailsTests.CompletedTrip();
        (trip.TripId, trip.RiderId, trip.CompletedAt) = (id, riderId, "2026-12-04T15:54:10Z");
        trip.Receipt.AmountDue = new Money { AmountMinor = 1_840, Currency = "EUR" };
        trip.Receipt.PaymentStatus = paymentStatus;
        return trip;
    }

    private static Trip Waived(Trip trip)
    {
        trip.Receipt.PaymentStatus = "waived";
        trip.Receipt.Waivers.Add(new PaymentWaiver
        {
            Fare = new Money { AmountMinor = 1_840, Currency = "EUR" }, ReturnFee = new Money { Currency = "EUR" },
            WaivedAt = "2026-12-07T10:00:00Z", Reason = "the driver took a long detour", OperatorId = "ops1",
        });
        return trip;
    }

    /// <summary>A gateway with the support desk's account and a mailbox, whose trips service is <see cref="FakeTrips"/>.</summary>
    private sealed class Gateway() : GatewayFactory
    {
        public FakeTrips Trips { get; } = new();

        public string RiderEmail { get; } = NewEmail();

        /// <summary>Where the gateway's mail goes over SMTP.</summary>
        public UberClone.Stack.Tests.Infrastructure.FakeMailbox Mailbox { get; } = new();

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Operators:Bootstrap:Email"] = SupportAccountTests.Email,
            ["Operators:Bootstrap:Password"] = SupportPassword,
            ["ConnectionStrings:mail"] = Mailbox.ConnectionString,
        };

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Mailbox.DisposeAsync();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<TripService.TripServiceClient>(Trips));
        }
    }

    /// <summary>Trips' GetTrip as trips answers it: the trip to its rider and to support, not found to anyone else.</summary>
    private sealed class FakeTrips : TripService.TripServiceClient
    {
        private readonly Dictionary<string, Trip> _trips = [];

        public void Keep(Trip trip)
        {
            lock (_trips) _trips[trip.TripId] = trip;
        }

        public override AsyncUnaryCall<Trip> GetTripAsync(GetTripRequest request, Metadata headers, DateTime? deadline, CancellationToken cancellationToken)
        {
            var caller = new Caller(headers.GetValue(Caller.UserIdHeader)!, headers.GetValue(Caller.RoleHeader)!);
            Trip? trip;
            lock (_trips) trip = _trips.GetValueOrDefault(request.TripId);
            if (trip is null || (caller.Role != Roles.Operator && caller.UserId != trip.RiderId))
            {
                throw new RpcException(new Status(StatusCode.NotFound, $"Trip {request.TripId} was not found."));
            }
            return new AsyncUnaryCall<Trip>(Task.FromResult(trip.Clone()), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
        }
    }
}
