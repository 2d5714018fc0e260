using System.Net;
using System.Net.Sockets;
using Broker.Links;

namespace Broker.Tests.Cluster;

/// <summary>A raw TCP peer on a link port (node data, gateway), speaking the shared framing by hand as a stranger would.</summary>
internal static class LinkSockets
{
    /// <summary>A frame of <paramref name="type"/> whose body is written with <see cref="BinaryWriter"/>.</summary>
    public static byte[] Frame(byte type, Action<BinaryWriter> body) => LinkFrames.Control(type, body);

    /// <summary>A messages frame: the account's name, then one plain message.</summary>
    public static byte[] Messages(string account, string subject, string reply, string payload)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(payload);
        var message = new byte[MessageFrames.SizeOf(subject.Length, reply.Length, 0, body.Length)];
        MessageFrames.Write(message, System.Text.Encoding.ASCII.GetBytes(subject), System.Text.Encoding.ASCII.GetBytes(reply), default, body, 0);
        return Frame(LinkFrames.Messages, w =>
        {
            w.Write(account);
            w.Write(message);
        });
    }

    public static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        return socket;
    }

    /// <summary>
    /// Reads until the broker closes the connection (or <paramref name="seconds"/> pass: then
    /// <c>Closed</c> is false); returns what arrived, ping frames left out.
    /// </summary>
    public static async Task<(bool Closed, byte[] Received)> ReadUntilClosedAsync(Socket socket, int seconds = 15)
    {
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (read == 0) break;
                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException)
        {
        }
        catch (OperationCanceledException)
        {
            return (false, WithoutPings(received.ToArray()));
        }
        return (true, WithoutPings(received.ToArray()));
    }

    private static byte[] WithoutPings(byte[] bytes)
    {
        var kept = new MemoryStream();
        var at = 0;
        while (at < bytes.Length)
        {
            if (bytes.AsSpan(at).StartsWith(LinkFrames.PingFrame)) at += LinkFrames.PingFrame.Length;
            else kept.WriteByte(bytes[at++]);
        }
        return kept.ToArray();
    }
}
