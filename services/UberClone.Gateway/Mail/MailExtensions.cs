namespace UberClone.Gateway.Mail;

public static class MailExtensions
{
    /// <summary>The mail queue, through SMTP when <c>ConnectionStrings:mail</c> is set (<see cref="MailSettings"/>), else the log.</summary>
    public static void AddMail(this IHostApplicationBuilder builder)
    {
        var settings = MailSettings.Read(builder.Configuration);
        builder.Services.AddSingleton(settings);
        if (settings.Endpoint is null) builder.Services.AddSingleton<IMailTransport, LogMailTransport>();
        else builder.Services.AddSingleton<IMailTransport, SmtpMailTransport>();
        builder.Services.AddSingleton<MailQueue>();
        builder.Services.AddHostedService(services => services.GetRequiredService<MailQueue>());
    }
}
