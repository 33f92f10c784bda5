namespace Aspire.Hosting.ApplicationModel;

/// <summary>Aspire's resource state names.</summary>
public static class KnownResourceStates
{
    public const string NotStarted = nameof(NotStarted);
    public const string Waiting = nameof(Waiting);
    public const string Starting = nameof(Starting);
    public const string Running = nameof(Running);
    public const string FailedToStart = nameof(FailedToStart);
    public const string Exited = nameof(Exited);
    public const string Finished = nameof(Finished);
    public const string Stopping = nameof(Stopping);

    /// <summary>States a resource stays in until someone starts it again.</summary>
    public static readonly IReadOnlyList<string> TerminalStates = [FailedToStart, Exited, Finished];

    public static bool IsTerminal(string state) => TerminalStates.Contains(state);
}
