using System.Net;
using System.Net.Sockets;

namespace UberClone.AppHost.Orchestration;

/// <summary>
/// Free loopback ports for endpoints without a fixed port. A port is handed out now and bound later by the child
/// process, so it is picked at random below the kernel's ephemeral range: there, no outgoing connection (of this
/// or any other process) can take it in between, and parallel AppHosts (test runs) rarely pick the same one.
/// </summary>
internal sealed class PortAllocator
{
    private const int LowestPort = 10_000;
    private const int Attempts = 200;
    private static readonly int FirstEphemeralPort = ReadFirstEphemeralPort();

    private readonly HashSet<int> _handedOut = [];

    public int Allocate()
    {
        if (FirstEphemeralPort - LowestPort > 1_000)
        {
            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                var port = Random.Shared.Next(LowestPort, FirstEphemeralPort);
                if (!_handedOut.Contains(port) && IsFree(port))
                {
                    _handedOut.Add(port);
                    return port;
                }
            }
        }
        while (true)
        {
            var port = BindAndRelease(0);
            if (_handedOut.Add(port))
            {
                return port;
            }
        }
    }

    /// <summary>Linux's net.ipv4.ip_local_port_range (32768 by default); elsewhere the IANA dynamic range.</summary>
    private static int ReadFirstEphemeralPort()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 49_152;
        }
    }

    public static bool IsFree(int port)
    {
        try
        {
            BindAndRelease(port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int BindAndRelease(int port)
    {
        using var listener = new TcpListener(IPAddress.Loopback, port);
        // Like Kestrel, so a port whose last process just exited (connections in TIME_WAIT) counts as free.
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
