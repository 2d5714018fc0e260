using System.Net.Sockets;
using System.Text;
using Broker.Bench.Drivers;

namespace Broker.Bench.Memory;

/// <summary>
/// Connections that send nearly a maximum payload and then bytes that are not the protocol: the
/// server buffers each payload before it can tell, then answers -ERR and closes. The peak is what
/// those buffers cost at once, the reading after is whether they come back.
/// </summary>
internal sealed class GarbageMemory(int connections) : MemoryScenario
{
    private const int PayloadSize = 1_000_000;

    public override string Name => "garbage";
    public override string Description => $"{connections} connections send a 1 MB payload then garbage";

    public override async Task RunAsync(MemoryProbe probe)
    {
        await probe.ReadSettledAsync("before", TimeSpan.FromSeconds(5));
        var random = new Random(21);
        var body = new byte[PayloadSize];
        random.NextBytes(body);
        var frame = Encoding.ASCII.GetBytes($"PUB junk {PayloadSize}\r\n").Concat(body).Concat("XX garbage\r\n"u8.ToArray()).ToArray();
        var opened = new List<RawConnection>();
        try
        {
            for (var i = 0; i < connections; i++) opened.Add(RawConnection.Open(probe.Endpoint));
            // All send at once, so the payloads are buffered side by side as a real flood would have them.
            await Parallel.ForEachAsync(opened, new ParallelOptions { MaxDegreeOfParallelism = 16 }, (connection, _) =>
            {
                try { connection.Send(frame); }
                catch (SocketException) { } // Closed by the server before the last bytes: what garbage earns.
                return ValueTask.CompletedTask;
            });
            // Each connection is closed by the server once it has seen the garbage.
            await Parallel.ForEachAsync(opened, new ParallelOptions { MaxDegreeOfParallelism = 16 }, (connection, _) =>
            {
                connection.Socket.ReceiveTimeout = 30_000;
                var sink = new byte[4096];
                try { while (connection.Socket.Receive(sink) > 0) { } }
                catch (SocketException) { }
                return ValueTask.CompletedTask;
            });
            probe.Read("closed");
        }
        finally
        {
            foreach (var connection in opened) connection.Dispose();
        }
        await ReadAfterLoadAsync(probe);
    }
}
