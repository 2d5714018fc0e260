using System.Net;
using System.Net.Sockets;

namespace Broker.Tests;

/// <summary>
/// A TCP forwarder on loopback between two servers: each accepted connection is paired with one to
/// <see cref="TargetPort"/> and bytes are pumped both ways. What a proxy does with the bytes it
/// passes (record them, swallow them) is the subclass's <see cref="Passing"/>.
/// </summary>
public abstract class LoopbackProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = new();

    protected LoopbackProxy()
    {
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Where connections are forwarded to; may be set after the proxy listens, before the first connection.</summary>
    public int TargetPort { get; set; }

    /// <summary>Sees every chunk read from either side; returns whether it goes on to the other side.</summary>
    protected abstract bool Passing(ReadOnlySpan<byte> bytes);

    /// <summary>One side closed or failed: by default the other side is told (its sending half shut).</summary>
    protected virtual void Ended(Socket to) => to.Shutdown(SocketShutdown.Send);

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
                await server.ConnectAsync(IPAddress.Loopback, TargetPort, _stop.Token);
            }
            catch (Exception)
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
                if (Passing(buffer.AsSpan(0, read))) await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception)
        {
            // Either side went away: the pump ends; disposal closes the rest.
        }
        try
        {
            Ended(to);
        }
        catch (Exception)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_sockets) foreach (var socket in _sockets) socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
