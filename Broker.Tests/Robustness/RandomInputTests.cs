using System.Net.Sockets;
using System.Text;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Robustness;

/// <summary>DESIGN.md semantic 7: any bytes from a client get at worst an -ERR and a close; everyone else carries on.</summary>
public class RandomInputTests
{
    private static readonly string[] ValidFrames =
    [
        "CONNECT {\"verbose\":false,\"headers\":true}\r\n", "PING\r\n", "PONG\r\n", "SUB foo.* 1\r\n", "SUB > q 2\r\n",
        "UNSUB 1 3\r\n", "PUB foo.bar 5\r\nhello\r\n", "PUB foo.bar reply 0\r\n\r\n", "HPUB foo.bar 12 14\r\nNATS/1.0\r\n\r\nab\r\n",
    ];

    [Fact]
    public async Task Garbage_and_mutated_frames_never_disturb_a_healthy_pair()
    {
        await using var broker = await TestBroker.StartAsync(o => o with { MaxPayload = 4096, MaxControlLine = 256 });
        await using var subscriber = await RawClient.ConnectAsync(broker.Port);
        await using var publisher = await RawClient.ConnectAsync(broker.Port);
        await subscriber.SendAsync("CONNECT {\"verbose\":false}\r\nSUB healthy 1\r\nPING\r\n");
        await subscriber.ReadUntilAsync("PONG\r\n");
        await publisher.SendAsync("CONNECT {\"verbose\":false}\r\n");

        var random = new Random(20261124);
        for (var round = 0; round < 60; round++)
        {
            await SendNoiseAsync(broker.Port, NoiseFor(round, random), random);

            await publisher.SendAsync($"PUB healthy {Digits(round)}\r\n{round}\r\nPING\r\n");
            await publisher.ReadUntilAsync("PONG\r\n");
            Assert.Equal($"MSG healthy 1 {Digits(round)}\r\n{round}\r\n", await subscriber.ReadUntilAsync($"\r\n{round}\r\n"));
        }

        // The server still takes new clients.
        await using var late = await RawClient.ConnectAsync(broker.Port);
        await late.SendAsync("PING\r\n");
        Assert.EndsWith("PONG\r\n", await late.ReadUntilAsync("PONG\r\n"));
    }

    private static int Digits(int round) => round.ToString().Length;

    /// <summary>Even rounds: pure random bytes. Odd rounds: valid frames with random bytes flipped, cut or inserted.</summary>
    private static byte[] NoiseFor(int round, Random random)
    {
        if (round % 2 == 0)
        {
            var bytes = new byte[random.Next(1, 2048)];
            random.NextBytes(bytes);
            return bytes;
        }
        var text = new StringBuilder();
        for (var i = 0; i < random.Next(1, 12); i++) text.Append(ValidFrames[random.Next(ValidFrames.Length)]);
        var mutated = Encoding.ASCII.GetBytes(text.ToString()).ToList();
        for (var i = 0; i < random.Next(1, 4); i++)
        {
            var at = random.Next(mutated.Count);
            switch (random.Next(3))
            {
                case 0: mutated[at] = (byte)random.Next(256); break;
                case 1: mutated.RemoveAt(at); break;
                default: mutated.Insert(at, (byte)random.Next(256)); break;
            }
        }
        return mutated.ToArray();
    }

    /// <summary>Sends the noise in random pieces and leaves without waiting for an answer (or after a close).</summary>
    private static async Task SendNoiseAsync(int port, byte[] noise, Random random)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var stream = tcp.GetStream();
        var sent = 0;
        try
        {
            while (sent < noise.Length)
            {
                var piece = Math.Min(noise.Length - sent, random.Next(1, 300));
                await stream.WriteAsync(noise.AsMemory(sent, piece));
                sent += piece;
            }
        }
        catch (IOException)
        {
            // The server closed on bad input: that is the allowed outcome.
        }
    }
}
