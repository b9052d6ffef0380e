using System.Net;
using System.Net.Sockets;

namespace Hub.Functions.Tests.Support;

/// <summary>Ports for servers that must be told their address before they start (Kannel's callbacks into the hub).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until something accepts connections on <paramref name="port"/>.</summary>
    public static async Task WaitUntilListening(int port, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            catch (SocketException ex)
            {
                throw new TimeoutException($"{what} is not listening on port {port} after {timeout}.", ex);
            }
        }
    }
}
