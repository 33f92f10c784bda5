using System.Net;
using System.Net.Sockets;

namespace UberClone.AppHost.Orchestration;

/// <summary>Free loopback ports for endpoints without a fixed port (the OS picks, we remember what we handed out).</summary>
internal sealed class PortAllocator
{
    private readonly HashSet<int> _handedOut = [];

    public int Allocate()
    {
        while (true)
        {
            var port = BindAndRelease(0);
            if (_handedOut.Add(port))
            {
                return port;
            }
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
