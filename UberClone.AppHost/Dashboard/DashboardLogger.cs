using Microsoft.Extensions.Logging;
using UberClone.AppHost.Orchestration;

namespace UberClone.AppHost.Dashboard;

/// <summary>The in-process dashboard's own warnings and errors (a failing page, a malformed export) as AppHost console lines.</summary>
internal sealed class DashboardLoggerProvider(ResourceLoggerService logs) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new DashboardLogger(logs, categoryName);

    public void Dispose()
    {
    }

    private sealed class DashboardLogger(ResourceLoggerService logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                logs.Write(ConsoleOutput.AppHostName, $"dashboard {logLevel.ToString().ToLowerInvariant()}: {category}: {formatter(state, exception)}{(exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})")}", isError: true);
            }
        }
    }
}
