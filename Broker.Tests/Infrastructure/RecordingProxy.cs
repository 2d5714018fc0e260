using System.Net;
using System.Net.Sockets;

namespace Broker.Tests;

/// <summary>A TCP forwarder on loopback that keeps a copy of every byte it passes, both ways: what a wiretap between two servers would see.</summary>
public sealed class RecordingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly MemoryStream _recorded = new();
    private readonly List<Socket> _sockets = new();

    public RecordingProxy()
    {
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Where connections are forwarded to; may be set after the proxy listens, before the first connection.</summary>
    public int TargetPort { get; set; }

    /// <summary>Every byte passed so far, both directions interleaved.</summary>
    public byte[] Recorded
    {
        get { lock (_recorded) return _recorded.ToArray(); }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, TargetPort);
            }
            catch (SocketException)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }
            lock (_sockets) _sockets.AddRange([client, server]);
            _ = PumpAsync(client, server);
            _ = PumpAsync(server, client);
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0) break;
                lock (_recorded) _recorded.Write(buffer, 0, read);
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception)
        {
        }
        try
        {
            to.Shutdown(SocketShutdown.Both);
        }
        catch (Exception)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (var socket in _sockets) socket.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
