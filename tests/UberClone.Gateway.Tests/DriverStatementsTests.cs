using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using UberClone.Contracts.Common;
using UberClone.Contracts.Identity;
using UberClone.Contracts.Trips;
using UberClone.Gateway.Accounts;
using UberClone.Gateway.DriverMail;
using UberClone.Gateway.Mail;
using UberClone.Storage;

namespace UberClone.Gateway.Tests;

/// <summary>
/// Drivers' weekly earnings statements: the week in the driver's time zone, the mail's text (no I/O), and the Monday
/// job over the gateway's accounts with trips' earnings faked: each driver's week once, only to confirmed emails,
/// nothing for a week without earnings.
/// </summary>
public sealed class DriverStatementsTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public void A_week_runs_monday_to_monday_in_the_drivers_zone_and_is_due_monday_at_six()
    {
        var week = StatementWeek.Containing(new DateOnly(2026, 12, 3), Berlin); // a Thursday
        Assert.Equal(new DateOnly(2026, 11, 30), week.Monday);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.FromHours(1)), week.From);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.FromHours(1)), week.To);
        Assert.Equal(new DateOnly(2026, 11, 30), StatementWeek.Containing(new DateOnly(2026, 11, 30), Berlin).Monday);
        Assert.Equal(new DateOnly(2026, 11, 30), StatementWeek.Containing(new DateOnly(2026, 12, 6), null).Monday);

        // Monday 7 Dec, 05:59 in Berlin: last week's statement is not due yet (the one before it is); at 06:00 it is.
        Assert.Equal(new DateOnly(2026, 11, 23), StatementWeek.LastDue(new DateTimeOffset(2026, 12, 7, 4, 59, 0, TimeSpan.Zero), Berlin).Monday);
        Assert.Equal(new DateOnly(2026, 11, 30), StatementWeek.LastDue(new DateTimeOffset(2026, 12, 7, 5, 0, 0, TimeSpan.Zero), Berlin).Monday);
        // The same instant is still Sunday night in New York: its week before last.
        Assert.Equal(new DateOnly(2026, 11, 23), StatementWeek.LastDue(new DateTimeOffset(2026, 12, 7, 5, 0, 0, TimeSpan.Zero), TimeZoneInfo.FindSystemTimeZoneById("America/New_York")).Monday);

        // The week the clocks go forward is an hour short.
        var spring = StatementWeek.Containing(new DateOnly(2027, 3, 28), Berlin);
        Assert.Equal(TimeSpan.FromHours(167), spring.To - spring.From);
    }

    [Fact]
    public void A_statement_sums_the_week_per_part_and_day_by_day_in_the_drivers_zone()
    {
        var week = StatementWeek.Containing(new DateOnly(2026, 12, 3), Berlin);
        var mail = StatementMails.Weekly("dan@example.com", "Dan", week, Summary(
            Earned("2026-11-30T23:30:00Z", amount: 2_000, booking: 200, service: 450, tip: 300, earned: 1_650), // Tue 1 Dec in Berlin
            Earned("2026-12-01T08:00:00Z", amount: 1_000, booking: 200, service: 200, adjustment: 100, earned: 500),
            Earned("2026-12-05T12:00:00Z", amount: 500, booking: 0, service: 125, earned: 375, kind: "cancellation_fee")))!;

        Assert.Equal(("dan@example.com", "driver-statement"), (mail.To, mail.Kind));
        Assert.Equal("Your UberClone week: €25.25 from 2 trips (30 Nov – 6 Dec 2026)", mail.Subject);
        Assert.Equal(
            """
            Hello Dan,

            Here is what you earned driving with UberClone from Monday 30 November to Sunday 6 December 2026 (Europe/Berlin).

            Riders paid                       €35.00
            Fare adjustments                  -€1.00
            Booking fees                      -€4.00
            Service fee (25 %)                -€7.75
            Tips (all yours)                  +€3.00
            ----------------------------------------
            You earned                        €25.25

            Day by day:

            Tue 1 Dec (2 trips)               €21.50
            Sat 5 Dec (1 trip)                 €3.75

            2 trips completed. 1 late cancellation paid you a fee; it is counted above. Each trip's receipt, with what you earned from it, is in the app under "Your trips".

            """.ReplaceLineEndings(), mail.Body.ReplaceLineEndings());

        var soFar = StatementMails.Weekly("dan@example.com", "Dan", week, Summary(Earned("2026-12-01T08:00:00Z", 1_000, 200, 200, earned: 600)),
            until: new DateTimeOffset(2026, 12, 3, 17, 30, 0, TimeSpan.Zero))!;
        Assert.StartsWith("Your UberClone week so far: €6.00 from 1 trip", soFar.Subject);
        Assert.Contains("this week so far, from Monday 30 November until Thursday 3 December, 18:30 (Europe/Berlin).", soFar.Body);

        Assert.Null(StatementMails.Weekly("dan@example.com", "Dan", week, new EarningsSummary()));
    }

    [Fact]
    public void An_airports_fee_riders_paid_is_taken_off_as_passed_on_so_the_rows_still_add_up()
    {
        var week = StatementWeek.Containing(new DateOnly(2026, 12, 3), Berlin);
        var toTheAirport = Earned("2026-12-01T08:00:00Z", amount: 2_500, booking: 200, service: 450, earned: 1_350);
        toTheAirport.Earnings.PlaceFees = Eur(500);

        var mail = StatementMails.Weekly("dan@example.com", "Dan", week, Summary(toTheAirport))!;

        Assert.Contains("""
            Riders paid                       €25.00
            Booking fees                      -€2.00
            Place fees (passed on)            -€5.00
            Service fee (25 %)                -€4.50
            ----------------------------------------
            You earned                        €13.50
            """.ReplaceLineEndings(), mail.Body.ReplaceLineEndings());
    }

    [Fact]
    public void A_lost_items_return_fee_the_driver_earned_is_a_line_of_its_own_so_the_rows_still_add_up()
    {
        var week = StatementWeek.Containing(new DateOnly(2026, 12, 3), Berlin);
        // The rider paid a 15.00 return fee; support gave 5.00 of it back: the driver earned 10.00 of it, on top of the ride.
        var returned = Earned("2026-12-01T08:00:00Z", amount: 1_000, booking: 200, service: 200, earned: 1_600);
        returned.Earnings.ItemReturn = Eur(1_000);

        var mail = StatementMails.Weekly("dan@example.com", "Dan", week, Summary(returned, Earned("2026-12-02T08:00:00Z", amount: 1_000, booking: 200, service: 200, earned: 600)))!;

        Assert.Contains("""
            Riders paid                       €20.00
            Booking fees                      -€4.00
            Service fee (25 %)                -€4.00
            Lost item returns (all yours)    +€10.00
            ----------------------------------------
            You earned                        €22.00
            """.ReplaceLineEndings(), mail.Body.ReplaceLineEndings());
        Assert.DoesNotContain("Lost item", StatementMails.Weekly("dan@example.com", "Dan", week, Summary(Earned("2026-12-02T08:00:00Z", 1_000, 200, 200, earned: 600)))!.Body);
    }

    [Fact]
    public void A_quest_bonus_is_a_line_of_its_own_in_what_was_earned_and_in_its_days_total()
    {
        var week = StatementWeek.Containing(new DateOnly(2026, 12, 3), Berlin);
        var summary = Summary(Earned("2026-12-01T08:00:00Z", amount: 1_000, booking: 200, service: 200, earned: 600));
        summary.QuestBonuses.Add(new QuestBonus { QuestId = "q1", Name = "Weekend rush", Bonus = Eur(4_500), EarnedAt = "2026-12-01T08:00:00Z", TripId = "t2", Target = 2 });
        summary.Totals[0].AmountMinor += 4_500; // trips' totals count the bonus

        var mail = StatementMails.Weekly("dan@example.com", "Dan", week, summary)!;

        Assert.Equal("Your UberClone week: €51.00 from 1 trip (30 Nov – 6 Dec 2026)", mail.Subject);
        Assert.Contains("Quest bonus: Weekend rush        +€45.00", mail.Body);
        Assert.Contains("You earned                        €51.00", mail.Body);
        Assert.Contains("Tue 1 Dec (1 trip)                €51.00", mail.Body);

        // A week with a bonus and no trip (its rides counted the week before) is still a statement.
        var bonusOnly = new EarningsSummary();
        bonusOnly.QuestBonuses.Add(summary.QuestBonuses[0]);
        bonusOnly.Totals.Add(Eur(4_500));
        Assert.Contains("You earned                        €45.00", StatementMails.Weekly("dan@example.com", "Dan", week, bonusOnly)!.Body);
    }

    [Fact]
    public async Task On_monday_morning_each_confirmed_driver_who_earned_gets_last_weeks_statement_once()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gateway = new MailGatewayFactory(); // mail goes over SMTP to a mailbox the test reads
        var store = gateway.Services.GetRequiredService<AccountStore>();
        var earner = await DriverAsync(gateway, store, confirmed: true, zone: "Europe/Berlin");
        var idle = await DriverAsync(gateway, store, confirmed: true, zone: null);
        var unconfirmed = await DriverAsync(gateway, store, confirmed: false, zone: null);
        var optedOut = await DriverAsync(gateway, store, confirmed: true, zone: null);
        await store.Accounts.UpdateAsync(optedOut, a => a with { MailOptOuts = ["statements"] }, ct: ct);
        var trips = new FakeTrips { [earner] = Summary(Earned("2026-12-01T08:00:00Z", 1_000, 200, 200, earned: 600)) };
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 5, 30, 0, TimeSpan.Zero)); // 06:30 in Berlin, 05:30 UTC
        var statements = new DriverStatements(store, gateway.Services.GetRequiredService<IDocumentDatabase>(), trips,
            gateway.Services.GetRequiredService<MailOutbox>(), gateway.Services.GetRequiredService<UnsubscribeLinks>(), clock, NullLogger<DriverStatements>.Instance);

        Assert.Equal(1, await statements.SendDueAsync(ct));
        var mail = (await gateway.Services.GetRequiredService<MailOutbox>().ForAccountAsync(earner, 10, ct)).Single(m => m.Document.Kind == "driver-statement");
        Assert.Equal($"driver-statement-{earner}-2026-11-30", mail.Id);
        Assert.StartsWith("Your UberClone week: €6.00 from 1 trip (30 Nov – 6 Dec 2026)", mail.Document.Subject);
        // Asked as each driver, for the week in their zone: Berlin's Monday, UTC's for the driver without a zone
        // (whose week before last is the last one due at 05:30 UTC: its Monday 06:00 has not come).
        Assert.Contains((earner, "2026-11-30T00:00:00.0000000+01:00", "2026-12-07T00:00:00.0000000+01:00"), trips.Asked);
        Assert.Contains((idle, "2026-11-23T00:00:00.0000000+00:00", "2026-11-30T00:00:00.0000000+00:00"), trips.Asked);
        Assert.DoesNotContain(trips.Asked, a => a.DriverId == unconfirmed);
        Assert.DoesNotContain(trips.Asked, a => a.DriverId == optedOut); // turned statements off: not even read
        // The Monday mail says how to stop it (the on-demand one does not: it was asked for), in its text and headers.
        var sent = await gateway.Mailbox.WaitForAsync((await store.Accounts.GetAsync(earner, ct))!.Document.Email, m => m.Subject.StartsWith("Your UberClone week"));
        Assert.Contains("\"Earnings statements and payouts\" is on in your account settings. To stop these mails: http://localhost:3000/unsubscribe?t=", sent.Text);
        Assert.Contains("List-Unsubscribe: <http://localhost:3000/api/mail/unsubscribe?t=", System.Text.RegularExpressions.Regex.Replace(sent.Raw, @"\r\n[ \t]+", " ")); // unfolded
        Assert.False((await statements.Records.GetAsync($"{idle}-2026-11-23", ct))!.Document.Mailed);

        // The next round (another replica, an hour later): every week already dealt with; trips is not asked again.
        var asked = trips.Asked.Count;
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await statements.SendDueAsync(ct));
        Assert.Equal(asked + 1, trips.Asked.Count); // only the UTC driver's week, now due, was read (and is empty)
    }

    private static async Task<string> DriverAsync(GatewayFactory gateway, AccountStore store, bool confirmed, string? zone)
    {
        var body = (await gateway.PostAsync("/api/auth/signup", GatewayFactory.DriverSignUp())).Body;
        var id = body["userId"]!.GetValue<string>();
        var account = (await store.Accounts.GetAsync(id))!;
        await store.Accounts.ReplaceAsync(id, account.Document with { EmailVerifiedAt = confirmed ? DateTimeOffset.UtcNow : null, TimeZone = zone }, account.Version);
        return id;
    }

    [Fact]
    public void Rides_paid_in_cash_add_a_cash_collected_line_saying_what_the_platforms_part_of_it_is()
    {
        var week = StatementWeek.Containing(new DateOnly(2026, 12, 3), Berlin);
        // A 10.00 ride paid in cash: the driver earned 6.00 and holds 10.00, so 4.00 of it is the platform's.
        var inCash = Earned("2026-12-01T08:00:00Z", amount: 1_000, booking: 200, service: 200, earned: 600);
        inCash.Earnings.CashCollected = Eur(1_000);

        var mail = StatementMails.Weekly("dan@example.com", "Dan", week, Summary(inCash, Earned("2026-12-02T08:00:00Z", amount: 1_000, booking: 200, service: 200, earned: 600)))!;

        Assert.Contains("Cash collected  €10.00 from 1 ride paid in cash: you hold it, and the platform's part of it, €4.00, is taken from your payouts.", mail.Body);
        Assert.Contains("You earned                        €12.00", mail.Body);
        Assert.DoesNotContain("Cash collected", StatementMails.Weekly("dan@example.com", "Dan", week, Summary(Earned("2026-12-02T08:00:00Z", 1_000, 200, 200, earned: 600)))!.Body);
    }

    private static EarningsSummary Summary(params EarnedTrip[] items)
    {
        var summary = new EarningsSummary { Trips = items.Count(i => i.Earnings.Kind == "fare"), CancellationFees = items.Count(i => i.Earnings.Kind == "cancellation_fee") };
        summary.Items.AddRange(items);
        summary.Totals.Add(new Money { AmountMinor = items.Sum(i => i.Earnings.Earnings.AmountMinor), Currency = "EUR" });
        return summary;
    }

    private static EarnedTrip Earned(string at, long amount, long booking, long service, long tip = 0, long adjustment = 0, long earned = 0, string kind = "fare") => new()
    {
        TripId = Guid.NewGuid().ToString("N"),
        Earnings = new DriverEarnings
        {
            Kind = kind, EarnedAt = at, ServiceFeePercent = 25,
            Amount = Eur(amount), BookingFee = Eur(booking), ServiceFee = Eur(service), Tip = Eur(tip), FareAdjustment = Eur(adjustment), Earnings = Eur(earned),
        },
    };

    private static Money Eur(long minor) => new() { AmountMinor = minor, Currency = "EUR" };

    /// <summary>Trips' GetEarnings answered from a table by driver (nothing earned for anyone else); records who asked for what.</summary>
    private sealed class FakeTrips : TripService.TripServiceClient
    {
        private readonly Dictionary<string, EarningsSummary> _earned = [];

        public EarningsSummary this[string driverId] { set => _earned[driverId] = value; }

        public List<(string DriverId, string From, string To)> Asked { get; } = [];

        public override AsyncUnaryCall<EarningsSummary> GetEarningsAsync(EarningsRequest request, Metadata headers, DateTime? deadline, CancellationToken cancellationToken)
        {
            var caller = new Caller(headers.GetValue(Caller.UserIdHeader)!, headers.GetValue(Caller.RoleHeader)!);
            Assert.Equal(Roles.Driver, caller.Role);
            lock (Asked) Asked.Add((caller.UserId, request.From, request.To));
            var answer = _earned.GetValueOrDefault(caller.UserId) ?? new EarningsSummary();
            return new AsyncUnaryCall<EarningsSummary>(Task.FromResult(answer), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
        }
    }
}
