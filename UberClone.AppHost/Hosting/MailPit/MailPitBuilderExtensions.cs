using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.MailPit;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

public static class MailPitBuilderExtensions
{
    /// <summary>
    /// A mail catcher for local runs, in the shape of CommunityToolkit.Aspire.Hosting.MailPit's AddMailPit: referenced
    /// resources get ConnectionStrings__{name}=Endpoint=smtp://host:port. ConnectionStrings:{name} in the AppHost's
    /// configuration names a real SMTP server instead; otherwise the catcher listens on 127.0.0.1:{smtpPort} (null or
    /// randomized ports: a free one).
    /// </summary>
    public static IResourceBuilder<MailPitResource> AddMailPit(this IDistributedApplicationBuilder builder, string name, int? smtpPort = null)
    {
        var mail = builder.AddResource(new MailPitResource(name, builder.Configuration.GetConnectionString(name)));
        if (mail.Resource.IsEmbedded)
        {
            mail.WithAnnotation(new EndpointAnnotation(MailPitResource.SmtpEndpointName)
            {
                UriScheme = "smtp",
                Transport = "tcp",
                Port = smtpPort,
                TargetHost = "127.0.0.1",
            });
        }
        return mail;
    }
}
