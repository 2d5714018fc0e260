using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Broker.Bench.Drivers;

/// <summary>
/// A plain socket speaking the NATS protocol by hand: CONNECT with verbose off, then whatever bytes
/// the caller writes. Blocking calls on purpose: each raw connection is driven by its own thread,
/// which keeps the generator far cheaper than the server it measures.
/// </summary>
internal sealed class RawConnection : IDisposable
{
    private static readonly byte[] Connect = Encoding.ASCII.GetBytes(
        "CONNECT {\"verbose\":false,\"pedantic\":false,\"echo\":false,\"headers\":true,\"no_responders\":true,\"lang\":\"bench\",\"version\":\"1\",\"protocol\":1}\r\nPING\r\n");

    private RawConnection(Socket socket) => Socket = socket;

    public Socket Socket { get; }

    /// <summary>Connects, reads INFO, sends CONNECT and waits for the PONG that confirms it.</summary>
    public static RawConnection Open(IPEndPoint server, string? extraSetup = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.ReceiveBufferSize = 1 << 20;
        socket.SendBufferSize = 1 << 20;
        socket.Connect(server);
        var connection = new RawConnection(socket);
        connection.ReadLine("INFO");
        connection.Send(Connect);
        if (extraSetup is not null) connection.Send(Encoding.ASCII.GetBytes(extraSetup));
        connection.Send("PING\r\n"u8);
        connection.ReadLine("PONG");
        if (extraSetup is not null) connection.ReadLine("PONG");
        return connection;
    }

    /// <summary>A PING and the PONG that answers it: everything sent before has been processed.</summary>
    public void Ping()
    {
        Send("PING\r\n"u8);
        ReadLine("PONG");
    }

    public void Send(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty) bytes = bytes[Socket.Send(bytes)..];
    }

    /// <summary>
    /// Reads byte by byte up to the line starting with <paramref name="expectedPrefix"/>; only for the
    /// handshake, never per message. An INFO update on the way (a cluster node sends one whenever its
    /// connect_urls change) is passed over, a PING answered.
    /// </summary>
    private void ReadLine(string expectedPrefix)
    {
        var one = new byte[1];
        while (true)
        {
            var line = new StringBuilder();
            while (true)
            {
                if (Socket.Receive(one) == 0) throw new IOException($"server closed the connection while waiting for {expectedPrefix}");
                if (one[0] == '\n') break;
                line.Append((char)one[0]);
            }
            var text = line.ToString().TrimEnd('\r');
            if (text.StartsWith(expectedPrefix, StringComparison.Ordinal)) return;
            // The server's own PING (its RTT measurement) can come first on a slow start: answered, and read on.
            if (text == "PING")
            {
                Send("PONG\r\n"u8);
                continue;
            }
            if (!text.StartsWith("INFO ", StringComparison.Ordinal))
                throw new IOException($"expected {expectedPrefix}, got: {text}");
        }
    }

    public void Dispose() => Socket.Dispose();
}
