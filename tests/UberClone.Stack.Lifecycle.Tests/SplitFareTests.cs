using System.Net;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// Split fare (ADR 0040) on the whole stack: the rider asks other riders by email while riding (bad input is 400 naming
/// email, another rider's trip 404, a driver 403), the invitees hear on their sockets and answer from their list without
/// seeing the trip, and when the ride ends each who accepted is charged their share on their card — a declined card's
/// share falls to the rider, whose hold is taken for the rest — and everyone's receipt says what they paid. Support's
/// refund of a split fare is shared among the riders' payments, and each is told and mailed their part.
/// </summary>
public sealed class SplitFareTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task Riders_who_accept_pay_their_share_on_their_card_and_a_declined_share_falls_to_the_rider()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        await using var driver = await OnlineDriver.StartAsync(client, pickup.Offset(40, 0));
        var rider = await client.SignInAsync("rider", "Max Mustermann");
        var ana = await client.SignInAsync("rider", "Ana Doe");
        var bob = await client.SignInAsync("rider", "Bob Roe");
        var cy = await client.SignInAsync("rider", "Cy Poe");
        await CardsOnFileTests.SaveCardAsync(rider, "4242 4242 4242 4242");
        await CardsOnFileTests.SaveCardAsync(ana, "5555 5555 5555 4444");
        await CardsOnFileTests.SaveCardAsync(bob, "4000 0000 0000 9995");
        await using var anaSocket = await ana.ConnectAsync();
        var tripId = (await rider.RequestTripAsync(pickup, pickup.Offset(-2_500, 1_500))).Str("tripId");
        await driver.OfferAsync(tripId);
        await driver.AcceptAsync(tripId);
        var pin = (await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => !string.IsNullOrEmpty((string?)t["pin"]))).Str("pin");
        await driver.PostAsync($"/api/trips/{tripId}/arrive", new { location = new { lat = pickup.Lat, lng = pickup.Lng } }).OkAsync();
        await driver.PostAsync($"/api/trips/{tripId}/start", new { pin }).OkAsync();

        var split = $"/api/trips/{tripId}/split";
        Assert.NotNull((await rider.PostAsync(split, new { email = "not-an-email" }).ProblemAsync(HttpStatusCode.BadRequest))["errors"]!["email"]);
        Assert.Contains("No UberClone rider", (await rider.PostAsync(split, new { email = $"nobody-{Guid.NewGuid():N}@test.uberclone.dev" })
            .ProblemAsync(HttpStatusCode.BadRequest))["errors"]!["email"]![0]!.GetValue<string>());
        Assert.Contains("your own account", (await rider.PostAsync(split, new { email = rider.Email }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        Assert.Contains("No UberClone rider", (await rider.PostAsync(split, new { email = driver.User.Email }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        await cy.PostAsync(split, new { email = ana.Email }).ProblemAsync(HttpStatusCode.NotFound);
        await driver.PostAsync(split, new { email = ana.Email }).ProblemAsync(HttpStatusCode.Forbidden);

        await rider.PostOkAsync(split, new { email = ana.Email });
        await rider.PostOkAsync(split, new { email = bob.Email.ToUpperInvariant() });
        var asked = await rider.PostOkAsync(split, new { email = cy.Email });
        Assert.Equal(["Ana Doe", "Bob Roe", "Cy Poe"], asked["split"]!["invitees"]!.AsArray().Select(i => i.Str("name")));
        // Asked again (a retried request): the split as it stands, nobody asked twice.
        Assert.Equal(3, (await rider.PostOkAsync(split, new { email = ana.Email }))["split"]!["invitees"]!.AsArray().Count);

        // Ana hears at once and reads the invitation, not the trip.
        await anaSocket.WaitForAsync("trip.split", m => m["data"].Str("tripId") == tripId);
        var invitation = (await ana.GetOkAsync("/api/trips/split-invitations"))["invitations"]![0]!;
        Assert.Equal((tripId, "Max", "invited"), (invitation.Str("tripId"), invitation.Str("requesterName"), invitation.Str("status")));
        Assert.Null(invitation["pin"]);
        await ana.GetAsync($"/api/trips/{tripId}").ProblemAsync(HttpStatusCode.NotFound);

        var answer = $"/api/trips/{tripId}/split/answer";
        Assert.Contains("save a card", (await cy.PostAsync(answer, new { accept = true }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        await rider.PostAsync(answer, new { accept = false }).ProblemAsync(HttpStatusCode.NotFound);
        var anaCard = (await ana.GetOkAsync("/api/payments/cards"))["cards"]![0].Str("id");
        Assert.Equal("accepted", (await ana.PostOkAsync(answer, new { accept = true, cardId = anaCard })).Str("status"));
        await bob.PostOkAsync(answer, new { accept = true, cardId = (await bob.GetOkAsync("/api/payments/cards"))["cards"]![0].Str("id") });
        await cy.PostOkAsync(answer, new { accept = false });
        Assert.Equal("accepted", (await rider.PostOkAsync(split, new { email = ana.Email }))["split"]!["invitees"]!.AsArray().Single(i => i.Str("name") == "Ana Doe").Str("status"));
        Assert.Contains("already", (await rider.PostAsync(split, new { email = cy.Email }).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"));
        await rider.SendAsync(HttpMethod.Delete, $"{split}/{cy.UserId}", null).ProblemAsync(HttpStatusCode.Conflict);

        var completed = await driver.PostAsync($"/api/trips/{tripId}/complete", new { }).OkAsync();
        var fare = completed["receipt"]!["amountDue"]!["amountMinor"]!.GetValue<long>();
        var share = fare / 3;

        // Ana's card paid her share, Bob's declined his: the rider paid the rest, from the hold on their card.
        var paid = await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"),
            t => t["receipt"].Str("paymentStatus") == "paid" && t["split"]!["invitees"]!.AsArray().All(i => i.Str("status") != "accepted" || i.Str("shareStatus") != "pending"));
        var invitees = paid["split"]!["invitees"]!.AsArray().ToDictionary(i => i.Str("name"));
        Assert.Equal(("paid", share), (invitees["Ana Doe"].Str("shareStatus"), invitees["Ana Doe"]!["share"]!["amountMinor"]!.GetValue<long>()));
        Assert.Equal(("declined", "insufficient_funds"), (invitees["Bob Roe"].Str("shareStatus"), invitees["Bob Roe"].Str("declineCode")));
        Assert.Equal("declined", invitees["Cy Poe"].Str("status"));
        Assert.Equal((fare, fare - share), (paid["split"]!["fare"]!["amountMinor"]!.GetValue<long>(), paid["split"]!["youPaid"]!["amountMinor"]!.GetValue<long>()));
        var sessions = (await (await stack.SupportAsync()).GetOkAsync($"/api/payments/trips/{tripId}/sessions"))["sessions"]!.AsArray();
        Assert.Equal(fare - share, sessions.Single(s => s.Str("purpose") == "fare")!["amountMinor"]!.GetValue<long>());
        Assert.Equal("Mastercard •••• 4444", sessions.Single(s => s.Str("purpose") == "split_share" && s.Str("status") == "succeeded").Str("cardLabel"));

        var anasReceipt = await Http.EventuallyAsync(() => ana.GetOkAsync("/api/trips/split-invitations"),
            l => l["invitations"]![0].Str("shareStatus") == "paid");
        Assert.Equal(("Mastercard •••• 4444", share), (anasReceipt["invitations"]![0].Str("cardLabel"), anasReceipt["invitations"]![0]!["share"]!["amountMinor"]!.GetValue<long>()));
        Assert.Equal("declined", (await bob.GetOkAsync("/api/trips/split-invitations"))["invitations"]![0].Str("shareStatus"));

        // After the end: nobody more is asked, and answers are closed.
        await rider.PostAsync(split, new { email = (await client.SignInAsync("rider")).Email }).ProblemAsync(HttpStatusCode.Conflict);
        await cy.PostAsync(answer, new { accept = true, cardId = "card_x" }).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Invitees_are_mailed_the_request_and_their_receipt_and_supports_refund_is_shared_in_proportion_to_what_each_paid()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        await using var driver = await OnlineDriver.StartAsync(client, pickup.Offset(40, 0));
        var rider = await client.SignInAsync("rider", "Rita Rossi");
        var ana = await client.SignInAsync("rider", "Ana Doe");
        var bob = await client.SignInAsync("rider", "Bob Roe");
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox);
        await Rides.ConfirmEmailAsync(ana, stack.Mailbox);
        await Rides.ConfirmEmailAsync(bob, stack.Mailbox);
        await bob.SendAsync(HttpMethod.Put, "/api/auth/me/mail", System.Net.Http.Json.JsonContent.Create(new { split_fare = false })).OkAsync();
        await CardsOnFileTests.SaveCardAsync(rider, "4242 4242 4242 4242");
        await CardsOnFileTests.SaveCardAsync(ana, "5555 5555 5555 4444");
        await using var anaSocket = await ana.ConnectAsync();
        var tripId = (await rider.RequestTripAsync(pickup, pickup.Offset(-2_500, 1_500))).Str("tripId");
        await driver.OfferAsync(tripId);
        await driver.AcceptAsync(tripId);
        var pin = (await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => !string.IsNullOrEmpty((string?)t["pin"]))).Str("pin");
        await driver.PostAsync($"/api/trips/{tripId}/arrive", new { location = new { lat = pickup.Lat, lng = pickup.Lng } }).OkAsync();
        await driver.PostAsync($"/api/trips/{tripId}/start", new { pin }).OkAsync();
        await rider.PostOkAsync($"/api/trips/{tripId}/split", new { email = ana.Email });
        await rider.PostOkAsync($"/api/trips/{tripId}/split", new { email = bob.Email });

        // Ana is mailed the request (Bob turned "Split fare requests" off: he is not), with the way to the app.
        var request = await stack.Mailbox.WaitForAsync(ana.Email, m => m.Subject == "Rita asked you to split the fare of a ride");
        Assert.Contains("Answer in the app: http://localhost:3000/rider", request.Text);
        Assert.Contains(tripId, request.Text);
        await ana.PostOkAsync($"/api/trips/{tripId}/split/answer", new { accept = true, cardId = (await ana.GetOkAsync("/api/payments/cards"))["cards"]![0].Str("id") });
        var fare = (await driver.PostAsync($"/api/trips/{tripId}/complete", new { }).OkAsync())["receipt"]!["amountDue"]!["amountMinor"]!.GetValue<long>();
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"),
            t => t["receipt"].Str("paymentStatus") == "paid" && t["split"]!["invitees"]![0].Str("shareStatus") == "paid");
        var (anasShare, ridersPart) = (fare / 2, fare - fare / 2);

        // Ana's receipt of her share, once her card paid it.
        var anasReceipt = await stack.Mailbox.WaitForAsync(ana.Email, m => m.Subject.StartsWith("Your UberClone receipt: you paid"));
        Assert.Matches($@"you paid \D*{System.Text.RegularExpressions.Regex.Escape(Currencies(anasShare))} of \D*{System.Text.RegularExpressions.Regex.Escape(Currencies(fare))}$", anasReceipt.Subject);
        Assert.Contains("Mastercard •••• 4444", anasReceipt.Text);
        Assert.DoesNotContain(stack.Mailbox.Received, m => m.To.Contains(bob.Email) && m.Subject.Contains("split the fare"));

        // Ana's history has the ride, as she sees it (her share, not the trip), and so does her data download.
        var anasHistory = await ana.GetOkAsync("/api/trips?limit=20");
        Assert.Empty(anasHistory["trips"]?.AsArray() ?? []);
        var anasRide = anasHistory["splitRides"]!.AsArray().Single()!;
        Assert.Equal((tripId, "Rita", anasShare), (anasRide.Str("tripId"), anasRide.Str("requesterName"), anasRide["share"]!["amountMinor"]!.GetValue<long>()));
        Assert.Empty((await rider.GetOkAsync("/api/trips?limit=20"))["splitRides"]?.AsArray() ?? []);
        var download = await ana.GetOkAsync("/api/auth/me/export");
        Assert.Empty(download["trips"]!.AsArray());
        Assert.Equal(tripId, download["splitRides"]!.AsArray().Single().Str("tripId"));
        Assert.Equal(tripId, (await bob.GetOkAsync("/api/auth/me/export"))["splitRides"]!.AsArray().Single().Str("tripId")); // lapsed, still his data

        // 300 back: Ana's part in proportion to what her card paid, the rest (and the remainder) the rider's.
        var support = await stack.SupportAsync();
        var refund = await support.PostOkAsync($"/api/payments/trips/{tripId}/refunds", new { amountMinor = 300, reason = "the route was too long" });
        var anasPart = 300 * anasShare / fare;
        var parts = refund["parts"]!.AsArray().ToDictionary(p => p.Str("riderId"), p => p!["amountMinor"]!.GetValue<long>());
        Assert.Equal((300L, 300 - anasPart, anasPart), (refund["amountMinor"]!.GetValue<long>(), parts[rider.UserId], parts[ana.UserId]));
        var sessions = (await support.GetOkAsync($"/api/payments/trips/{tripId}/sessions"))["sessions"]!.AsArray();
        Assert.Equal((ridersPart, 300 - anasPart), (sessions.Single(s => s.Str("purpose") == "fare")!["amountMinor"]!.GetValue<long>(),
            sessions.Single(s => s.Str("purpose") == "fare")!["refundedMinor"]!.GetValue<long>()));
        Assert.Equal((ana.UserId, anasPart), (sessions.Single(s => s.Str("purpose") == "split_share").Str("riderId"),
            sessions.Single(s => s.Str("purpose") == "split_share")!["refundedMinor"]!.GetValue<long>()));

        // Each is told what came back to them: on their socket, and by mail.
        var anaHeard = await anaSocket.WaitForAsync("trip.refunded", m => m["data"].Str("tripId") == tripId);
        Assert.Equal(anasPart, anaHeard["data"]!["amountMinor"]!.GetValue<long>());
        var ridersMail = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.StartsWith("UberClone refund:"));
        Assert.Contains(Currencies(300 - anasPart), ridersMail.Subject);
        var anasMail = await stack.Mailbox.WaitForAsync(ana.Email, m => m.Subject.StartsWith("UberClone refund:"));
        Assert.Contains(Currencies(anasPart), anasMail.Subject);
        Assert.Contains("your share of Rita's ride", anasMail.Text);

        // The rider's receipt has their own refund; support's trip has both, Ana's named; Ana's invitation says hers.
        var ridersTrip = await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"]?["refunded"] is not null);
        Assert.Equal(300 - anasPart, ridersTrip["receipt"]!["refunded"]!["amountMinor"]!.GetValue<long>());
        var supportsTrip = await Http.EventuallyAsync(() => support.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"]?["refunds"]?.AsArray().Count == 2);
        Assert.Equal([ana.UserId], supportsTrip["receipt"]!["refunds"]!.AsArray().Select(r => r?["inviteeId"]?.GetValue<string>()).Where(i => !string.IsNullOrEmpty(i)));
        // Support's desk shows the split (ops-trip-split): who was asked, the answers, each share, what came back of it.
        var supportsSplit = supportsTrip["split"]!["invitees"]!.AsArray().ToDictionary(i => i.Str("name"));
        Assert.Equal(("accepted", "paid", anasShare, anasPart), (supportsSplit["Ana Doe"].Str("status"), supportsSplit["Ana Doe"].Str("shareStatus"),
            supportsSplit["Ana Doe"]!["share"]!["amountMinor"]!.GetValue<long>(), supportsSplit["Ana Doe"]!["refunded"]!["amountMinor"]!.GetValue<long>()));
        Assert.Equal("lapsed", supportsSplit["Bob Roe"].Str("status"));
        var invitation = (await ana.GetOkAsync("/api/trips/split-invitations"))["invitations"]![0]!;
        Assert.Equal(anasPart, invitation["refunded"]!["amountMinor"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_invitee_who_deletes_their_account_is_erased_their_accepted_share_falls_to_the_rider_and_the_ride_ends_as_any()
    {
        var client = stack.Client();
        var pickup = Point.FreshCity();
        await using var driver = await OnlineDriver.StartAsync(client, pickup.Offset(40, 0));
        var rider = await client.SignInAsync("rider", "Rita Rossi");
        var ana = await client.SignInAsync("rider", "Ana Doe");
        await CardsOnFileTests.SaveCardAsync(rider, "4242 4242 4242 4242");
        await CardsOnFileTests.SaveCardAsync(ana, "5555 5555 5555 4444");
        await Rides.ConfirmEmailAsync(ana, stack.Mailbox);
        var tripId = (await rider.RequestTripAsync(pickup, pickup.Offset(-2_500, 1_500))).Str("tripId");
        await driver.OfferAsync(tripId);
        await driver.AcceptAsync(tripId);
        var pin = (await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => !string.IsNullOrEmpty((string?)t["pin"]))).Str("pin");
        await driver.PostAsync($"/api/trips/{tripId}/arrive", new { location = new { lat = pickup.Lat, lng = pickup.Lng } }).OkAsync();
        await driver.PostAsync($"/api/trips/{tripId}/start", new { pin }).OkAsync();
        await rider.PostOkAsync($"/api/trips/{tripId}/split", new { email = ana.Email });
        await ana.PostOkAsync($"/api/trips/{tripId}/split/answer", new { accept = true, cardId = (await ana.GetOkAsync("/api/payments/cards"))["cards"]![0].Str("id") });

        // Ana leaves UberClone while riding along: once erased, her share is declined and nobody charges a card that is gone.
        await ana.PostAsync("/api/auth/me/delete", new { password = ana.Password }).OkAsync();
        await stack.Mailbox.WaitForAsync(ana.Email, m => m.Subject == "Your UberClone account was deleted", LifecycleStackFixture.DeletionGrace * 4);
        await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["split"]!["invitees"]![0].Str("status") == "declined");

        var fare = (await driver.PostAsync($"/api/trips/{tripId}/complete", new { }).OkAsync())["receipt"]!["amountDue"]!["amountMinor"]!.GetValue<long>();
        var paid = await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid");
        Assert.Equal("Ana Doe", paid["split"]!["invitees"]![0].Str("name")); // as the rider's receipt showed her
        var sessions = (await (await stack.SupportAsync()).GetOkAsync($"/api/payments/trips/{tripId}/sessions"))["sessions"]!.AsArray();
        Assert.Equal(fare, sessions.Single(s => s.Str("purpose") == "fare")!["amountMinor"]!.GetValue<long>());
        Assert.DoesNotContain(sessions, s => s.Str("purpose") == "split_share");
    }

    private static string Currencies(long amountMinor) => (amountMinor / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
}
