using System.Net.Sockets;
using Broker.Bench.Drivers;

namespace Broker.Bench.Memory;

/// <summary>
/// Subscribers that never read, with <c>max_pending</c> capping what the server holds for each,
/// while a publisher sends a burst several times that cap: the peak is what pending output costs,
/// the reading after is whether the server gives it back.
/// </summary>
internal sealed class SlowConsumersMemory(int consumers, int maxPendingMegabytes, int burstMegabytes) : MemoryScenario
{
    private const int PayloadSize = 1024;

    public override string Name => "slow-consumers";
    public override string Description => $"{consumers} slow consumers, max_pending {maxPendingMegabytes} MB, {burstMegabytes} MB burst";
    public override string ConfigLines => $"max_pending: {maxPendingMegabytes}MB\n";

    public override async Task RunAsync(MemoryProbe probe)
    {
        await probe.ReadSettledAsync("before", TimeSpan.FromSeconds(5));
        var stalled = new List<RawConnection>();
        try
        {
            for (var i = 0; i < consumers; i++)
            {
                var consumer = RawConnection.Open(probe.Endpoint, "SUB burst 1\r\n");
                // A small receive window, never read: the server's pending output is what grows.
                consumer.Socket.ReceiveBufferSize = 4096;
                stalled.Add(consumer);
            }
            using (var publisher = RawConnection.Open(probe.Endpoint))
            {
                var message = new byte[PayloadSize + 32];
                var header = "PUB burst 1024\r\n"u8;
                header.CopyTo(message);
                "\r\n"u8.CopyTo(message.AsSpan(header.Length + PayloadSize));
                var frame = message.AsSpan(0, header.Length + PayloadSize + 2).ToArray();
                var messages = burstMegabytes * 1024;
                for (var m = 0; m < messages; m++) publisher.Send(frame);
                publisher.Ping();
            }
            probe.Read("burst sent");
        }
        finally
        {
            foreach (var consumer in stalled) consumer.Dispose();
        }
        await ReadAfterLoadAsync(probe);
    }
}
