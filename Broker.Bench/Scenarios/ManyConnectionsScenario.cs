using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Broker.Bench.Drivers;
using Broker.Bench.Measurement;

namespace Broker.Bench.Scenarios;

/// <summary>
/// Many idle connections with one subscription each on the same subject: how long they take to
/// connect, what they cost the server in resident memory, and how fast one broadcast reaches all.
/// Raw protocol only: thousands of client-library connections would measure the library.
/// </summary>
internal sealed class ManyConnectionsScenario : Scenario
{
    private const int Broadcasts = 5;
    private const int ConnectConcurrency = 100;

    public override string Name => "connections";

    public override bool SupportsClientLibrary => false;

    /// <summary>The count is the number of connections.</summary>
    public override int DefaultCount(int payloadSize) => 2_000;

    public override async Task<ScenarioResult> RunAsync(ScenarioContext context)
    {
        var before = context.SampleServer();
        var clientBefore = ProcessSample.OwnCpuSeconds();
        var idleBefore = before.ResidentBytes;
        var connections = new Connection[context.Count];
        try
        {
            var clock = Stopwatch.StartNew();
            using (var gate = new SemaphoreSlim(ConnectConcurrency))
            {
                await Task.WhenAll(Enumerable.Range(0, connections.Length).Select(async i =>
                {
                    await gate.WaitAsync();
                    try { connections[i] = await Connection.OpenAsync(context); }
                    finally { gate.Release(); }
                }));
            }
            var connectSeconds = clock.Elapsed.TotalSeconds;
            var connected = context.SampleServer();

            using var publisher = await context.Driver.CreatePublisherAsync("broadcast", context.PayloadSize);
            var broadcastTimes = new double[Broadcasts];
            for (var b = 0; b < Broadcasts; b++)
            {
                var arrivals = connections.Select(c => c.ReceiveOneAsync()).ToArray();
                var start = Stopwatch.GetTimestamp();
                await publisher.PublishAsync(1);
                var all = Task.WhenAll(arrivals);
                var left = context.Deadline - DateTime.UtcNow;
                if (await Task.WhenAny(all, Task.Delay(left > TimeSpan.Zero ? left : TimeSpan.Zero)) != all)
                    throw new TimeoutException($"broadcast {b} did not reach all {connections.Length} connections in time");
                broadcastTimes[b] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            var after = context.SampleServer();
            var perConnection = Math.Max(0, connected.ResidentBytes - idleBefore) / (double)connections.Length;
            return Result(context, this,
            [
                new Metric("broadcast to all", Percentiles.Median(broadcastTimes), "ms", HigherIsBetter: false),
                new Metric("connect all", connectSeconds * 1000, "ms", HigherIsBetter: false),
                new Metric("server RSS connected", connected.ResidentBytes / 1e6, "MB", HigherIsBetter: false),
                new Metric("RSS per connection", perConnection / 1e3, "KB", HigherIsBetter: false),
            ], before, after, clientBefore);
        }
        finally
        {
            foreach (var connection in connections) connection?.Dispose();
        }
    }

    /// <summary>One async connection; reading is only ever one frame at a time, never per message in a hot loop.</summary>
    private sealed class Connection : IDisposable
    {
        private static readonly byte[] Setup = Encoding.ASCII.GetBytes(
            "CONNECT {\"verbose\":false,\"pedantic\":false,\"echo\":false,\"protocol\":1}\r\nSUB broadcast 1\r\nPING\r\n");

        private readonly Socket _socket;
        private readonly MsgFrameReader _reader = new(512);

        private Connection(Socket socket) => _socket = socket;

        public static async Task<Connection> OpenAsync(ScenarioContext context)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            var connection = new Connection(socket);
            using var timeout = new CancellationTokenSource(context.Deadline - DateTime.UtcNow);
            await socket.ConnectAsync(context.Server, timeout.Token);
            await connection.ReadUntilAsync('I', timeout.Token);
            await socket.SendAsync(Setup, timeout.Token);
            await connection.ReadUntilAsync('O', timeout.Token);
            return connection;
        }

        public async Task ReceiveOneAsync() => await ReadUntilAsync('M', CancellationToken.None);

        private async Task ReadUntilAsync(char wanted, CancellationToken cancel)
        {
            while (true)
            {
                while (_reader.TryTake(out var kind, out _, out _))
                {
                    if (kind == wanted) return;
                    if (kind == 'P') await _socket.SendAsync("PONG\r\n"u8.ToArray(), cancel);
                }
                var read = await _socket.ReceiveAsync(_reader.FreeSpace(), cancel);
                if (read == 0) throw new IOException("server closed a connection");
                _reader.Advance(read);
            }
        }

        public void Dispose() => _socket.Dispose();
    }
}
