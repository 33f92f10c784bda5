namespace UberClone.Gateway.DriverMail;

public static class DriverMailExtensions
{
    /// <summary>Drivers' weekly earnings statements: the sender, its Monday job, and how long dealt-with weeks are remembered.</summary>
    public static IHostApplicationBuilder AddDriverMail(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DriverStatements>();
        builder.Services.AddHostedService<WeeklyStatementJob>();
        builder.Services.AddRetention(builder.Configuration, sp => sp.GetRequiredService<DriverStatements>().RetentionRule());
        return builder;
    }
}
