using Aspire.Hosting.MailPit;
using UberClone.Contracts;
using UberClone.Stack.Lifecycle.Tests.Support;
using UberClone.Stack.Tests.Infrastructure;

namespace UberClone.Stack.Lifecycle.Tests;

/// <summary>
/// A rider whose ride could not be charged is mailed at once, why and how to pay, and reminded on the set days while it
/// is still owed (ADR 0039; 6 and 12 s here); paying it ends the reminders. Through the real trips, payments (the
/// sandbox's checkout declining) and the gateway's mail.
/// </summary>
public sealed class UnpaidReminderTests(LifecycleStackFixture stack)
{
    [Fact]
    public async Task A_declined_fare_is_mailed_at_once_reminded_while_owed_and_no_more_once_paid()
    {
        var ct = TestContext.Current.CancellationToken;
        var (rider, riderSocket, driver, tripId) = await Rides.CompletedAsync(stack.Client());
        await using var _ = riderSocket;
        await using var __ = driver;
        await Rides.ConfirmEmailAsync(rider, stack.Mailbox); // before the payment fails: mail goes to confirmed addresses only

        var session = await riderSocket.WaitForAsync("payment.session_created", m => m["data"].Str("tripId") == tripId);
        var fare = session["data"]!["amountMinor"]!.GetValue<long>();
        var due = Currencies.Display(fare, "USD");
        await Rides.PayAsync(rider, session, "decline");

        // At once: what is owed, why, and how to pay it.
        var failed = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject.StartsWith($"We could not charge {due} for your UberClone ride"));
        Assert.Contains($"The payment of {due} for your ride of", failed.Text);
        Assert.Contains("(the fare) did not go through: your bank declined the card.", failed.Text);
        Assert.Contains("\"Retry payment\"", failed.Text);
        Assert.Contains("If it is still due then, we will remind you on", failed.Text);
        var owed = await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["unpaidReminders"] is not null);
        Assert.Equal((0, fare), (owed["unpaidReminders"]!["sent"]?.GetValue<int>() ?? 0, owed["unpaidReminders"]!["fare"]!["amountMinor"]!.GetValue<long>()));
        // The driver never sees what the rider owes.
        Assert.Null((await driver.User.GetOkAsync($"/api/trips/{tripId}"))["unpaidReminders"]);

        // The first reminder's day: still owed.
        var reminder = await stack.Mailbox.WaitForAsync(rider.Email, m => m.Subject == $"Reminder: {due} for your UberClone ride of {Day(failed)} is still due",
            timeout: LifecycleStackFixture.UnpaidReminders[0] + TimeSpan.FromSeconds(20));
        Assert.Contains($"{due} for your ride of", reminder.Text);
        Assert.Contains("(the fare) is still due: its payment did not go through on", reminder.Text);
        var reminded = await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["unpaidReminders"]?["sent"]?.GetValue<int>() == 1);
        Assert.NotEqual("", reminded["unpaidReminders"].Str("nextAt"));

        // Paid by a retry: no more reminders, and nothing owed on the trip.
        await rider.PostOkAsync($"/api/trips/{tripId}/payment/retry", new { });
        var second = await riderSocket.WaitForAsync("payment.session_created",
            m => m["data"].Str("tripId") == tripId && m["data"].Str("checkoutUrl") != session["data"].Str("checkoutUrl"));
        await Rides.PayAsync(rider, second, "pay");
        var paid = await Http.EventuallyAsync(() => rider.GetOkAsync($"/api/trips/{tripId}"), t => t["receipt"].Str("paymentStatus") == "paid");
        Assert.Null(paid["unpaidReminders"]);
        var since = DateTimeOffset.Parse(owed["unpaidReminders"].Str("owedSince"));
        var secondDue = since + LifecycleStackFixture.UnpaidReminders[1];
        var wait = secondDue - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(3);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
        Assert.Single(stack.Mailbox.Received, m => m.To.Contains(rider.Email, StringComparer.OrdinalIgnoreCase) && m.Subject.StartsWith("Reminder: ") && m.Subject.EndsWith("is still due"));
    }

    /// <summary>"6 Dec": the ride's day as the first mail named it.</summary>
    private static string Day(SmtpMailbox.ReceivedMail failed) => failed.Subject[(failed.Subject.IndexOf(" of ", StringComparison.Ordinal) + 4)..];
}
