using Broker.Tests.Differential;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Wire;

/// <summary>A line the parser refuses is logged at error level with its text, in nats-server's words.</summary>
public class ParseErrorLogTests
{
    public static TheoryData<string, string> MalformedLines => new()
    {
        { "PUB foo\r\n", "processPub Parse Error: \"foo\"" },
        { "pub foo bar\r\n", "processPub Bad or Missing Size: \"foo bar\"" },
        { "UNSUB a b c\r\n", "processUnsub Parse Error: \"a b c\"" },
        { "SUB foo\r\n", "processSub Parse Error: \"foo\"" },
        { "HPUB foo 12\r\n", "processHeaderPub Parse Error: \"foo 12\"" },
    };

    [Theory]
    [MemberData(nameof(MalformedLines))]
    public async Task A_malformed_line_is_logged_at_error_level_with_its_text(string input, string expected)
    {
        await using var broker = await TestBroker.StartAsync();
        await using var client = await RawClient.ConnectAsync(broker.Port);
        await client.SendAsync("CONNECT {\"verbose\":false,\"headers\":true}\r\n" + input);

        Assert.Equal("", await client.ReadToCloseAsync());
        await broker.Log.WaitForAsync(line => line.StartsWith("[Error]", StringComparison.Ordinal) && line.EndsWith(" - " + expected, StringComparison.Ordinal));
    }

    [NatsServerTheory]
    [MemberData(nameof(MalformedLines))]
    public async Task Nats_server_logs_the_same_words(string input, string expected)
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using (var client = await RawClient.ConnectAsync(nats.Port))
        {
            await client.SendAsync("CONNECT {\"verbose\":false,\"headers\":true}\r\n" + input);
            Assert.Equal("", await client.ReadToCloseAsync());
        }
        await Eventually.Async(() => nats.Output.Any(line => line.Contains("[ERR]") && line.EndsWith(" - " + expected, StringComparison.Ordinal)),
            $"nats-server to log {expected}");
    }
}
