using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// A new driver may not go online until support approved them: they send their driving licence and insurance in the
/// app, support finds them under "Drivers to approve" at the desk and approves some classes (the driver's app follows
/// live) or refuses the documents with a reason the driver is told; later support may narrow the approval to fewer
/// classes or take it away, saying why, and the driver's app follows at once.
/// </summary>
public sealed class DriverApprovalInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_new_driver_sends_documents_support_approves_two_classes_and_the_driver_goes_online_in_one_of_them()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var start = (Lat: 59.9139, Lng: 10.7522); // Oslo: no other test's drivers here
        var driver = await _people.PhoneAsync();
        var desk = await _people.DeskAsync();

        // A new driver's app explains what is missing, and offers no way to go online.
        await RideInTheBrowserTests.CreateAccountAsync(driver, "driver", "Astrid Applicant");
        await driver.GotoAsync($"/driver?start={start.Lat},{start.Lng}");
        var card = driver.GetByTestId("driver-approval");
        await Expect(card.GetByTestId("driver-approval-status")).ToContainTextAsync("Send your documents to start driving");
        await Expect(driver.GetByRole(AriaRole.Button, new() { Name = "Go online" })).ToHaveCountAsync(0);
        await ShotAsync(driver, "driver-documents-needed");

        // A licence that ran out yesterday: the gateway refuses it, and the form says so by that field.
        var yesterday = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var validUntil = DateTime.UtcNow.AddYears(2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await card.GetByLabel("Driving licence number").FillAsync("N-4411 9083");
        await card.GetByLabel("Licence valid until").FillAsync(yesterday);
        await card.GetByLabel("Insurance policy number").FillAsync("GJE-55120");
        await card.GetByLabel("Insurance valid until").FillAsync(validUntil);
        await card.GetByLabel("Vehicle year").FillAsync("2019");
        await card.GetByRole(AriaRole.Button, new() { Name = "Send documents" }).ClickAsync();
        await Expect(card.GetByTestId("driver-documents-licenceExpiresOn-error")).ToBeVisibleAsync();
        await Expect(card.GetByTestId("driver-documents-licenceExpiresOn-error")).Not.ToBeEmptyAsync();
        await Expect(card.GetByLabel("Licence valid until")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(card.GetByTestId("driver-documents-insuranceExpiresOn-error")).ToHaveCountAsync(0);
        await ShotAsync(driver, "driver-documents-field-error");

        // Corrected, they go to support: the app says they are under review, and still offers no way to go online.
        await card.GetByLabel("Licence valid until").FillAsync(validUntil);
        await card.GetByRole(AriaRole.Button, new() { Name = "Send documents" }).ClickAsync();
        await Expect(card.GetByTestId("driver-approval-status")).ToContainTextAsync("Under review since");
        await Expect(card.GetByTestId("driver-documents-sent")).ToContainTextAsync("N-4411 9083");
        await Expect(driver.GetByRole(AriaRole.Button, new() { Name = "Go online" })).ToHaveCountAsync(0);
        await ShotAsync(driver, "driver-documents-under-review");

        // Support finds the driver among those waiting, with their car and documents, and opens their card.
        await _people.SignInAtTheDeskAsync(desk);
        var waiting = desk.GetByTestId("driver-approvals").GetByTestId("driver-approvals-row").Filter(new() { HasText = "Astrid Applicant" });
        await Expect(waiting).ToContainTextAsync("white Toyota Prius · B-UC 1234 · economy");
        await Expect(waiting).ToContainTextAsync("2019");
        await Expect(waiting).ToContainTextAsync("Licence N-4411 9083");
        await Expect(waiting).ToContainTextAsync("insurance GJE-55120");
        await Expect(waiting).ToContainTextAsync(new Regex("waiting [0-9]+ min"));
        await ShotAsync(desk, "desk-drivers-to-approve");
        var userId = (await waiting.GetAttributeAsync("data-user-id"))!;
        await waiting.ClickAsync();
        await Expect(desk).ToHaveURLAsync(new Regex($@"/ops\?user={Regex.Escape(userId)}$"));
        var approval = desk.GetByTestId("ops-driver-approval");
        await Expect(approval.GetByTestId("ops-driver-approval-status")).ToHaveTextAsync("Waiting for review");
        await Expect(approval.GetByTestId("ops-driver-approval-documents")).ToContainTextAsync("N-4411 9083");
        await Expect(approval.GetByTestId("ops-driver-approval-permit")).ToHaveTextAsync("Nothing: cannot go online");

        // The car's own class is checked; support adds comfort and approves.
        await Expect(approval.GetByRole(AriaRole.Checkbox, new() { Name = "economy" })).ToBeCheckedAsync();
        await Expect(approval.GetByRole(AriaRole.Checkbox, new() { Name = "comfort" })).Not.ToBeCheckedAsync();
        await approval.GetByRole(AriaRole.Checkbox, new() { Name = "comfort" }).CheckAsync();
        await approval.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Expect(approval.GetByTestId("ops-driver-approval-status")).ToHaveTextAsync("Approved");
        await Expect(approval.GetByTestId("ops-driver-approval-permit")).ToContainTextAsync("economy, comfort until");
        await Expect(approval.GetByTestId("ops-driver-approval-decision")).ToContainTextAsync("Approved");
        await Expect(approval.GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToHaveCountAsync(0);
        // The audit trail names the approval.
        await Expect(desk.GetByTestId("ops-actions").Locator("[data-action='driver.approved']")).ToContainTextAsync("Approved a driver by you");
        await ShotAsync(desk, "desk-driver-approved");

        // The driver's app follows at once (its socket, no reload): it may drive exactly those two classes.
        await Expect(driver.GetByText("Support approved you to drive economy, comfort.")).ToBeVisibleAsync();
        await Expect(driver.GetByTestId("driver-permit")).ToContainTextAsync("Approved for economy, comfort until");
        await Expect(driver.GetByTestId("driver-approval")).ToHaveCountAsync(0);
        var classes = driver.GetByLabel("Vehicle class").Locator("option");
        await Expect(classes).ToHaveTextAsync(["economy", "comfort"]);
        await Expect(driver.GetByLabel("Vehicle class")).ToHaveValueAsync("economy");
        await driver.GetByLabel("Vehicle class").SelectOptionAsync("comfort");
        await driver.GetByRole(AriaRole.Button, new() { Name = "Go online" }).ClickAsync();
        await Expect(driver.GetByTestId("driver-state")).ToHaveTextAsync("available");
        // The driving limit (ADR 0026): their time online in this working period, of the 12 hours before a rest.
        await Expect(driver.GetByTestId("driving-time")).ToHaveTextAsync("Online 0 min of 12 h before a 6 h rest.");
        await ShotAsync(driver, "driver-approved-online");

        // Support's queue no longer lists them.
        await desk.GotoAsync("/ops");
        await Expect(desk.GetByTestId("driver-approvals").GetByText("Loading…")).ToHaveCountAsync(0);
        await Expect(desk.Locator($"[data-testid='driver-approvals-row'][data-user-id='{userId}']")).ToHaveCountAsync(0);
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task Support_refuses_documents_with_a_reason_the_driver_reads_live_and_corrected_documents_wait_for_review_again()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var driver = await _people.PhoneAsync();
        var desk = await _people.DeskAsync();

        await RideInTheBrowserTests.CreateAccountAsync(driver, "driver", "Rolf Refused");
        await RideInTheBrowserTests.SendDocumentsAsync(driver, insurancePolicy: "WRONG-0001");

        // Support opens the driver from the queue and refuses the documents, saying why.
        await _people.SignInAtTheDeskAsync(desk);
        var waiting = desk.GetByTestId("driver-approvals-row").Filter(new() { HasText = "Rolf Refused" });
        await Expect(waiting).ToContainTextAsync("insurance WRONG-0001");
        var userId = (await waiting.GetAttributeAsync("data-user-id"))!;
        await waiting.ClickAsync();
        var approval = desk.GetByTestId("ops-driver-approval");
        await Expect(approval.GetByTestId("ops-driver-approval-status")).ToHaveTextAsync("Waiting for review");
        const string why = "The insurance policy number does not match the certificate";
        await approval.GetByLabel("Reason to refuse").FillAsync(why);
        await approval.GetByRole(AriaRole.Button, new() { Name = "Reject" }).ClickAsync();
        await Expect(approval.GetByTestId("ops-driver-approval-status")).ToHaveTextAsync("Documents refused");
        await Expect(approval.GetByTestId("ops-driver-approval-decision")).ToContainTextAsync(why);
        await Expect(desk.GetByTestId("ops-actions").Locator("[data-action='driver.rejected']")).ToContainTextAsync("Rejected a driver's documents by you");
        await Expect(desk.GetByTestId("ops-actions").Locator("[data-action='driver.rejected']")).ToContainTextAsync(why);
        await ShotAsync(desk, "desk-driver-refused");

        // The driver's app says why, live, and offers the form again, filled with what they sent.
        var card = driver.GetByTestId("driver-approval");
        await Expect(driver.GetByText($"Your documents were not approved: {why}. Send corrected documents.")).ToBeVisibleAsync();
        await Expect(card.GetByTestId("driver-approval-status")).ToHaveTextAsync($"Not approved: {why} — send corrected documents.");
        await Expect(card.GetByLabel("Insurance policy number")).ToHaveValueAsync("WRONG-0001");
        await Expect(driver.GetByRole(AriaRole.Button, new() { Name = "Go online" })).ToHaveCountAsync(0);
        await ShotAsync(driver, "driver-documents-refused");

        // Corrected documents wait for support again.
        await card.GetByLabel("Insurance policy number").FillAsync("AX-2291-77");
        await card.GetByRole(AriaRole.Button, new() { Name = "Send documents" }).ClickAsync();
        await Expect(card.GetByTestId("driver-approval-status")).ToContainTextAsync("Under review since");
        await desk.GotoAsync("/ops");
        var again = desk.Locator($"[data-testid='driver-approvals-row'][data-user-id='{userId}']");
        await Expect(again).ToContainTextAsync("insurance AX-2291-77");
        await again.ClickAsync();
        await Expect(desk.GetByTestId("ops-driver-approval").GetByTestId("ops-driver-approval-status")).ToHaveTextAsync("Waiting for review");
        // The refusal stays on record as the last decision until support decides again.
        await Expect(desk.GetByTestId("ops-driver-approval-decision")).ToContainTextAsync(why);
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_driver_who_changed_cars_drives_the_approved_one_until_support_approves_the_new_one()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var driver = await _people.PhoneAsync();
        var email = await RideInTheBrowserTests.SignUpAsync(driver, "driver", "Carl Changer"); // approved for every class, a Toyota Prius
        await driver.GotoAsync("/driver?start=59.33,18.06");
        await Expect(driver.GetByTestId("driver-permit")).ToContainTextAsync("Approved for economy, comfort, xl, premium until");

        await driver.GetByTestId("change-cars").ClickAsync();
        var form = driver.GetByTestId("driver-documents-form");
        await form.GetByLabel("New car: make").FillAsync("Tesla");
        await form.GetByLabel("New car: model").FillAsync("Model S");
        await form.GetByLabel("New car: plate").FillAsync("B-EV 2025");
        await form.GetByLabel("New car: colour").FillAsync("black");
        await form.GetByLabel("New car: class").SelectOptionAsync("premium");
        var validUntil = DateTime.UtcNow.AddYears(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await form.GetByLabel("Driving licence number").FillAsync("N-4411 9083");
        await form.GetByLabel("Licence valid until").FillAsync(validUntil);
        await form.GetByLabel("Insurance policy number").FillAsync("EV-INS-77");
        await form.GetByLabel("Insurance valid until").FillAsync(validUntil);
        await form.GetByLabel("Vehicle year").FillAsync("2024");
        await form.GetByRole(AriaRole.Button, new() { Name = "Send documents" }).ClickAsync();

        // Under review, the driver still drives the car approved (and may go online in its classes meanwhile).
        await Expect(driver.GetByTestId("driver-permit-pending")).ToContainTextAsync("for your new car, black Tesla Model S · B-EV 2025 (premium)");
        await Expect(driver.GetByTestId("driver-permit")).ToContainTextAsync("Approved for economy, comfort, xl, premium");
        await ShotAsync(driver, "driver-new-car-under-review");

        await stack.ApproveDriverAsync(email, "comfort", "premium");
        await Expect(driver.GetByTestId("driver-permit")).ToContainTextAsync("Approved for comfort, premium until");
        await Expect(driver.GetByTestId("driver-permit-pending")).ToHaveCountAsync(0);
        await Expect(driver.GetByLabel("Vehicle class").Locator("option")).ToHaveTextAsync(["comfort", "premium"]);
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task Support_narrows_an_online_drivers_approval_then_takes_it_away_and_the_drivers_app_follows_live()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var start = (Lat: 56.9496, Lng: 24.1052); // Riga: no other test's drivers here
        var driver = await _people.PhoneAsync();
        var desk = await _people.DeskAsync();

        // A driver approved for economy and comfort goes online in comfort.
        var email = await RideInTheBrowserTests.CreateAccountAsync(driver, "driver", "Dagnija Downgraded");
        await driver.GotoAsync($"/driver?start={start.Lat},{start.Lng}");
        await RideInTheBrowserTests.SendDocumentsAsync(driver);
        await stack.ApproveDriverAsync(email, "economy", "comfort");
        await Expect(driver.GetByTestId("driver-permit")).ToContainTextAsync("Approved for economy, comfort until");
        await driver.GetByLabel("Vehicle class").SelectOptionAsync("comfort");
        await driver.GetByRole(AriaRole.Button, new() { Name = "Go online" }).ClickAsync();
        await Expect(driver.GetByTestId("driver-state")).ToHaveTextAsync("available");

        // Support opens the driver's card: every class of the permit is checked, and keeping them all is no change.
        await _people.SignInAtTheDeskAsync(desk);
        await desk.GetByTestId("ops-search").FillAsync(email);
        await desk.GetByTestId("ops-search-submit").ClickAsync();
        var approval = desk.GetByTestId("ops-driver-approval");
        await Expect(approval.GetByTestId("ops-driver-approval-status")).ToHaveTextAsync("Approved");
        await Expect(approval.GetByTestId("ops-driver-approval-permit")).ToContainTextAsync("economy, comfort until");
        var change = approval.GetByTestId("ops-driver-change-approval");
        await Expect(change.GetByRole(AriaRole.Checkbox, new() { Name = "economy" })).ToBeCheckedAsync();
        await Expect(change.GetByRole(AriaRole.Checkbox, new() { Name = "comfort" })).ToBeCheckedAsync();
        const string narrowed = "Riders reported the back seats are torn: not fit for comfort until repaired";
        await change.GetByLabel("Why (the driver is told)").FillAsync(narrowed);
        await Expect(change.GetByRole(AriaRole.Button, new() { Name = "Keep only the checked classes" })).ToBeDisabledAsync();

        // Comfort unticked: the driver keeps economy only.
        await change.GetByRole(AriaRole.Checkbox, new() { Name = "comfort" }).UncheckAsync();
        await change.GetByRole(AriaRole.Button, new() { Name = "Keep only the checked classes" }).ClickAsync();
        await Expect(approval.GetByTestId("ops-driver-approval-status")).ToHaveTextAsync("Approved");
        await Expect(approval.GetByTestId("ops-driver-approval-permit")).ToContainTextAsync("economy until");
        await Expect(approval.GetByTestId("ops-driver-approval-permit")).Not.ToContainTextAsync("comfort");
        await Expect(approval.GetByTestId("ops-driver-approval-decision")).ToContainTextAsync("Restricted to economy by you on");
        await Expect(approval.GetByTestId("ops-driver-approval-decision")).ToContainTextAsync(narrowed);
        await Expect(change.GetByRole(AriaRole.Checkbox)).ToHaveCountAsync(1);
        await Expect(desk.GetByTestId("ops-actions").Locator("[data-action='driver.restricted']")).ToContainTextAsync(narrowed);

        // The driver's app follows without a reload: taken offline (comfort is no longer theirs), told why, and offered
        // economy only.
        await Expect(driver.GetByTestId("driver-state")).ToHaveTextAsync("offline");
        await Expect(driver.GetByText("You are approved for economy now: go online in one of those.")).ToBeVisibleAsync();
        await Expect(driver.GetByTestId("driver-permit")).ToContainTextAsync("Approved for economy until");
        await Expect(driver.GetByTestId("driver-permit-restricted")).ToHaveTextAsync($"Support changed what you may drive: economy. Why: {narrowed}.");
        await Expect(driver.GetByLabel("Vehicle class").Locator("option")).ToHaveTextAsync(["economy"]);
        await Expect(driver.GetByRole(AriaRole.Button, new() { Name = "Go online" })).ToBeVisibleAsync();
        await ShotAsync(driver, "driver-approval-narrowed");

        // Then support takes the approval away, after confirming.
        const string revoked = "Three riders reported dangerous driving this week";
        await change.GetByLabel("Why (the driver is told)").FillAsync(revoked);
        await change.GetByRole(AriaRole.Button, new() { Name = "Take approval away" }).ClickAsync();
        var confirm = change.GetByRole(AriaRole.Group, new() { Name = "Take the approval away?" });
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Yes, take the approval away" }).ClickAsync();
        await Expect(approval.GetByTestId("ops-driver-approval-status")).ToHaveTextAsync("Approval taken away by support");
        await Expect(approval.GetByTestId("ops-driver-approval-permit")).ToHaveTextAsync("Nothing: cannot go online");
        await Expect(approval.GetByTestId("ops-driver-approval-decision")).ToContainTextAsync("Approval taken away by you on");
        await Expect(approval.GetByTestId("ops-driver-approval-decision")).ToContainTextAsync(revoked);
        await Expect(approval.GetByTestId("ops-driver-change-approval")).ToHaveCountAsync(0);
        await ShotAsync(desk, "desk-approval-taken-away");

        // The driver's app says so at once, with no way to go online, and offers the documents form to be reviewed again.
        await Expect(driver.GetByTestId("approval-revoked")).ToContainTextAsync($"Support took away your approval to drive: {revoked}");
        await Expect(driver.GetByRole(AriaRole.Button, new() { Name = "Go online" })).ToHaveCountAsync(0);
        var card = driver.GetByTestId("driver-approval");
        await Expect(card.GetByLabel("Insurance policy number")).ToHaveValueAsync("AX-2291-77");
        await ShotAsync(driver, "driver-approval-taken-away");

        // Documents sent again wait for support's review.
        await card.GetByRole(AriaRole.Button, new() { Name = "Send documents" }).ClickAsync();
        await Expect(card.GetByTestId("driver-approval-status")).ToContainTextAsync("Under review since");
        await Expect(driver.GetByTestId("approval-revoked")).ToHaveCountAsync(0);
    }

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static IPageAssertions Expect(IPage page) => Assertions.Expect(page);
}
