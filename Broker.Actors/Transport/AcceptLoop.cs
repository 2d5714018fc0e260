using System.Net.Sockets;

namespace Broker.Transport;

/// <summary>
/// Accepts connections on a bound socket until it is stopped, handing each socket on: the client
/// port, the gateway port and the node data port alike. What to do with a socket (limits, the
/// protocol, authentication) is the caller's.
/// </summary>
internal static class AcceptLoop
{
    /// <param name="failed">
    /// Told of an accept that failed while not stopping; the loop then goes on. Without it, such a
    /// failure ends the loop.
    /// </param>
    public static async Task RunAsync(Socket listener, Action<Socket> accepted, CancellationToken stopping, Action<SocketException>? failed = null)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (SocketException e) when (failed is not null && !stopping.IsCancellationRequested)
            {
                failed(e);
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            accepted(socket);
        }
    }
}
