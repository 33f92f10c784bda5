using UberClone.AppHost.Orchestration;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>Aspire's names for the dashboard's resource actions.</summary>
public static class KnownResourceCommands
{
    public const string StartCommand = "resource-start";
    public const string StopCommand = "resource-stop";
    public const string RestartCommand = "resource-restart";
}

public sealed record ExecuteCommandResult(bool Success, string? ErrorMessage = null);

/// <summary>Start, stop or restart one resource while the rest keeps running.</summary>
public sealed class ResourceCommandService
{
    private readonly ApplicationOrchestrator _orchestrator;

    internal ResourceCommandService(ApplicationOrchestrator orchestrator) => _orchestrator = orchestrator;

    public async Task<ExecuteCommandResult> ExecuteCommandAsync(string resourceName, string commandName, CancellationToken cancellationToken = default)
    {
        try
        {
            switch (commandName)
            {
                case KnownResourceCommands.StopCommand:
                    await _orchestrator.StopResourceAsync(resourceName, cancellationToken);
                    break;
                case KnownResourceCommands.StartCommand:
                    await _orchestrator.StartResourceAsync(resourceName, cancellationToken);
                    break;
                case KnownResourceCommands.RestartCommand:
                    await _orchestrator.StopResourceAsync(resourceName, cancellationToken);
                    await _orchestrator.StartResourceAsync(resourceName, cancellationToken);
                    break;
                default:
                    return new ExecuteCommandResult(false, $"Unknown command '{commandName}'.");
            }
            return new ExecuteCommandResult(true);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or DistributedApplicationException)
        {
            return new ExecuteCommandResult(false, ex.Message);
        }
    }
}
