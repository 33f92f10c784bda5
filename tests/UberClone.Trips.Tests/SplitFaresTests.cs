using UberClone.Storage;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;

namespace UberClone.Trips.Tests;

/// <summary>
/// Split fare's use cases (ADR 0040) against a real SQLite store: an invitee finds their invitations, answers with a card
/// payments checked, the apps are told of each change, the fare's payment names the shares and a share's outcome is kept.
/// </summary>
public sealed class SplitFaresTests : IDisposable
{
    private readonly TripsDatabaseFile _file = new();
    private readonly TripRepository _repository;
    private readonly CardChecks _cards = new();
    private readonly SplitFares _splits;

    public SplitFaresTests()
    {
        _repository = new TripRepository(_file.Database);
        _splits = new SplitFares(_repository, _cards, new Clock());
    }

    public void Dispose() => _file.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class Clock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => TestTrips.Now.AddMinutes(6);
    }

    private Task<List<TripSplitChangedIntegrationEvent>> ToldAsync() => _file.PublishedAsync<TripSplitChangedIntegrationEvent>(Topics.TripSplitChanged);

    [Fact]
    public async Task An_invitee_finds_the_invitation_and_accepts_with_a_card_payments_checked()
    {
        await _repository.Trips.InsertAsync("t1", TestTrips.InProgress(), ct: Ct);
        await _repository.Trips.InsertAsync("t2", TestTrips.InProgress("t2"), ct: Ct);

        await _splits.InviteAsync("r1", "t1", "ana", "Ana Doe", "Max Mustermann", Ct);
        await _splits.InviteAsync("r1", "t2", "ana", "Ana Doe", "Max Mustermann", Ct);
        await _splits.WithdrawAsync("r1", "t2", "ana", Ct);

        var invitations = await _splits.InvitationsAsync("ana", 20, Ct);
        Assert.Equal(["t1"], invitations.Select(t => t.Id));
        Assert.Empty(await _splits.InvitationsAsync("bob", 20, Ct));
        await Assert.ThrowsAsync<TripNotFoundException>(() => _splits.AnswerAsync("bob", "t1", accept: false, null, Ct));
        await Assert.ThrowsAsync<TripNotFoundException>(() => _splits.InviteAsync("r2", "t1", "bob", "Bob", "Eve", Ct));

        await Assert.ThrowsAsync<TripRuleException>(() => _splits.AnswerAsync("ana", "t1", accept: true, "card_bob", Ct));
        Assert.Equal(SplitInvitationStatus.Invited, (await _repository.Trips.GetAsync("t1", Ct))!.Document.Split.Invitations[0].Status);
        var accepted = await _splits.AnswerAsync("ana", "t1", accept: true, "card_ok", Ct);

        Assert.Equal((SplitInvitationStatus.Accepted, "card_ok"), (accepted.Split.Invitations[0].Status, accepted.Split.Invitations[0].CardId));
        Assert.Equal([("ana", "card_bob"), ("ana", "card_ok")], _cards.Checked);
        var told = await ToldAsync();
        Assert.Equal(4, told.Count); // two invitations, a withdrawal, an answer; a refused answer tells nothing
        Assert.All(told, t => Assert.Equal(["ana"], t.InviteeIds));
    }

    [Fact]
    public void The_end_of_a_trip_tells_the_rider_and_every_invitee_and_nothing_when_nobody_was_asked()
    {
        var asked = (TestTrips.InProgress() with { Status = TripStatus.DriverAssigned }).InviteToSplit("r1", "ana", "Ana Doe", "Max", TestTrips.Now).CancelBySupport("car broke down", TestTrips.Now);

        var told = Assert.Single(SplitFares.Told(asked, TestTrips.Now));
        Assert.Equal(Topics.TripSplitChanged, told.Topic);
        Assert.Contains("\"inviteeIds\":[\"ana\"]", told.Value);
        Assert.Empty(SplitFares.Told((TestTrips.InProgress() with { Status = TripStatus.DriverAssigned }).CancelBySupport("car broke down", TestTrips.Now), TestTrips.Now));
    }

    [Fact]
    public async Task The_fares_payment_names_the_accepted_shares_and_a_shares_outcome_is_kept_once()
    {
        var ended = TestTrips.InProgress()
            .InviteToSplit("r1", "ana", "Ana Doe", "Max", TestTrips.Now).InviteToSplit("r1", "bob", "Bob", "Max", TestTrips.Now)
            .AnswerSplitInvitation("ana", accept: true, "card_a", TestTrips.Now)
            .Complete("d1", TestTrips.Rules, TestTrips.Now.AddMinutes(20));
        await _repository.Trips.InsertAsync("t1", ended, ct: Ct);

        var command = TripsApplication.PaymentRequest(ended);
        var charged = new PaymentSplitShareChargedIntegrationEvent("ps_t1_split_ana", "t1", "ana", 750, "USD", Paid: false, null, "card_declined", TestTrips.Now);
        await _splits.ShareChargedAsync(charged, Ct);
        await _splits.ShareChargedAsync(charged with { Paid = true, DeclineCode = null }, Ct);

        var sent = System.Text.Json.JsonSerializer.Deserialize<PaymentCreateSessionCommand>(
            System.Text.Json.Nodes.JsonNode.Parse(command.Value)!["data"]!, UberClone.Storage.StorageJson.Options)!;
        Assert.Equal((1500L, PaymentPurposes.Fare), (sent.AmountMinor, sent.Purpose));
        Assert.Equal([new SplitShare("ana", "card_a", 750)], sent.Splits);
        var trip = (await _repository.Trips.GetAsync("t1", Ct))!.Document;
        Assert.Equal((SplitShareStatus.Declined, 1500L), (trip.Split.Invitations[0].ShareStatus, trip.Split.RequesterPaysMinor));
        Assert.Single(await ToldAsync());
    }

    [Fact]
    public async Task An_invitees_history_has_the_rides_they_paid_a_share_of_and_their_download_every_ride_they_were_asked_to_split()
    {
        await _repository.Trips.InsertAsync("t1", TestTrips.InProgress(), ct: Ct);
        await _repository.Trips.InsertAsync("t2", TestTrips.InProgress("t2"), ct: Ct);
        await _splits.InviteAsync("r1", "t1", "ana", "Ana Doe", "Max Mustermann", Ct);
        await _splits.InviteAsync("r1", "t2", "ana", "Ana Doe", "Max Mustermann", Ct);
        await _splits.AnswerAsync("ana", "t1", accept: true, "card_ok", Ct);
        await _repository.Trips.UpdateAsync("t1", t => t.Complete("d1", TestTrips.Rules, TestTrips.Now.AddMinutes(20)), ct: Ct);
        Assert.Empty(await _splits.PaidSharesAsync("ana", 20, Ct)); // not charged yet

        await _splits.ShareChargedAsync(new PaymentSplitShareChargedIntegrationEvent("ps_t1_split_ana", "t1", "ana", 750, "USD", Paid: true, "Visa •••• 4242", null, TestTrips.Now), Ct);

        Assert.Equal(["t1"], (await _splits.PaidSharesAsync("ana", 20, Ct)).Select(t => t.Id));
        Assert.Empty(await _splits.PaidSharesAsync("r1", 20, Ct));
        var downloaded = new List<string>();
        await foreach (var trip in _splits.AllInvitationsAsync("ana", Ct)) downloaded.Add(trip.Id);
        Assert.Equal(["t1", "t2"], downloaded.Order());
    }

    [Fact]
    public async Task An_erased_invitees_standing_invitation_is_declined_and_their_pointers_go_an_erased_requester_keeps_a_first_name()
    {
        await _repository.Trips.InsertAsync("t1", TestTrips.InProgress(), ct: Ct);
        await _splits.InviteAsync("r1", "t1", "ana", "Ana Doe", "Max Mustermann", Ct);
        await _splits.InviteAsync("r1", "t1", "bob", "Bob Roe", "Max Mustermann", Ct);
        await _splits.AnswerAsync("ana", "t1", accept: true, "card_ok", Ct);

        await _splits.ForgetRiderAsync("ana", Ct);
        await _splits.ForgetRiderAsync("ana", Ct);

        var trip = (await _repository.Trips.GetAsync("t1", Ct))!.Document;
        Assert.Equal((SplitInvitationStatus.Declined, null, "Ana Doe"), (trip.Split.Invitations[0].Status, trip.Split.Invitations[0].CardId, trip.Split.Invitations[0].Name));
        Assert.Empty(await _splits.InvitationsAsync("ana", 20, Ct));
        Assert.Equal(SplitInvitationStatus.Invited, trip.Split.Invitations[1].Status);
        // The ride ends: nothing is charged to the erased account.
        Assert.DoesNotContain("ana", System.Text.Json.Nodes.JsonNode.Parse(TripsApplication.PaymentRequest(trip.Complete("d1", TestTrips.Rules, TestTrips.Now.AddMinutes(20))).Value)!["data"]!.ToJsonString());

        await _splits.ForgetRiderAsync("r1", Ct);
        Assert.Equal("Max", (await _repository.Trips.GetAsync("t1", Ct))!.Document.Split.RequesterName);
        Assert.Equal("Max", (await _splits.InvitationsAsync("bob", 20, Ct)).Single().Split.RequesterName);
    }
}
