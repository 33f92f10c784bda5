using System.Net;
using System.Net.Sockets;

namespace UberClone.AppHost.Orchestration;

/// <summary>
/// One address in front of a project's replicas (Aspire's proxy): each accepted connection goes to the next replica
/// in turn, skipping replicas that refuse. Per connection, so a WebSocket stays on the replica it reached.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IReadOnlyList<int> _targetPorts;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private int _next;

    public TcpProxy(int port, IReadOnlyList<int> targetPorts)
    {
        _targetPorts = targetPorts;
        _listener = new TcpListener(IPAddress.Loopback, port);
        // Like Kestrel: a restart may bind while old connections linger in TIME_WAIT.
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _acceptLoop = AcceptAsync(_stopping.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _acceptLoop.ContinueWith(_ => { }, TaskScheduler.Default);
        _stopping.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(cancellationToken);
            _ = ForwardAsync(client, cancellationToken);
        }
    }

    private async Task ForwardAsync(TcpClient client, CancellationToken cancellationToken)
    {
        try
        {
            using (client)
            using (var upstream = await ConnectToNextReplicaAsync(cancellationToken))
            {
                if (upstream is null)
                {
                    return;
                }
                var downstream = client.GetStream();
                var upstreamStream = upstream.GetStream();
                // Either side closing ends the connection; disposal then ends the other copy.
                await Task.WhenAny(
                    downstream.CopyToAsync(upstreamStream, cancellationToken),
                    upstreamStream.CopyToAsync(downstream, cancellationToken));
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A reset connection or a stopping proxy: nothing to report.
        }
    }

    private async Task<TcpClient?> ConnectToNextReplicaAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < _targetPorts.Count; attempt++)
        {
            var port = _targetPorts[(int)((uint)Interlocked.Increment(ref _next) % _targetPorts.Count)];
            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return upstream;
            }
            catch (SocketException)
            {
                upstream.Dispose();
            }
        }
        return null;
    }
}
