using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace UberClone.Gateway.Mail;

/// <summary>
/// <c>mail</c> in /health: degraded (still ready: mail waits in the outbox, nothing is lost) when a mail has waited
/// more than <see cref="TooLong"/>, i.e. the SMTP server refuses or cannot be reached; the dashboard and probes show it.
/// </summary>
public sealed class MailHealthCheck(MailOutbox outbox, TimeProvider clock) : IHealthCheck
{
    public const string Name = "mail";
    public static readonly TimeSpan TooLong = TimeSpan.FromMinutes(10);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var since = await outbox.OldestWaitingSinceAsync(cancellationToken);
        if (since is not { } oldest) return HealthCheckResult.Healthy("No mail waiting.");
        var waited = clock.GetUtcNow() - oldest;
        return waited > TooLong
            ? HealthCheckResult.Degraded($"A mail has waited {waited.TotalMinutes:0} minutes to be sent: is the SMTP server (ConnectionStrings:{MailSettings.ConnectionName}) up?")
            : HealthCheckResult.Healthy($"Mail is being sent (oldest waiting {waited.TotalSeconds:0} s).");
    }
}
