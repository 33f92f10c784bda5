using UberClone.Gateway.Accounts;

namespace UberClone.Gateway.Operations;

/// <summary>The support account configuration asks for (Operators:Bootstrap); nobody can sign up as an operator.</summary>
public sealed record OperatorBootstrapOptions(string? Email, string? Password, string Name)
{
    public const string Section = "Operators:Bootstrap";

    public static OperatorBootstrapOptions From(IConfiguration configuration) => new(
        NullIfBlank(configuration[$"{Section}:Email"]), NullIfBlank(configuration[$"{Section}:Password"]),
        NullIfBlank(configuration[$"{Section}:Name"]) ?? "Support desk");

    public bool IsConfigured => Email is not null || Password is not null;

    /// <summary>Why the configuration cannot make an account, or null when it can.</summary>
    public string? Problem() =>
        Email is null || !Email.Contains('@') ? $"{Section}:Email must be an email address when {Section}:Password is set."
        : Password is null || Password.Length is < 8 or > 128 ? $"{Section}:Password must be 8 to 128 characters."
        : Name.Length > 80 ? $"{Section}:Name must be at most 80 characters."
        : null;

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>
/// Makes the configured support account exist with the configured password, once per start (every replica does it;
/// they agree through the email claim). A configuration that cannot make one stops the gateway with the reason; storage
/// that is not reachable yet is retried, riders and drivers are served meanwhile.
/// </summary>
public sealed class OperatorBootstrap(OperatorBootstrapOptions options, AccountService accounts, ILogger<OperatorBootstrap> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.IsConfigured)
        {
            logger.LogInformation("No support account configured ({Section}:Email and :Password); the support console has no one to sign in", OperatorBootstrapOptions.Section);
            return Task.CompletedTask;
        }
        if (options.Problem() is { } problem) throw new InvalidOperationException(problem);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var delay = TimeSpan.FromSeconds(1); !stoppingToken.IsCancellationRequested; delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks)))
        {
            try
            {
                var outcome = await accounts.EnsureOperatorAsync(options.Email!, options.Password!, options.Name, stoppingToken);
                if (outcome == OperatorAccountOutcome.EmailTakenByUser)
                {
                    logger.LogError("The support account's email {Email} belongs to a rider or driver; it was not made an operator. Configure another {Section}:Email",
                        options.Email, OperatorBootstrapOptions.Section);
                }
                else
                {
                    logger.LogInformation("Support account {Email}: {Outcome}", options.Email, outcome);
                }
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not make the support account yet; retrying in {Delay}", delay);
                await Task.Delay(delay, stoppingToken);
            }
        }
    }
}
