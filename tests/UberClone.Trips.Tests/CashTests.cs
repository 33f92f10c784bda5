using System.Globalization;
using Microsoft.Extensions.Configuration;
using UberClone.Contracts;
using UberClone.Contracts.IntegrationEvents;
using UberClone.Messaging;
using UberClone.Storage;
using UberClone.Trips.Application;
using UberClone.Trips.Domain;
using UberClone.Trips.Pricing;
using UberClone.Trips.Promotions;

using static UberClone.Trips.Tests.TestPricing;

namespace UberClone.Trips.Tests;

/// <summary>
/// Paying in cash (ADR 0042): only where the pickup's prices take cash and not for a business ride; when the ride ends
/// payments is told it was paid in cash, and the driver's ledger owes the platform its part of the fare.
/// </summary>
public sealed class CashTests : IDisposable
{
    private static readonly DateTimeOffset Now = TestTrips.Now;
    private static readonly GeoPoint Mitte = new(52.52, 13.40);

    private readonly TripsDatabaseFile _file = new();
    private readonly TripRepository _repository;

    public CashTests() => _repository = new TripRepository(_file.Database);

    public void Dispose() => _file.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>TestTrips' quote (a fare of 1,500 with a 200 booking fee), taking cash or not.</summary>
    private static Quote QuoteTakingCash(bool cashAccepted)
    {
        var breakdown = new FareBreakdown(250, 700, 350, 0, 0, 200);
        return new Quote
        {
            Id = "qt1", RiderId = "r1", Pickup = Mitte, Dropoff = new GeoPoint(52.50, 13.45), DistanceMeters = 5_000, DurationSeconds = 600,
            CashAccepted = cashAccepted, CreatedAt = Now, ExpiresAt = Now.AddMinutes(10),
            Options = [new QuoteOption("economy", breakdown.TotalMinor, "USD", 1.0, breakdown)],
        };
    }

    private static Trip InCash(TripPromotion? promotion = null)
    {
        var quote = QuoteTakingCash(true);
        return Trip.Request("t1", "r1", quote, quote.Options[0], "4321", Now, payInCash: true) with { Promotion = promotion };
    }

    private static Trip Completed(Trip requested) => requested.AssignDriver("d1", null, Now.AddSeconds(10))
        .Arrive("d1", new GeoPoint(52.5201, 13.40), TestTrips.Rules, Now.AddMinutes(3))
        .Start("d1", "4321", Now.AddMinutes(4), out _)
        .Complete("d1", TestTrips.Rules, Now.AddMinutes(20));

    private static PaymentCreateSessionCommand Asked(Trip trip) =>
        System.Text.Json.JsonSerializer.Deserialize<MessageEnvelope<PaymentCreateSessionCommand>>(TripsApplication.PaymentRequest(trip).Value, MessageEnvelope.SerializerOptions)!.Data;

    [Fact]
    public void Cash_is_taken_where_the_pickups_prices_say_so_and_an_area_never_falls_back_to_the_defaults()
    {
        Assert.False(new PricingOptions().At(Mitte)!.CashAccepted);

        var options = Bound([("Pricing:CashAccepted", "true"), .. TokyoArea]);
        Assert.True(options.At(Mitte)!.CashAccepted);
        Assert.False(options.At(Tokyo)!.CashAccepted);
        Assert.True(Bound([.. TokyoArea, ("Pricing:Areas:0:CashAccepted", "true")]).At(Tokyo)!.CashAccepted);
    }

    [Fact]
    public void A_ride_in_cash_is_refused_where_cash_is_not_taken_and_for_a_business_ride_naming_the_field()
    {
        var noCash = QuoteTakingCash(false);
        var refused = Assert.Throws<TripRuleException>(() => Trip.Request("t1", "r1", noCash, noCash.Options[0], "4321", Now, payInCash: true));
        Assert.Equal("payInCash: cash is not accepted on rides picked up here; pay with a card.", refused.Message);
        Assert.Throws<TripRuleException>(() => Trip.Reserve("t2", "r1", noCash, noCash.Options[0], "4321", Now.AddHours(2), TestTrips.Rules, Now, payInCash: true));

        var cash = QuoteTakingCash(true);
        Assert.Equal(Trip.CashNotForBusiness, Trip.CashRefusal(true, cash, new RideProfile(RideProfile.Business, "client visit")));
        Assert.StartsWith("payInCash:", Trip.CashNotForBusiness);
        Assert.Null(Trip.CashRefusal(true, cash, RideProfile.PersonalRide));
        Assert.Null(Trip.CashRefusal(false, noCash, RideProfile.PersonalRide));
        Assert.True(InCash().PayInCash);
        Assert.False(Trip.Request("t1", "r1", cash, cash.Options[0], "4321", Now).PayInCash);
    }

    [Fact]
    public void When_the_ride_ends_payments_is_told_the_fare_was_paid_in_cash_but_a_tip_after_it_is_paid_in_the_app()
    {
        var done = Completed(InCash());
        var fare = Asked(done);
        Assert.Equal((1_500L, PaymentPurposes.Fare, PaymentCollection.Cash, (string?)null), (fare.AmountMinor, fare.Purpose, fare.Method, fare.CardId));

        var tipped = done.MarkPaid(1_500, Now.AddMinutes(20), "ps_t1_1", PaymentCollection.Cash).AddTip("r1", 300, TestTrips.Rules, Now.AddMinutes(21));
        var tip = Asked(tipped);
        Assert.Equal((300L, PaymentPurposes.Tip, (string?)null), (tip.AmountMinor, tip.Purpose, tip.Method));
        // A ride paid by card is asked as always.
        Assert.Null(Asked(TestTrips.Completed()).Method);
    }

    [Fact]
    public void A_late_cancellations_fee_on_a_ride_in_cash_is_charged_as_for_a_rider_without_a_hold()
    {
        var assigned = InCash().AssignDriver("d1", null, Now.AddSeconds(10));
        var cancelled = assigned.CancelByRider("r1", "changed my mind", TestTrips.Rules, Now.AddMinutes(30));

        var fee = Asked(cancelled);
        Assert.Equal((TestTrips.Rules.CancellationFeeMinor, PaymentPurposes.CancellationFee, (string?)null), (fee.AmountMinor, fee.Purpose, fee.Method));
        Assert.Equal(0, cancelled.DriverEarnings!.CashCollectedMinor);
    }

    [Fact]
    public void The_driver_collected_the_fare_so_the_ledger_owes_the_platform_its_part_and_a_tip_is_the_drivers()
    {
        var (done, first) = Completed(InCash()).PublishEarnings();

        // 1,500 collected; the driver earns 975 (25 % of 1,300 after the 200 booking fee is the service fee): owes 525.
        Assert.Equal((975L, 1_500L, -525L), (done.DriverEarnings!.EarningsMinor, done.DriverEarnings.CashCollectedMinor, done.DriverEarnings.OwedMinor));
        Assert.Equal(new EarningsPublication("d1", -525, 0, 1, DriverEarnings.CashCollected), first);
        Assert.Null(done.PublishEarnings().Change);

        var (_, tip) = done.MarkPaid(1_500, Now.AddMinutes(20), "ps_t1_1", PaymentCollection.Cash).AddTip("r1", 300, TestTrips.Rules, Now.AddMinutes(21))
            .MarkTipPaid(2, Now.AddMinutes(22)).PublishEarnings();
        Assert.Equal(new EarningsPublication("d1", -225, -525, 2, DriverEarnings.Fare), tip);
    }

    [Fact]
    public void With_a_promotion_the_driver_collects_what_the_rider_pays_and_still_earns_on_the_whole_fare()
    {
        var half = new TripPromotion("HALF", new PromotionTerms(50, 0, null, "USD"));
        var done = Completed(InCash(half));

        Assert.Equal(done.FareMinor - done.DiscountMinor, done.DriverEarnings!.CashCollectedMinor);
        Assert.Equal(975, done.DriverEarnings.EarningsMinor);
        Assert.Equal(done.AmountDueMinor, Asked(done).AmountMinor);
    }

    [Fact]
    public async Task The_completion_of_a_ride_in_cash_is_one_cash_collected_line_for_payments()
    {
        var riding = InCash().AssignDriver("d1", null, Now.AddSeconds(10))
            .Arrive("d1", new GeoPoint(52.5201, 13.40), TestTrips.Rules, Now.AddMinutes(3)).Start("d1", "4321", Now.AddMinutes(4), out _);
        await _repository.Trips.InsertAsync("t1", riding, ct: Ct);
        await _repository.Trips.UpdateAsync("t1", t => t.Complete("d1", TestTrips.Rules, Now.AddMinutes(20)), ct: Ct);
        await _repository.Trips.UpdateAsync("t1", t => t.MarkPaid(1_500, Now.AddMinutes(20), "ps_t1_1", PaymentCollection.Cash), ct: Ct);

        var line = Assert.Single(await _file.PublishedAsync<TripEarningsChangedIntegrationEvent>(Topics.TripEarningsChanged));
        Assert.Equal((DriverEarnings.CashCollected, -525L, 1), (line.Kind, line.ChangeMinor, line.Revision));
        Assert.Equal(PaymentCollection.Cash, (await _repository.Trips.GetAsync("t1", Ct))!.Document.PaidWith);
    }

    [Fact]
    public void A_ride_in_cash_is_not_split_has_no_card_to_change_and_does_not_become_a_business_ride()
    {
        var riding = InCash().AssignDriver("d1", null, Now.AddSeconds(10));
        Assert.Contains("paid in cash", Assert.Throws<SplitFareClosedException>(() => riding.InviteToSplit("r1", "r2", "Ana", "Bo", Now.AddMinutes(1))).Message);
        Assert.Throws<TripTransitionException>(() => riding.EnsureCardMayChange("r1"));

        var done = Completed(InCash());
        Assert.Throws<RideProfileClosedException>(() => done.SwitchProfile("r1", new RideProfile(RideProfile.Business, "client"), Now.AddHours(1)));
    }
}
