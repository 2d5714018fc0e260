using Broker.Tests.Infrastructure;

namespace Broker.Tests.Differential;

/// <summary>The same raw transcripts against nats-server and against Broker: the answers must be identical.</summary>
public class TranscriptTests
{
    public static TheoryData<string> DefaultLimitTranscripts => new()
    {
        "PING\r\n",
        "ping\r\n",
        "PING foo\r\n",
        "CONNECT {}\r\nPING\r\n",
        "CONNECT {\"verbose\":true}\r\nPING\r\nSUB a 1\r\nPUB a 1\r\nx\r\nPING\r\n",
        "CONNECT {\"verbose\":false}\r\nSUB a 1\r\nUNSUB 1 2\r\nPUB a 1\r\nx\r\nPUB a 1\r\ny\r\nPUB a 1\r\nz\r\nPING\r\n",
        "CONNECT {\"verbose\":false,\"echo\":false}\r\nSUB a 1\r\nPUB a 1\r\nx\r\nPING\r\n",
        "CONNECT {\"verbose\":false,\"headers\":true}\r\nSUB foo 1\r\nHPUB foo r 12 14\r\nNATS/1.0\r\n\r\nab\r\nPING\r\n",
        "CONNECT {\"verbose\":false,\"headers\":true,\"no_responders\":true}\r\nSUB _INBOX.> 1\r\nPUB nobody _INBOX.a 1\r\nx\r\nPING\r\n",
        "CONNECT {\"verbose\":false}\r\nSUB foo 1\r\nUNSUB 1 0\r\nPUB foo 1\r\nx\r\nPING\r\n",
        "CONNECT {\"verbose\":false}\r\nSUB  foo   1\r\nPUB foo  1\r\nx\r\nPING\r\n",
        "CONNECT {\"verbose\":false}\r\nSUB foo 1\r\nPUB foo 0\r\n\r\nPING\r\n",
        "CONNECT {\"verbose\":false}\r\nPUB foo 1\nx\r\nPING\n",
        "CONNECT {\"verbose\":false}\r\nSUB foo.* 1\r\nSUB bar.> 2\r\nSUB *.*.baz 3\r\nPUB foo.bar 1\r\nx\r\nPUB bar 1\r\ny\r\nPUB bar.a.b 1\r\nz\r\nPUB a.b.baz 1\r\nw\r\nPING\r\n",
        "CONNECT {\"verbose\":false}\r\nSUB foo q 1\r\nPUB foo 1\r\nx\r\nPING\r\n",
        "SUB foo 1\r\nSUB foo..bar 2\r\nPING\r\n",
        "SUB foo.>.bar 1\r\nPING\r\n",
        "PUB foo.* 1\r\nx\r\nPING\r\n",
        "+OK\r\nPING\r\n",
        "INFO {}\r\nPING\r\n",
        "XYZ\r\n",
        "\r\nPING\r\n",
        " PING\r\n",
        "UNSUB\r\n",
        "PUB foo\r\n",
        "PUB foo bar\r\n",
        "PUB foo -1\r\n",
        "PUB foo 2\r\nabc\r\n",
        // A payload ended by LF alone is refused at once, not when a later CRLF arrives.
        "CONNECT {\"verbose\":false}\r\npub foo 2\nhi\n",
        "CONNECT {\"verbose\":false,\"headers\":true}\r\nHPUB foo 12 14\nNATS/1.0\r\n\r\nab\n",
        "SUB foo\r\n",
        "CONNECT {bad\r\n",
        "CONNECT {\"verbose\":\"yes\"}\r\nPING\r\n",
        "PUB foo 2000000\r\n",
        "HPUB foo 12 14\r\nNATS/1.0\r\n\r\nab\r\n",
    };

    [NatsServerTheory]
    [MemberData(nameof(DefaultLimitTranscripts))]
    public async Task Same_answers_as_nats_server_with_default_limits(string input)
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var broker = await TestBroker.StartAsync();

        var expected = await Transcript.RunAsync(nats.Port, input);
        var actual = await Transcript.RunAsync(broker.Port, input);

        Assert.Equal(expected, actual);
    }

    public static TheoryData<string> TightLimitTranscripts => new()
    {
        "CONNECT {\"verbose\":false}\r\nSUB a 1\r\nSUB b 2\r\nSUB c 3\r\nPING\r\n",
        "CONNECT {\"verbose\":false}\r\nPUB " + new string('a', 98) + " 1\r\nx\r\nPING\r\n",
        "CONNECT {\"verbose\":false}\r\nPUB foo 129\r\n",
        "CONNECT {\"verbose\":false}\r\nPUB foo 128\r\n" + new string('x', 128) + "\r\nPING\r\n",
    };

    [NatsServerTheory]
    [MemberData(nameof(TightLimitTranscripts))]
    public async Task Same_answers_as_nats_server_with_tight_limits(string input)
    {
        await using var nats = await NatsServerProcess.StartAsync("max_subscriptions: 2\nmax_control_line: 64\nmax_payload: 128\n");
        await using var broker = await TestBroker.StartAsync(o => o with { MaxSubscriptions = 2, MaxControlLine = 64, MaxPayload = 128 });

        var expected = await Transcript.RunAsync(nats.Port, input);
        var actual = await Transcript.RunAsync(broker.Port, input);

        Assert.Equal(expected, actual);
    }
}
