using UberClone.Storage.Retention;

namespace UberClone.Gateway.Mail;

public static class MailExtensions
{
    /// <summary>
    /// The mail outbox in the gateway's database and its sender, through SMTP when <c>ConnectionStrings:mail</c> is set
    /// (<see cref="MailSettings"/>), else the log; what is kept of sent mail goes after <see cref="MailOutbox.KeepDoneFor"/>.
    /// </summary>
    public static void AddMail(this IHostApplicationBuilder builder)
    {
        var settings = MailSettings.Read(builder.Configuration);
        builder.Services.AddSingleton(settings);
        if (settings.Endpoint is null) builder.Services.AddSingleton<IMailTransport, LogMailTransport>();
        else builder.Services.AddSingleton<IMailTransport, SmtpMailTransport>();
        builder.Services.AddSingleton<MailOutbox>();
        builder.Services.AddSingleton<UnsubscribeLinks>();
        builder.Services.AddHostedService<MailSender>();
        builder.Services.AddHealthChecks().AddCheck<MailHealthCheck>(MailHealthCheck.Name);
        builder.Services.AddRetention(builder.Configuration, sp => RetentionRule.For(
            sp.GetRequiredService<MailOutbox>().Mails, MailOutbox.CollectionName, QueuedMail.DoneAtField, MailOutbox.KeepDoneFor));
    }
}
