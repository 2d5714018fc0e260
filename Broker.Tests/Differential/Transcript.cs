using Broker.Tests.Infrastructure;

namespace Broker.Tests.Differential;

/// <summary>Sends raw protocol bytes after INFO and records everything the server answers, up to PONG or close.</summary>
public static class Transcript
{
    /// <summary>
    /// The input must end with PING unless it makes the server close, so the answer is complete
    /// when PONG arrives (a PONG means everything before it was processed).
    /// </summary>
    public static async Task<string> RunAsync(int port, string input)
    {
        await using var client = await RawClient.ConnectAsync(port);
        await client.SendAsync(input);
        var received = "";
        try
        {
            while (true)
            {
                received += await client.ReadUntilAsync("PONG\r\n", TimeSpan.FromSeconds(5));
                if (!input.EndsWith("PING\r\n", StringComparison.Ordinal) || CountPongsExpected(input) <= CountOf(received, "PONG\r\n")) break;
            }
        }
        catch (IOException)
        {
            received += client.Pending + "<closed>";
        }
        return received;
    }

    private static int CountPongsExpected(string input) => CountOf(input.ToUpperInvariant(), "PING\r\n");

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
