using System.Net.Sockets;

namespace Broker.Transport;

/// <summary>Accepts connections on a bound listener until it is stopped, handing each socket on (gateway and node data ports alike).</summary>
internal static class AcceptLoop
{
    public static async Task RunAsync(TcpListener listener, Action<Socket> accepted, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            accepted(socket);
        }
    }
}
