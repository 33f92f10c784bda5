using Aspire.Hosting.ApplicationModel;
using System.Net;

namespace Aspire.Hosting.MailPit;

/// <summary>
/// Where the application's mail goes while developing: an SMTP server hosted inside the AppHost that keeps every mail
/// (<see cref="SmtpMailbox"/>) and writes each one, decoded, to this resource's console (the dashboard's logs of
/// <c>mail</c>), as MailPit's web UI shows them. ConnectionStrings:{name} in the AppHost's configuration names a real
/// SMTP server instead. Deployed, the manifest names MailPit's image (what CommunityToolkit's AddMailPit publishes).
/// </summary>
public sealed class MailPitResource : Resource, IResourceWithConnectionString, IResourceWithEndpoints, IHostedResource, IResourceWithConsole
{
    public const string SmtpEndpointName = "smtp";

    private readonly string? _externalConnectionString;
    private Action<string, bool>? _console;

    internal MailPitResource(string name, string? externalConnectionString) : base(name) => _externalConnectionString = externalConnectionString;

    public bool IsEmbedded => _externalConnectionString is null;

    /// <summary>The SMTP server while the application runs (null before it starts and after it stops, or when external).</summary>
    public SmtpMailbox? Mailbox { get; private set; }

    /// <summary><c>Endpoint=smtp://host:port</c>, the form Aspire's MailKit client reads.</summary>
    public ValueTask<string?> GetConnectionStringAsync(CancellationToken cancellationToken = default)
    {
        if (!IsEmbedded) return ValueTask.FromResult(_externalConnectionString);
        var endpoint = Annotations.OfType<EndpointAnnotation>().Single().AllocatedEndpoint
            ?? throw new InvalidOperationException($"Mail '{Name}' has no port allocated.");
        return ValueTask.FromResult<string?>($"Endpoint=smtp://{endpoint.Address}:{endpoint.Port}");
    }

    public void WriteConsoleTo(Action<string, bool> write) => _console = write;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!IsEmbedded || Mailbox is not null) return Task.CompletedTask;
        var endpoint = Annotations.OfType<EndpointAnnotation>().Single().AllocatedEndpoint
            ?? throw new InvalidOperationException($"Mail '{Name}' has no port allocated.");
        var mailbox = new SmtpMailbox(IPAddress.Parse(endpoint.Address), endpoint.Port);
        mailbox.MailReceived += Show;
        Mailbox = mailbox;
        _console?.Invoke($"Catching mail on smtp://{endpoint.Address}:{endpoint.Port}; each mail is shown here.", false);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Mailbox is { } mailbox)
        {
            Mailbox = null;
            await mailbox.DisposeAsync();
        }
    }

    /// <summary>One console line each, so every line is shown as this resource's.</summary>
    private void Show(SmtpMailbox.ReceivedMail mail)
    {
        if (_console is not { } write) return;
        write($"Mail from {mail.From} to {string.Join(", ", mail.To)}: {mail.Subject}", false);
        foreach (var line in mail.Text.TrimEnd().ReplaceLineEndings("\n").Split('\n')) write("  " + line, false);
    }
}
