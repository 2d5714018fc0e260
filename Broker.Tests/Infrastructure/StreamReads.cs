using System.Net.Sockets;
using System.Text;

namespace Broker.Tests.Infrastructure;

/// <summary>Reads on a plain socket stream, for clients that must otherwise stay silent readers (slow consumers).</summary>
public static class StreamReads
{
    public static async Task ReadUntilPongAsync(NetworkStream stream)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!text.ToString().Contains("PONG\r\n"))
        {
            var read = await stream.ReadAsync(buffer, cts.Token);
            if (read == 0) throw new IOException("closed before PONG");
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
    }
}
