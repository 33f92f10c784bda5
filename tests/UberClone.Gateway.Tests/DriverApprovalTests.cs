using UberClone.Gateway.Accounts;

namespace UberClone.Gateway.Tests;

/// <summary>
/// A driver's approval to drive (ADR 0022), without I/O: the documents a driver sends (each field refused by name),
/// support's approval for classes until the first document expires, a refusal that says why, what the driver is told
/// when they may not go online, and the indexed fields the queue and the lapse job read.
/// </summary>
public sealed class DriverApprovalTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);

    private static DriverDocuments Documents(string licence = "2028-01-31", string insurance = "2027-06-30") =>
        DriverDocuments.Parse(" dl-1234567 ", licence, "ins 9876", insurance, 2019, Today).Documents!;

    [Fact]
    public void Documents_are_kept_upper_case_and_valid_until_the_day_after_the_first_expiry()
    {
        var documents = Documents();
        Assert.Equal(("DL-1234567", "INS 9876", 2019), (documents.LicenceNumber, documents.InsurancePolicy, documents.VehicleYear));
        Assert.Equal(new DateTimeOffset(2027, 7, 1, 0, 0, 0, TimeSpan.Zero), documents.ValidUntil);
        Assert.Equal("insurance", documents.FirstToExpire);
        Assert.Equal("driving licence", Documents(licence: "2027-02-01").FirstToExpire);
    }

    [Theory]
    [InlineData(null, "2028-01-31", "ins 9876", "2027-06-30", 2019, "licenceNumber")]
    [InlineData("DL<1>", "2028-01-31", "ins 9876", "2027-06-30", 2019, "licenceNumber")]
    [InlineData("DL-1234567", "31/01/2028", "ins 9876", "2027-06-30", 2019, "licenceExpiresOn")]
    [InlineData("DL-1234567", "2026-12-05", "ins 9876", "2027-06-30", 2019, "licenceExpiresOn")]
    [InlineData("DL-1234567", "2028-01-31", "abc", "2027-06-30", 2019, "insurancePolicy")]
    [InlineData("DL-1234567", "2028-01-31", "ins 9876", "2020-01-01", 2019, "insuranceExpiresOn")]
    [InlineData("DL-1234567", "2028-01-31", "ins 9876", "2027-06-30", 1989, "vehicleYear")]
    [InlineData("DL-1234567", "2028-01-31", "ins 9876", "2027-06-30", 2028, "vehicleYear")]
    [InlineData("DL-1234567", "2028-01-31", "ins 9876", "2027-06-30", null, "vehicleYear")]
    public void Each_bad_field_is_named(string? licence, string? licenceExpiry, string? policy, string? insuranceExpiry, int? year, string field)
    {
        var (documents, errors) = DriverDocuments.Parse(licence, licenceExpiry, policy, insuranceExpiry, year, Today);
        Assert.Null(documents);
        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void A_driver_is_pending_until_support_approves_classes_then_may_drive_those_until_the_documents_expire()
    {
        var sent = new DriverApproval().Submit(Documents(), Now);
        Assert.Equal((ApprovalStatuses.Pending, (DriverPermit?)null), (sent.StatusAt(Now), sent.PermitAt(Now)));
        Assert.Contains("being reviewed", DriverApproval.RefusalToDrive(sent, "economy", Now));

        var approved = sent.Approve(["comfort", "Economy", "comfort"], "ops-1", " papers checked ", Now.AddHours(1));
        Assert.Equal(ApprovalStatuses.Approved, approved.StatusAt(Now.AddHours(1)));
        Assert.Equal(["economy", "comfort"], approved.Permit!.Classes); // in the classes' own order, once each
        Assert.Equal(new ApprovalDecision(ApprovalStatuses.ApprovedOutcome, Now.AddHours(1), "ops-1", "papers checked"), approved.Decision);
        Assert.Null(DriverApproval.RefusalToDrive(approved, "comfort", Now.AddHours(1)));
        Assert.Equal("Your vehicle is approved for economy, comfort: go online in one of those.", DriverApproval.RefusalToDrive(approved, "premium", Now.AddHours(1)));

        // The day after the insurance's last day, it lapsed.
        var lapsed = new DateTimeOffset(2027, 7, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(ApprovalStatuses.Approved, approved.StatusAt(lapsed.AddTicks(-1)));
        Assert.Equal((ApprovalStatuses.Expired, (DriverPermit?)null), (approved.StatusAt(lapsed), approved.PermitAt(lapsed)));
        Assert.Contains("ended on 2027-06-30", DriverApproval.RefusalToDrive(approved, "economy", lapsed));
    }

    [Fact]
    public void New_documents_wait_for_review_while_the_permit_given_before_still_counts_and_a_refusal_keeps_it()
    {
        var approved = new DriverApproval().Submit(Documents(), Now).Approve(["economy"], "ops-1", null, Now);
        var renewed = approved.Submit(Documents(insurance: "2028-06-30"), Now.AddDays(100));
        Assert.Equal(ApprovalStatuses.Pending, renewed.StatusAt(Now.AddDays(100)));
        Assert.Null(DriverApproval.RefusalToDrive(renewed, "economy", Now.AddDays(100)));

        var refused = renewed.Reject("  The insurance scan is unreadable.  ", "ops-2", Now.AddDays(101));
        Assert.Equal(ApprovalStatuses.Rejected, refused.StatusAt(Now.AddDays(101)));
        Assert.Equal("The insurance scan is unreadable.", refused.Decision!.Reason);
        Assert.Equal(approved.Permit, refused.PermitAt(Now.AddDays(101)));
        Assert.Null(DriverApproval.RefusalToDrive(refused, "economy", Now.AddDays(101)));

        var neverApproved = new DriverApproval().Submit(Documents(), Now).Reject("Licence photo missing.", "ops-1", Now);
        Assert.Equal("Support could not approve your documents: Licence photo missing. Send corrected documents to drive.",
            DriverApproval.RefusalToDrive(neverApproved, "economy", Now));
    }

    [Fact]
    public void Support_cannot_decide_without_documents_waiting_classes_a_reason_or_with_an_expired_document()
    {
        Assert.Contains("No documents", Assert.Throws<ApprovalException>(() => new DriverApproval().Approve(["economy"], "o", null, Now)).Message);
        var sent = new DriverApproval().Submit(Documents(), Now);
        Assert.Contains("No documents", Assert.Throws<ApprovalException>(() => sent.Approve(["xl"], "o", null, Now).Reject("again", "o", Now)).Message);
        Assert.StartsWith("classes:", Assert.Throws<ApprovalException>(() => sent.Approve([], "o", null, Now)).Message);
        Assert.Contains("'rocket'", Assert.Throws<ApprovalException>(() => sent.Approve(["economy", "rocket"], "o", null, Now)).Message);
        Assert.StartsWith("reason:", Assert.Throws<ApprovalException>(() => sent.Reject("  ", "o", Now)).Message);
        Assert.StartsWith("reason:", Assert.Throws<ApprovalException>(() => sent.Reject(new string('x', 501), "o", Now)).Message);
        Assert.Contains("insurance expired while it waited", Assert.Throws<ApprovalException>(() => sent.Approve(["economy"], "o", null, new DateTimeOffset(2027, 7, 1, 0, 0, 0, TimeSpan.Zero))).Message);
    }

    [Fact]
    public void A_driver_who_sent_nothing_is_told_to_send_documents()
    {
        Assert.Equal(ApprovalStatuses.None, new DriverApproval().StatusAt(Now));
        Assert.Contains("not approved yet", DriverApproval.RefusalToDrive(null, "economy", Now));
    }

    [Fact]
    public void The_account_indexes_the_review_queue_and_the_permit_lapse_and_forgets_both_when_erased()
    {
        var account = new Account("d1", "d@example.com", "driver", "Dan", "", null, Now);
        var waiting = account.WithApproval(new DriverApproval().Submit(Documents(), Now));
        Assert.Equal((Now.ToUnixTimeMilliseconds(), (long?)null), (waiting.ReviewSinceMs, waiting.PermitUntilMs));
        var approved = waiting.WithApproval(waiting.Approval!.Approve(["economy"], "o", null, Now));
        Assert.Equal(((long?)null, new DateTimeOffset(2027, 7, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds()), (approved.ReviewSinceMs, approved.PermitUntilMs));
        Assert.Equal(new DateTimeOffset(2027, 6, 17, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), approved.PermitReminderMs); // two weeks before
        var reminded = approved with { PermitReminderMs = null };
        Assert.Null(reminded.WithApproval(reminded.Approval!.Submit(Documents(), Now)).PermitReminderMs); // the same permit: not again
        var erased = approved.Erased(Now);
        Assert.Equal(((DriverApproval?)null, (long?)null, (long?)null, (long?)null), (erased.Approval, erased.ReviewSinceMs, erased.PermitUntilMs, erased.PermitReminderMs));
    }

    [Fact]
    public void Trips_is_told_the_classes_of_the_permit_valid_now_for_a_drivers_quests_and_none_without_one()
    {
        var account = new Account("d1", "d@example.com", "driver", "Dan", "", null, Now);
        Assert.Equal("", UberClone.Gateway.Proxy.DriverClasses.Of(account, Now));
        Assert.Equal("", UberClone.Gateway.Proxy.DriverClasses.Of(null, Now));
        var approved = account.WithApproval(new DriverApproval().Submit(Documents(), Now).Approve(["premium", "economy"], "o", null, Now));
        Assert.Equal("economy,premium", UberClone.Gateway.Proxy.DriverClasses.Of(approved, Now));
        Assert.Equal("", UberClone.Gateway.Proxy.DriverClasses.Of(approved, new DateTimeOffset(2027, 7, 1, 0, 0, 0, TimeSpan.Zero))); // lapsed
        Assert.True(UberClone.Gateway.Proxy.DriverClasses.AreNeededFor("/api/trips/quests/"));
        Assert.False(UberClone.Gateway.Proxy.DriverClasses.AreNeededFor("/api/trips/ops/quests"));
        // Rides for later (ADR 0047): the listing and reserving one need the classes; releasing it does not.
        Assert.True(UberClone.Gateway.Proxy.DriverClasses.AreNeededFor("/api/trips/reservable"));
        Assert.True(UberClone.Gateway.Proxy.DriverClasses.AreNeededFor("/api/trips/abc123/reservation"));
        Assert.False(UberClone.Gateway.Proxy.DriverClasses.AreNeededFor("/api/trips/abc123/reservation/release"));
        Assert.False(UberClone.Gateway.Proxy.DriverClasses.AreNeededFor("/api/trips/reservations"));
    }

    [Fact]
    public void Support_narrows_a_permit_to_fewer_classes_or_takes_it_away_saying_why_and_the_driver_is_told()
    {
        var approved = new DriverApproval().Submit(Documents(), Now).Approve(["economy", "comfort", "premium"], "o", null, Now);

        var narrowed = approved.Restrict([" Comfort ", "economy"], "Two complaints about the car's state: premium needs a newer car.", "o2", Now.AddDays(1));
        Assert.Equal(["economy", "comfort"], narrowed.Permit!.Classes);
        Assert.Equal(approved.Permit!.ValidUntil, narrowed.Permit.ValidUntil);
        Assert.Equal((ApprovalStatuses.Approved, ApprovalStatuses.RestrictedOutcome, "o2"), (narrowed.StatusAt(Now.AddDays(1)), narrowed.Decision!.Outcome, narrowed.Decision.By));
        Assert.Contains("approved for economy, comfort", DriverApproval.RefusalToDrive(narrowed, "premium", Now.AddDays(1)));

        var revoked = narrowed.Restrict([], "Unsafe driving reported three times.", "o2", Now.AddDays(2));
        Assert.Equal((ApprovalStatuses.Revoked, (DriverPermit?)null), (revoked.StatusAt(Now.AddDays(2)), revoked.Permit));
        Assert.Equal("Support took away your approval to drive: Unsafe driving reported three times. Send your documents again to be reviewed.",
            DriverApproval.RefusalToDrive(revoked, "economy", Now.AddDays(2)));
        // Documents sent again go back to the queue.
        Assert.Equal(ApprovalStatuses.Pending, revoked.Submit(Documents(), Now.AddDays(3)).StatusAt(Now.AddDays(3)));
    }

    [Theory]
    [InlineData(new[] { "economy", "comfort" }, "a reason", "keep fewer")]
    [InlineData(new[] { "xl" }, "a reason", "'xl' is not in this driver's approval")]
    [InlineData(new[] { "economy" }, " ", "reason:")]
    public void Support_can_only_take_away_part_of_a_permit_the_driver_has_and_says_why(string[] keep, string reason, string message)
    {
        var approved = new DriverApproval().Submit(Documents(), Now).Approve(["economy", "comfort"], "o", null, Now);

        Assert.Contains(message, Assert.Throws<ApprovalException>(() => approved.Restrict(keep, reason, "o", Now)).Message);
        Assert.Contains("nothing to take away", Assert.Throws<ApprovalException>(() => new DriverApproval().Restrict([], "why", "o", Now)).Message);
        Assert.Contains("list the classes the driver keeps", Assert.Throws<ApprovalException>(() => approved.Restrict(null, "why", "o", Now)).Message);
        Assert.Contains("nothing to take away", Assert.Throws<ApprovalException>(() => approved.Restrict([], "why", "o", Now.AddYears(3))).Message); // lapsed
    }

    [Fact]
    public void A_narrowed_permit_keeps_its_reminder_and_a_permit_taken_away_is_neither_reminded_nor_lapsed()
    {
        var account = new Account("d1", "d@example.com", "driver", "Dan", "", null, Now);
        var approved = account.WithApproval(new DriverApproval().Submit(Documents(), Now)).ApproveDriver(["economy", "comfort"], "o", null, Now);
        var reminded = approved with { PermitReminderMs = null };

        Assert.Null(reminded.WithApproval(reminded.Approval!.Restrict(["economy"], "why", "o", Now)).PermitReminderMs); // not mailed twice
        Assert.Equal(approved.PermitReminderMs, approved.WithApproval(approved.Approval!.Restrict(["economy"], "why", "o", Now)).PermitReminderMs);
        var revoked = approved.WithApproval(approved.Approval!.Restrict([], "why", "o", Now));
        Assert.Equal(((long?)null, (long?)null), (revoked.PermitUntilMs, revoked.PermitReminderMs));
    }

    [Fact]
    public void A_driver_who_changed_cars_keeps_the_approved_one_until_support_approves_the_new_one()
    {
        var old = new Vehicle("Toyota", "Prius", "B-UC 1", "white", "economy");
        var newCar = new Vehicle("Mercedes", "E-Class", "B-UC 2", "black", "premium");
        var account = new Account("d1", "d@example.com", "driver", "Dan", "", old, Now);
        var approved = account.WithApproval(new DriverApproval().Submit(Documents(), Now)).ApproveDriver(["economy"], "o", null, Now);
        Assert.Equal(old, approved.Vehicle);

        var waiting = approved.WithApproval(approved.Approval!.Submit(Documents(), Now.AddDays(1), newCar));
        Assert.Equal((old, newCar, ApprovalStatuses.Pending), (waiting.Vehicle, waiting.Approval!.NewVehicle, waiting.Approval.StatusAt(Now.AddDays(1))));
        Assert.Null(DriverApproval.RefusalToDrive(waiting.Approval, "economy", Now.AddDays(1))); // still driving the old car

        var refused = waiting.WithApproval(waiting.Approval.Reject("The new car's insurance is not in your name.", "o", Now.AddDays(2)));
        Assert.Equal((old, (Vehicle?)null), (refused.Vehicle, refused.Approval!.NewVehicle));

        var swapped = waiting.ApproveDriver(["comfort", "premium"], "o", null, Now.AddDays(2));
        Assert.Equal((newCar, (Vehicle?)null), (swapped.Vehicle, swapped.Approval!.NewVehicle));
        Assert.Equal(["comfort", "premium"], swapped.Approval.Permit!.Classes);
    }
}
