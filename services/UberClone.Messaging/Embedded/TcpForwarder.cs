using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace UberClone.Messaging.Embedded;

/// <summary>
/// Relays every connection on a chosen address to the mock broker's own (random) port, so clients can be given a
/// fixed, well-known address. Bytes are copied as they are; Kafka's protocol needs nothing more.
/// </summary>
internal sealed class TcpForwarder : IAsyncDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Task> _relays = new();
    private Task _acceptLoop = Task.CompletedTask;
    private long _nextRelayId;

    private TcpForwarder(TcpListener listener) => _listener = listener;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Binds now (so a taken port fails fast); relaying starts with <see cref="Start"/>.</summary>
    public static TcpForwarder Bind(IPAddress address, int port)
    {
        var listener = new TcpListener(address, port);
        listener.Start();
        return new TcpForwarder(listener);
    }

    public void Start(IPEndPoint target) => _acceptLoop = AcceptLoopAsync(target, _stopping.Token);

    private async Task AcceptLoopAsync(IPEndPoint target, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(ct);
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // a client that gave up while being accepted
            }

            var id = Interlocked.Increment(ref _nextRelayId);
            var relay = RelayAsync(client, target, ct);
            _relays[id] = relay;
            // Registered after the add, so even a relay that already finished is removed.
            _ = relay.ContinueWith(
                _ => _relays.TryRemove(id, out Task? _), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private static async Task RelayAsync(Socket client, IPEndPoint target, CancellationToken ct)
    {
        using (client)
        using (var upstream = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp))
        {
            try
            {
                client.NoDelay = true;
                upstream.NoDelay = true;
                await upstream.ConnectAsync(target, ct);
                using var oneSideClosed = CancellationTokenSource.CreateLinkedTokenSource(ct);
                // Kafka never half-closes: when either side is done the connection is over, so stop both pumps.
                await Task.WhenAny(
                    PumpAsync(client, upstream, oneSideClosed.Token),
                    PumpAsync(upstream, client, oneSideClosed.Token));
                await oneSideClosed.CancelAsync();
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A client or the broker went away; the client reconnects if it still needs to.
            }
        }
    }

    private static async Task PumpAsync(Socket from, Socket to, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, ct);
                if (read == 0)
                {
                    return;
                }
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, ct);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Ends the relay; see RelayAsync.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        await _stopping.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        await Task.WhenAll(_relays.Values);
        _stopping.Dispose();
    }
}
