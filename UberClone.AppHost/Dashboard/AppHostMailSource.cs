using Aspire.Hosting.MailPit;
using UberClone.Dashboard.Mail;

namespace UberClone.AppHost.Dashboard;

/// <summary>The dashboard's Mail page: what the model's mail resources (<see cref="MailPitResource"/>) caught while running.</summary>
internal sealed class AppHostMailSource(DistributedApplicationModel model) : IMailSource
{
    public IReadOnlyList<MailView> GetMail() =>
        [.. model.Resources.OfType<MailPitResource>()
            .SelectMany(r => (r.Mailbox?.Received ?? []).Select(m => new MailView(m.Id, m.At, r.Name, m.From, m.To, m.Subject, m.Text, m.Html)))
            .OrderByDescending(m => m.At).ThenByDescending(m => m.Id)];
}
