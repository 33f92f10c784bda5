namespace UberClone.Gateway.Mail;

/// <summary>
/// Where mail goes: <c>ConnectionStrings:mail</c> in the form Aspire's MailKit client reads
/// (<c>Endpoint=smtp://host:port;Username=…;Password=…</c>, or just <c>smtp://host:port</c>); the sender from
/// <c>Mail:From</c>. No connection string: mail is written to the log instead (<see cref="LogMailTransport"/>).
/// <see cref="LinkBase"/> (<c>Mail:LinkBase</c>): the web app's public address, for links in mail (none: mail has no links).
/// </summary>
public sealed record MailSettings(Uri? Endpoint, string? Username, string? Password, string From)
{
    public string? LinkBase { get; init; }

    public const string ConnectionName = UberClone.Contracts.Resources.Mail;
    public const string DefaultFrom = "UberClone <no-reply@uberclone.local>";

    public static MailSettings Read(IConfiguration configuration)
    {
        var from = configuration["Mail:From"] is { Length: > 0 } configured ? configured : DefaultFrom;
        var linkBase = configuration["Mail:LinkBase"] is { Length: > 0 } link ? link : null;
        if (linkBase is not null && !(Uri.TryCreate(linkBase, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            throw new FormatException("Mail:LinkBase must be the web app's http(s) address, e.g. https://app.example.com.");
        }
        return Parse(configuration.GetConnectionString(ConnectionName), from) with { LinkBase = linkBase };
    }

    /// <summary>Throws <see cref="FormatException"/> for a connection string that names no smtp:// endpoint.</summary>
    public static MailSettings Parse(string? connectionString, string from = DefaultFrom)
    {
        if (string.IsNullOrWhiteSpace(connectionString)) return new MailSettings(null, null, null, from);
        var parts = connectionString.Contains('=')
            ? connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
                .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Endpoint"] = connectionString };
        if (!parts.TryGetValue("Endpoint", out var endpoint) || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("smtp" or "smtps"))
        {
            throw new FormatException($"ConnectionStrings:{ConnectionName} must name an smtp:// or smtps:// endpoint, e.g. Endpoint=smtp://localhost:1025.");
        }
        return new MailSettings(uri, parts.GetValueOrDefault("Username"), parts.GetValueOrDefault("Password"), from);
    }
}
