using System.Diagnostics;
using System.Reflection;
using Events = Aspire.Hosting.DistributedApplicationBuilder.DiagnosticEvents;

namespace Aspire.Hosting.Testing;

/// <summary>
/// Runs the AppHost's real entry point (its Program.cs model) on a thread of its own and, like Aspire's
/// DistributedApplicationFactory, listens to the builder's diagnostic events: test settings go in before the model
/// is declared, the entry point is held at Build() until the test calls BuildAsync, and the built application is
/// taken away from it (the entry point is then aborted instead of running the application itself).
/// </summary>
internal sealed class DistributedApplicationFactory(Assembly appHostAssembly, string[] args, Action<DistributedApplicationOptions>? configure)
    : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    /// <summary>Set on the entry point's thread only, so factories of tests running in parallel never see each other's events.</summary>
    private static readonly AsyncLocal<DistributedApplicationFactory?> Current = new();

    private readonly TestSettings _settings = new();
    private readonly TaskCompletionSource<DistributedApplicationBuilder> _builder = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<DistributedApplication> _application = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _buildRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<IDisposable> _subscriptions = [];

    public async Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync(CancellationToken cancellationToken)
    {
        var entryPoint = appHostAssembly.EntryPoint
            ?? throw new InvalidOperationException($"{appHostAssembly.GetName().Name} has no entry point.");
        lock (_subscriptions)
        {
            _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
        }
        new Thread(() => RunEntryPoint(entryPoint)) { IsBackground = true, Name = $"{appHostAssembly.GetName().Name} entry point" }.Start();
        var builder = await _builder.Task.WaitAsync(cancellationToken);
        return new TestingBuilder(builder, BuildAsync, DisposeAsync);
    }

    private async Task<DistributedApplication> BuildAsync(CancellationToken cancellationToken)
    {
        _buildRequested.TrySetResult(true);
        try
        {
            return await _application.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            Unsubscribe();
        }
    }

    private ValueTask DisposeAsync()
    {
        _buildRequested.TrySetResult(false);
        Unsubscribe();
        return ValueTask.CompletedTask;
    }

    private void RunEntryPoint(MethodInfo entryPoint)
    {
        Current.Value = this;
        try
        {
            var result = entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? [] : [args]);
            (result as Task)?.GetAwaiter().GetResult();
            Fail(new InvalidOperationException($"The entry point of {appHostAssembly.GetName().Name} returned without calling Build()."));
        }
        catch (Exception ex) when (Unwrap(ex) is EntryPointStoppedException)
        {
            // The application was taken (or the test gave up before building): the entry point's work is done.
        }
        catch (Exception ex)
        {
            Fail(Unwrap(ex));
        }
    }

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == Events.ListenerName)
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(listener.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> diagnostic)
    {
        if (Current.Value != this)
        {
            return;
        }
        switch (diagnostic.Key, diagnostic.Value)
        {
            case (Events.Constructing, DistributedApplicationOptions options):
                options.Args = args;
                options.AppHostAssembly = appHostAssembly;
                _settings.ApplyTo(options);
                configure?.Invoke(options);
                break;
            case (Events.Constructed, DistributedApplicationBuilder builder):
                _settings.ApplyTo(builder);
                break;
            case (Events.Building, DistributedApplicationBuilder builder):
                _builder.TrySetResult(builder);
                if (!_buildRequested.Task.GetAwaiter().GetResult())
                {
                    throw new EntryPointStoppedException();
                }
                break;
            case (Events.Built, DistributedApplication application):
                _application.TrySetResult(application);
                throw new EntryPointStoppedException();
        }
    }

    public void OnCompleted() { }

    public void OnError(Exception error) { }

    private void Fail(Exception exception)
    {
        _builder.TrySetException(exception);
        _application.TrySetException(exception);
    }

    private void Unsubscribe()
    {
        lock (_subscriptions)
        {
            _subscriptions.ForEach(s => s.Dispose());
            _subscriptions.Clear();
        }
    }

    private static Exception Unwrap(Exception exception) =>
        exception is TargetInvocationException { InnerException: { } inner } ? inner : exception;

    /// <summary>Thrown out of Build() inside the entry point: the application now belongs to the test.</summary>
    private sealed class EntryPointStoppedException : Exception;
}
