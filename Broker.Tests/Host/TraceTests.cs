using System.Text.RegularExpressions;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Host;

/// <summary>
/// <c>-V</c> / <c>trace: true</c>: every protocol line in and out, in nats-server's words (checked
/// line by line against nats-server 2.9's -V output for the same bytes).
/// </summary>
public class TraceTests
{
    private const string Session =
        "CONNECT {\"verbose\":true,\"headers\":true,\"protocol\":1}\r\nSUB foo 1\r\nPUB foo 5\r\nhello\r\nPUB foo bar 2\r\nhi\r\nHPUB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\nPING\r\n";

    private static async Task<List<string>> TraceOfSessionAsync(string config)
    {
        var file = SignalTests.TempConfig("host: 127.0.0.1\nport: -1\nlogtime: false\n" + config);
        try
        {
            await using var host = HostProcess.Start("-c", file);
            var port = await host.ListeningPort;
            await using var client = await RawClient.ConnectAsync(port);
            await client.SendAsync(Session);
            await client.ReadUntilAsync("PONG\r\n");
            await host.WaitForLineAsync("->> [PONG]");
            return host.Output.Where(l => l.Contains("[TRC]", StringComparison.Ordinal))
                .Select(l => Regex.Replace(l, @"^.*\[TRC\] \S+ - cid:\d+ - ", ""))
                .ToList();
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Trace_logs_every_protocol_line_in_and_out_as_nats_server_does()
    {
        var trace = await TraceOfSessionAsync("trace: true\n");
        Assert.Equal(
        [
            "<<- [CONNECT {\"verbose\":true,\"headers\":true,\"protocol\":1}]",
            "->> [OK]",
            "<<- [SUB foo 1]",
            "->> [OK]",
            "<<- [PUB foo 5]",
            "<<- MSG_PAYLOAD: [\"hello\"]",
            "->> [OK]",
            "->> [MSG foo 1 5]",
            "<<- [PUB foo bar 2]",
            "<<- MSG_PAYLOAD: [\"hi\"]",
            "->> [OK]",
            "->> [MSG foo 1 bar 2]",
            "<<- [HPUB foo 12 14]",
            "<<- MSG_PAYLOAD: [\"NATS/1.0\\r\\n\\r\\nhi\"]",
            "->> [OK]",
            "->> [HMSG foo 1 12 14]",
            "<<- [PING]",
            "->> [PONG]",
        ], trace);
    }

    [Fact]
    public async Task Max_traced_msg_len_cuts_traced_payloads_as_nats_server_does()
    {
        var trace = await TraceOfSessionAsync("trace: true\nmax_traced_msg_len: 3\n");
        Assert.Contains("<<- MSG_PAYLOAD: [\"hel...\"]", trace);
        Assert.Contains("<<- MSG_PAYLOAD: [\"hi\"]", trace);
        Assert.Contains("<<- MSG_PAYLOAD: [\"NAT...\"]", trace);
    }

    [Fact]
    public void Traced_payloads_are_quoted_as_gos_q_verb()
    {
        Assert.Equal("\"a\\\"b\\\\c\\x00\\t\"", Broker.Clients.ClientConnection.TracedPayload("a\"b\\c\0\t"u8, 0));
        Assert.Equal("\"ab...\"", Broker.Clients.ClientConnection.TracedPayload("abc"u8, 2));
        Assert.Equal("\"abc\"", Broker.Clients.ClientConnection.TracedPayload("abc"u8, 3));
    }
}
