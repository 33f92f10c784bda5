using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace UberClone.Browser.Tests;

/// <summary>
/// Drivers are paid out (docs/decisions/0025) through the web app: after a ride a driver gives the bank account their
/// earnings go to on the sandbox's onboarding page, sees what is owed to them, cashes it out and sees the payout paid;
/// support sees it on the driver's card at the desk. A bank account whose payouts are refused says so, and the money
/// stays owed; a bank that refuses the provider's payout later is a warning (and said on the desk) until the driver
/// updates the bank account.
/// </summary>
public sealed class PayoutsInTheBrowserTests(WebStackFixture stack) : IAsyncDisposable
{
    private readonly People _people = new(stack);
    private int _step;

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_driver_adds_a_bank_account_after_a_ride_cashes_out_what_they_earned_and_support_sees_the_payout()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 59.4370, Lng: 24.7536); // Tallinn: no other test's drivers here
        var rider = await _people.PhoneAsync();
        var driver = await _people.PhoneAsync();
        var email = await DriverOnlineAsync(driver, "Priit Payout", (pickup.Lat + 0.00054, pickup.Lng));
        var payouts = Payouts(driver);
        await Expect(payouts).ToContainTextAsync("Get paid: add the bank account your earnings go to.");

        // A ride: what the driver earned from it is owed to them.
        var earned = await RideAsync(rider, driver, pickup, "59.4500, 24.7700");

        // The sandbox's onboarding page: an IBAN that is not a test account's is refused, saying why; a test account is saved.
        await payouts.GetByRole(AriaRole.Button, new() { Name = "Set up payouts" }).ClickAsync();
        await Assertions.Expect(driver).ToHaveURLAsync(new Regex("/connect/acct_link_sandbox_[0-9a-f]+$"));
        await FillBankAccountAsync(driver, "DE00 1234 5678 9012 3456 78");
        await Expect(driver.GetByTestId("bank-error")).ToContainTextAsync("IBAN");
        await ShotAsync(driver, "sandbox-bank-account-refused");
        await FillBankAccountAsync(driver, "DE89 3704 0044 0532 0130 00");

        // Back in the driver's app: the account, when it is paid, and what is owed.
        await Expect(driver.GetByTestId("payouts-ready")).ToHaveTextAsync("Bank account saved: payouts go to DE •••• 3000");
        Assert.Equal("/driver", new Uri(driver.Url).AbsolutePath);
        await Expect(payouts.GetByTestId("payouts-schedule")).ToContainTextAsync(new Regex(@"^Paid every Monday to DE •••• 3000 · next: Mon\b"));
        await Expect(payouts.GetByTestId("payouts-owed")).ToHaveTextAsync($"Owed to you: {earned}");
        await ShotAsync(driver, "driver-payouts-set-up");

        // Cashed out: paid at once (the sandbox's test account), and nothing is left to cash out.
        await payouts.GetByRole(AriaRole.Button, new() { Name = "Cash out now" }).ClickAsync();
        var row = payouts.GetByTestId("payout-row");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync(earned);
        await Expect(row).ToContainTextAsync("Cash-out");
        await Expect(row).ToContainTextAsync("Paid");
        await Expect(payouts.GetByTestId("payouts-notice")).ToHaveTextAsync($"Payout of {earned} on its way to DE •••• 3000");
        await Expect(payouts.GetByRole(AriaRole.Button, new() { Name = "Cash out now" })).ToBeDisabledAsync();
        // Everything was paid out: nothing is owed, so there is nothing to cash out.
        await Expect(payouts.GetByTestId("cash-out-refusal")).ToHaveTextAsync("There is not enough to cash out yet.");
        await Expect(payouts.GetByTestId("payouts-owed")).ToHaveTextAsync("Nothing is owed to you now.");
        await Expect(payouts.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        await ShotAsync(driver, "driver-cashed-out");

        // Support finds the driver: their payouts, read-only.
        var desk = await _people.DeskAsync();
        await _people.SignInAtTheDeskAsync(desk);
        await desk.GetByTestId("ops-search").FillAsync(email);
        await desk.GetByTestId("ops-search-submit").ClickAsync();
        var block = desk.GetByTestId("ops-driver-payouts");
        await Expect(block.GetByTestId("ops-payouts-account")).ToContainTextAsync(new Regex(@"^DE •••• 3000, paid every Monday \(next: Mon\b"));
        await Expect(block.GetByTestId("ops-payouts-owed")).ToHaveTextAsync("Nothing");
        var paid = block.GetByTestId("ops-payout-row");
        await Expect(paid).ToHaveCountAsync(1);
        await Expect(paid).ToContainTextAsync(earned);
        await Expect(paid).ToContainTextAsync("Cash-out");
        await Expect(paid).ToContainTextAsync("DE •••• 3000");
        await Expect(paid).ToContainTextAsync("Paid");
        await Expect(block.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await ShotAsync(desk, "desk-driver-payouts");
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_payout_the_bank_refuses_is_said_to_have_failed_and_the_money_stays_owed()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 54.6872, Lng: 25.2797); // Vilnius: no other test's drivers here
        var rider = await _people.PhoneAsync();
        var driver = await _people.PhoneAsync();
        await DriverOnlineAsync(driver, "Vida Vilnius", (pickup.Lat + 0.00054, pickup.Lng));
        var earned = await RideAsync(rider, driver, pickup, "54.7000, 25.2950");
        var payouts = Payouts(driver);

        // Left on the provider's page without a bank account: set up is to be finished.
        await payouts.GetByRole(AriaRole.Button, new() { Name = "Set up payouts" }).ClickAsync();
        await Assertions.Expect(driver).ToHaveURLAsync(new Regex("/connect/acct_link_sandbox_[0-9a-f]+$"));
        await driver.GetByRole(AriaRole.Link, new() { Name = "Cancel" }).ClickAsync();
        await Expect(driver.GetByTestId("payouts-cancelled")).ToHaveTextAsync("No bank account was saved.");
        await Expect(payouts).ToContainTextAsync("Your bank account is not confirmed yet");
        await Expect(payouts.GetByTestId("payouts-owed")).ToHaveTextAsync($"Owed to you: {earned}");

        // A test account whose bank refuses every payout.
        await payouts.GetByRole(AriaRole.Button, new() { Name = "Finish setting up payouts" }).ClickAsync();
        await Assertions.Expect(driver).ToHaveURLAsync(new Regex("/connect/acct_link_sandbox_[0-9a-f]+$"));
        await FillBankAccountAsync(driver, "DE62 3704 0044 0532 0130 01");
        await Expect(driver.GetByTestId("payouts-ready")).ToHaveTextAsync("Bank account saved: payouts go to DE •••• 3001");

        // Cashing out: refused by the bank, said so, and the money is owed again (it may be cashed out again).
        await payouts.GetByRole(AriaRole.Button, new() { Name = "Cash out now" }).ClickAsync();
        var row = payouts.GetByTestId("payout-row");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Failed: no_account");
        await Expect(payouts.GetByRole(AriaRole.Alert)).ToHaveTextAsync($"Your payout of {earned} could not be made (no_account): the money is still yours");
        await Expect(payouts.GetByTestId("payouts-owed")).ToHaveTextAsync($"Owed to you: {earned}");
        await Expect(payouts.GetByRole(AriaRole.Button, new() { Name = "Cash out now" })).ToBeEnabledAsync();
        await ShotAsync(driver, "driver-payout-failed");
    }

    [Fact(Timeout = People.TestTimeout)]
    public async Task A_driver_whose_bank_refuses_a_payout_sees_the_warning_at_once_and_updating_the_bank_account_clears_it()
    {
        if (WebStackFixture.SkipReason is { } reason) Assert.Skip(reason);
        var pickup = (Lat: 55.3959, Lng: 10.3883); // Odense: no other test's drivers here
        var rider = await _people.PhoneAsync();
        var driver = await _people.PhoneAsync();
        var email = await DriverOnlineAsync(driver, "Ole Odense", (pickup.Lat + 0.00054, pickup.Lng));
        var earned = await RideAsync(rider, driver, pickup, "55.4100, 10.4050");
        var payouts = Payouts(driver);

        // The sandbox's test account whose bank takes the transfer's payout and refuses it later (account closed).
        await payouts.GetByRole(AriaRole.Button, new() { Name = "Set up payouts" }).ClickAsync();
        await FillBankAccountAsync(driver, "DE35 3704 0044 0532 0130 02");
        await Expect(driver.GetByTestId("payouts-ready")).ToHaveTextAsync("Bank account saved: payouts go to DE •••• 3002");
        await Expect(payouts.GetByTestId("payout-bank-refused")).ToHaveCountAsync(0);

        // Cashed out: the transfer is paid; then the bank refuses, and the card warns without a reload.
        await payouts.GetByRole(AriaRole.Button, new() { Name = "Cash out now" }).ClickAsync();
        await Expect(payouts.GetByTestId("payout-row")).ToContainTextAsync("Paid");
        var warning = payouts.GetByTestId("payout-bank-refused");
        await Expect(warning).ToContainTextAsync(new Regex($@"^Your bank did not accept {Regex.Escape(earned)} paid on \d{{1,2}} [A-Z][a-z]{{2}}: the account is closed\. Update your bank account"));
        await ShotAsync(driver, "driver-payout-bank-refused");

        // Support finds the driver: their payouts block says what the bank refused, and since when.
        var desk = await _people.DeskAsync();
        await _people.SignInAtTheDeskAsync(desk);
        await desk.GetByTestId("ops-search").FillAsync(email);
        await desk.GetByTestId("ops-search-submit").ClickAsync();
        var block = desk.GetByTestId("ops-driver-payouts");
        await Expect(block.GetByTestId("ops-payout-bank-refused")).ToHaveTextAsync(
            new Regex($@"^The bank refused {Regex.Escape(earned)} paid on \d{{1,2}} [A-Z][a-z]{{2}}: the account is closed \(since \d{{1,2}} [A-Z][a-z]{{2}} \d{{2}}:\d{{2}}\)$"));
        await ShotAsync(desk, "desk-driver-payout-bank-refused");

        // "Update bank account": the provider's page takes another account, which is paid what the old one refused.
        await warning.GetByRole(AriaRole.Button, new() { Name = "Update bank account" }).ClickAsync();
        await Assertions.Expect(driver).ToHaveURLAsync(new Regex("/connect/acct_link_sandbox_[0-9a-f]+$"));
        await Expect(driver.GetByText("Payouts go to DE •••• 3002 now")).ToBeVisibleAsync();
        await FillBankAccountAsync(driver, "DE89 3704 0044 0532 0130 00");
        await Expect(driver.GetByTestId("payouts-ready")).ToHaveTextAsync("Bank account saved: payouts go to DE •••• 3000");
        await Expect(payouts.GetByTestId("payout-bank-refused")).ToHaveCountAsync(0);
        await Expect(payouts.GetByTestId("payouts-schedule")).ToContainTextAsync("Paid every Monday to DE •••• 3000");
        await ShotAsync(driver, "driver-bank-account-updated");

        // The desk, read again: the new bank account, and no refusal.
        await desk.ReloadAsync();
        await Expect(block.GetByTestId("ops-payouts-account")).ToContainTextAsync("DE •••• 3000, paid every Monday");
        await Expect(block.GetByTestId("ops-payout-bank-refused")).ToHaveCountAsync(0);
    }

    /// <summary>A new driver (approved for every class) online where their simulated car starts; returns their email.</summary>
    private static async Task<string> DriverOnlineAsync(IPage driver, string name, (double Lat, double Lng) start)
    {
        var email = await RideInTheBrowserTests.SignUpAsync(driver, "driver", name);
        await driver.GotoAsync($"/driver?start={start.Lat},{start.Lng}");
        await driver.GetByRole(AriaRole.Button, new() { Name = "Go online" }).ClickAsync();
        await Expect(driver.GetByTestId("driver-state")).ToHaveTextAsync("available");
        return email;
    }

    /// <summary>A new rider is driven from the pickup to the drop-off ("lat, lng"); returns what the driver earned ("$6.51").</summary>
    private static async Task<string> RideAsync(IPage rider, IPage driver, (double Lat, double Lng) pickup, string dropoff)
    {
        await RideInTheBrowserTests.SignUpAsync(rider, "rider", "Rita Rider");
        await RideInTheBrowserTests.PricesAsync(rider, pickup, dropoff);
        await rider.GetByRole(AriaRole.Button, new() { Name = "Request economy" }).ClickAsync();
        await RideInTheBrowserTests.AcceptArriveAndStartAsync(rider, driver);
        await driver.GetByRole(AriaRole.Button, new() { Name = "Complete trip" }).ClickAsync();
        await Expect(driver.GetByTestId("trip-earned")).ToHaveTextAsync(new Regex(@"^\$[0-9]+\.[0-9]{2}$"));
        return (await driver.GetByTestId("trip-earned").TextContentAsync())!.Trim();
    }

    /// <summary>Fills the sandbox's onboarding page with a holder and an IBAN, and saves it.</summary>
    private static async Task FillBankAccountAsync(IPage driver, string iban)
    {
        await driver.GetByLabel("Account holder").FillAsync("Test Driver");
        await driver.GetByLabel("IBAN").FillAsync(iban);
        await driver.GetByRole(AriaRole.Button, new() { Name = "Save bank account" }).ClickAsync();
    }

    /// <summary>The driver app's payouts card.</summary>
    private static ILocator Payouts(IPage driver) => driver.GetByRole(AriaRole.Region, new() { Name = "Payouts", Exact = true });

    public ValueTask DisposeAsync() => _people.DisposeAsync();

    private async Task ShotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(stack.ArtifactsDirectory, $"{++_step:00}-{name}.png"), FullPage = true });

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
