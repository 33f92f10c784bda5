namespace UberClone.Gateway.Identity;

/// <summary>
/// The short name a user recognises a session by ("Chrome on Linux", "Safari on iPhone"), from the User-Agent at sign-in.
/// Families only, never versions: a browser update must not make a known device look new (ADR 0048).
/// </summary>
public static class DeviceLabel
{
    public const string Unknown = "Unknown device";
    private const int MaxUserAgentLength = 1024;

    /// <summary>Browsers in the order they must be tried: each later one's token is in the earlier ones' User-Agents too (Edge says Chrome and Safari).</summary>
    private static readonly (string Token, string Name)[] Browsers =
    [
        ("Edg/", "Edge"), ("EdgA/", "Edge"), ("EdgiOS/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"),
        ("Firefox/", "Firefox"), ("FxiOS/", "Firefox"), ("CriOS/", "Chrome"), ("Chrome/", "Chrome"), ("Version/", "Safari"),
    ];

    /// <summary>Systems in the order they must be tried: an iPhone's says "like Mac OS X", an Android's "Linux".</summary>
    private static readonly (string Token, string Name)[] Systems =
    [
        ("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("CrOS", "ChromeOS"), ("Windows", "Windows"),
        ("Macintosh", "Mac"), ("Mac OS X", "Mac"), ("Linux", "Linux"),
    ];

    public static string From(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent)) return Unknown;
        var agent = userAgent.Length > MaxUserAgentLength ? userAgent[..MaxUserAgentLength] : userAgent;
        var browser = Find(agent, Browsers);
        // Safari is the only browser known by "Version/" alone: an app's web view says it too, without "Safari/".
        if (browser == "Safari" && !agent.Contains("Safari/", StringComparison.Ordinal)) browser = null;
        var system = Find(agent, Systems);
        return (browser, system) switch
        {
            ({ } b, { } s) => $"{b} on {s}",
            ({ } b, null) => b,
            (null, { } s) => s,
            _ => Unknown,
        };
    }

    private static string? Find(string agent, (string Token, string Name)[] candidates)
    {
        foreach (var (token, name) in candidates)
        {
            if (agent.Contains(token, StringComparison.Ordinal)) return name;
        }
        return null;
    }
}
