using System.Buffers.Text;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using UberClone.Gateway.Identity;
using UberClone.Gateway.Realtime;

namespace UberClone.Bench.Realtime;

public static class BenchMain
{
    private static long s_pushed;

    public static async Task<int> Main(string[] args)
    {
        if (args is ["server", var kind]) return await ServeAsync(kind);
        var connections = args.Length > 0 ? int.Parse(args[0]) : 10_000;
        var seconds = args.Length > 1 ? int.Parse(args[1]) : 30;
        Console.WriteLine($"{connections} connections, 1 message/s each, {seconds} s measured (after 5 s warm-up), {Environment.ProcessorCount} cores");
        Console.WriteLine("| server | connections | received in window | p50 ms | p99 ms | max ms | server RSS per idle connection | server managed heap per idle connection |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        // "gateway": token as a WebSocket subprotocol, as the web app sends it; "gateway-query": ?access_token= instead.
        var servers = (Environment.GetEnvironmentVariable("BENCH_SERVERS") ?? "plain,gateway,gateway-query").Split(',', StringSplitOptions.TrimEntries);
        foreach (var server in servers)
        {
            Console.WriteLine(await RunAsync(server, connections, seconds));
        }
        return 0;
    }

    private static async Task<string> RunAsync(string kind, int connections, int seconds)
    {
        using var server = Process.Start(new ProcessStartInfo(Environment.ProcessPath!, ["server", kind])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var port = int.Parse((await server.StandardOutput.ReadLineAsync())!.Split(' ')[1]);
        var (rss0, heap0) = await MeasureAsync(server);

        var clients = new BenchClient[connections];
        var recorder = new LatencyRecorder(connections * (seconds + 2));
        using var throttle = new SemaphoreSlim(64);
        var connecting = Enumerable.Range(0, connections).Select(async i =>
        {
            await throttle.WaitAsync();
            try
            {
                var user = $"r{i:D6}";
                var (uri, subProtocols) = kind switch
                {
                    "gateway" => ($"ws://127.0.0.1:{port}/ws", new[] { SocketAuthenticator.SubProtocol, "access_token." + Token(user) }),
                    "gateway-query" => ($"ws://127.0.0.1:{port}/ws?access_token={Token(user)}", []),
                    _ => ($"ws://127.0.0.1:{port}/ws?user={user}", []),
                };
                clients[i] = await BenchClient.ConnectAsync(new Uri(uri), subProtocols, recorder);
            }
            finally
            {
                throttle.Release();
            }
        });
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(connecting);
        var connectTime = watch.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(3));
        var (rss1, heap1) = await MeasureAsync(server);

        await server.StandardInput.WriteLineAsync("push");
        await Task.Delay(TimeSpan.FromSeconds(5));
        // The window is by push time: messages pushed inside it count, however late they arrive (up to 1 s after).
        recorder.Recording = true;
        recorder.WindowStart = Stopwatch.GetTimestamp();
        var pushedBefore = await PushedAsync(server);
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        recorder.WindowEnd = Stopwatch.GetTimestamp();
        var pushed = await PushedAsync(server) - pushedBefore;
        await Task.Delay(TimeSpan.FromSeconds(1));
        recorder.Recording = false;
        await server.StandardInput.WriteLineAsync("stop");
        await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        foreach (var client in clients) client.Abort();

        var latencies = recorder.Snapshot();
        Array.Sort(latencies);
        double Percentile(double p) => latencies.Length == 0 ? double.NaN : latencies[Math.Min(latencies.Length - 1, (int)(p * latencies.Length))];
        var closed = clients.Count(c => c.ClosedByServer);
        return $"| {kind} | {connections} (connected in {connectTime.TotalSeconds:F1} s{(closed > 0 ? $", {closed} closed by server" : "")}) | {latencies.Length:N0} of {pushed:N0} pushed ({connections * seconds:N0} due) | {Percentile(0.50):F1} | {Percentile(0.99):F1} | {Percentile(1):F1} | {(rss1 - rss0) / connections / 1024.0:F1} KB | {(heap1 - heap0) / connections / 1024.0:F1} KB |";
    }

    private static async Task<long> PushedAsync(Process server)
    {
        await server.StandardInput.WriteLineAsync("count");
        return long.Parse((await server.StandardOutput.ReadLineAsync())!.Split(' ')[1]);
    }

    private static async Task<(long Rss, long Heap)> MeasureAsync(Process server)
    {
        await server.StandardInput.WriteLineAsync("gc");
        var heap = long.Parse((await server.StandardOutput.ReadLineAsync())!.Split(' ')[1]);
        var rssLine = File.ReadLines($"/proc/{server.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var rss = long.Parse(rssLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return (rss, heap);
    }

    private static string Token(string user) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = JwtOptions.DefaultIssuer,
        Audience = JwtOptions.DefaultAudience,
        Expires = DateTime.UtcNow.AddHours(1),
        Subject = new ClaimsIdentity([new Claim("sub", user), new Claim(TokenService.RoleClaim, "rider"), new Claim("name", "Bench")]),
        SigningCredentials = new SigningCredentials(new JwtOptions { SigningKey = GatewayHubServer.SigningKey }.Key, SecurityAlgorithms.HmacSha256),
    });

    /// <summary>Server process: prints "port N", then obeys "gc" (prints "heap BYTES"), "push" and "stop" on stdin.</summary>
    private static async Task<int> ServeAsync(string kind)
    {
        IPushServer server = kind.StartsWith("gateway", StringComparison.Ordinal) ? new GatewayHubServer() : new PlainKestrelServer();
        Console.WriteLine($"port {await server.StartAsync()}");
        using var stop = new CancellationTokenSource();
        Task pushing = Task.CompletedTask;
        while (await Console.In.ReadLineAsync() is { } command)
        {
            switch (command)
            {
                case "gc":
                    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                    GC.WaitForPendingFinalizers();
                    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                    Console.WriteLine($"heap {GC.GetTotalMemory(forceFullCollection: false)}");
                    break;
                case "count":
                    Console.WriteLine($"count {Interlocked.Read(ref s_pushed)}");
                    break;
                case "push":
                    pushing = PushAsync(server, stop.Token);
                    break;
                case "stop":
                    await stop.CancelAsync();
                    await pushing;
                    return 0;
            }
        }
        return 0;
    }

    /// <summary>Every user once a second, spread over 100 slots of 10 ms so the load is even.</summary>
    private static async Task PushAsync(IPushServer server, CancellationToken ct)
    {
        var users = server.Users.ToArray();
        const int slots = 100;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        var slot = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                for (var i = slot; i < users.Length; i += slots)
                {
                    if (server.Push(users[i])) Interlocked.Increment(ref s_pushed);
                }
                slot = (slot + 1) % slots;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}

public sealed class LatencyRecorder(int capacity)
{
    private readonly double[] _samples = new double[capacity];
    private int _count;
    public volatile bool Recording;
    public long WindowStart;
    public long WindowEnd = long.MaxValue;

    public void Record(long pushedAt)
    {
        if (!Recording || pushedAt < Volatile.Read(ref WindowStart) || pushedAt >= Volatile.Read(ref WindowEnd)) return;
        var index = Interlocked.Increment(ref _count) - 1;
        if (index < _samples.Length) _samples[index] = Stopwatch.GetElapsedTime(pushedAt).TotalMilliseconds;
    }

    public double[] Snapshot() => _samples[..Math.Min(_count, _samples.Length)];
}

public sealed class BenchClient
{
    private readonly ClientWebSocket _socket = new();
    private readonly LatencyRecorder _recorder;

    private BenchClient(LatencyRecorder recorder) => _recorder = recorder;

    public bool ClosedByServer { get; private set; }

    public static async Task<BenchClient> ConnectAsync(Uri uri, string[] subProtocols, LatencyRecorder recorder)
    {
        var client = new BenchClient(recorder);
        client._socket.Options.KeepAliveInterval = TimeSpan.Zero;
        foreach (var protocol in subProtocols) client._socket.Options.AddSubProtocol(protocol);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await client._socket.ConnectAsync(uri, deadline.Token);
        _ = client.ReceiveAsync();
        return client;
    }

    public void Abort() => _socket.Abort();

    private async Task ReceiveAsync()
    {
        var buffer = new byte[2048];
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    ClosedByServer = true;
                    return;
                }
                if (PushedAt(buffer.AsSpan(0, result.Count)) is { } pushedAt) _recorder.Record(pushedAt);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static long? PushedAt(ReadOnlySpan<byte> message)
    {
        var at = message.IndexOf("\"t\":"u8);
        if (at < 0) return null;
        return Utf8Parser.TryParse(message[(at + 4)..], out long value, out _) ? value : null;
    }
}
