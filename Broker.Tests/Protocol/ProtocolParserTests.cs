using System.Text;
using Broker.Protocol;

namespace Broker.Tests.Protocol;

public class ProtocolParserTests
{
    private const int MaxControlLine = 4096;
    private const int MaxPayload = 1024 * 1024;

    /// <summary>What a parsed operation said, copied out of the buffer so it can be compared.</summary>
    public sealed record Parsed(OperationKind Kind, string Subject, string Reply, string Queue, string Sid, string Arguments, string Payload, int HeaderSize, long Max);

    private const string Transcript =
        "CONNECT {\"verbose\":false}\r\nPUB foo 5\r\nhello\r\nPUB foo.bar reply.to 0\r\n\r\nHPUB h 12 14\r\nNATS/1.0\r\n\r\nab\r\n" +
        "HPUB h r 12 12\r\nNATS/1.0\r\n\r\n\r\nSUB foo 1\r\nSUB foo.* q 2\r\nUNSUB 1\r\nUNSUB 2 10\r\nPING\r\nPONG\r\nINFO {}\r\n+OK\r\n-ERR 'x'\r\n" +
        "pub\tlower  3\r\nabc\r\nPiNg\r\nSUB a 3\n";

    [Fact]
    public void Every_operation_is_recognised_with_its_arguments()
    {
        var ops = ParseAll(Encoding.ASCII.GetBytes(Transcript));

        Assert.Equal(
            [
                new(OperationKind.Connect, "", "", "", "", "{\"verbose\":false}", "", 0, 0),
                new(OperationKind.Pub, "foo", "", "", "", "", "hello", -1, 0),
                new(OperationKind.Pub, "foo.bar", "reply.to", "", "", "", "", -1, 0),
                new(OperationKind.HPub, "h", "", "", "", "", "NATS/1.0\r\n\r\nab", 12, 0),
                new(OperationKind.HPub, "h", "r", "", "", "", "NATS/1.0\r\n\r\n", 12, 0),
                new(OperationKind.Sub, "foo", "", "", "1", "", "", 0, 0),
                new(OperationKind.Sub, "foo.*", "", "q", "2", "", "", 0, 0),
                new(OperationKind.Unsub, "", "", "", "1", "", "", 0, 0),
                new(OperationKind.Unsub, "", "", "", "2", "", "", 0, 10),
                new(OperationKind.Ping, "", "", "", "", "", "", 0, 0),
                new(OperationKind.Pong, "", "", "", "", "", "", 0, 0),
                new(OperationKind.Info, "", "", "", "", "{}", "", 0, 0),
                new(OperationKind.Ok, "", "", "", "", "", "", 0, 0),
                new(OperationKind.Err, "", "", "", "", "'x'", "", 0, 0),
                new(OperationKind.Pub, "lower", "", "", "", "", "abc", -1, 0),
                new(OperationKind.Ping, "", "", "", "", "", "", 0, 0),
                new(OperationKind.Sub, "a", "", "", "3", "", "", 0, 0),
            ],
            ops);
    }

    [Fact]
    public void Every_prefix_of_the_transcript_is_either_whole_operations_or_asks_for_more()
    {
        var bytes = Encoding.ASCII.GetBytes(Transcript);
        var whole = ParseAll(bytes);
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            var prefix = ParseAll(bytes.AsSpan(0, cut).ToArray(), out var rest);
            Assert.True(prefix.Count <= whole.Count);
            Assert.Equal(whole.Take(prefix.Count), prefix);
            Assert.Equal(ParseResult.NeedMoreData, rest);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    public void A_stream_split_into_any_chunks_parses_as_the_whole(int chunk)
    {
        var bytes = Encoding.ASCII.GetBytes(Transcript);
        Assert.Equal(ParseAll(bytes), ParseStreamed(bytes, _ => chunk));
    }

    [Fact]
    public void A_stream_split_at_random_points_parses_as_the_whole()
    {
        var bytes = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(Transcript, 5)));
        var whole = ParseAll(bytes);
        for (var seed = 0; seed < 50; seed++)
        {
            var random = new Random(seed);
            Assert.Equal(whole, ParseStreamed(bytes, _ => random.Next(1, 40)));
        }
    }

    [Theory]
    [InlineData("XYZ\r\n", ParseError.UnknownOperation)]
    [InlineData("X", ParseError.UnknownOperation)]
    [InlineData(" PING\r\n", ParseError.UnknownOperation)]
    [InlineData("\r\nPING\r\n", ParseError.UnknownOperation)]
    [InlineData("PUBX foo 1\r\n", ParseError.UnknownOperation)]
    [InlineData("PIX", ParseError.UnknownOperation)]
    [InlineData("UNSUB\r\n", ParseError.UnknownOperation)]
    [InlineData("PUB foo 2\r\nabc\r\n", ParseError.UnknownOperation)]
    [InlineData("PUB foo\r\n", ParseError.InvalidArguments)]
    [InlineData("PUB foo bar\r\n", ParseError.InvalidArguments)]
    [InlineData("PUB foo -1\r\n", ParseError.InvalidArguments)]
    [InlineData("PUB a b c d\r\n", ParseError.InvalidArguments)]
    [InlineData("HPUB foo 10 5\r\n", ParseError.InvalidArguments)]
    [InlineData("SUB foo\r\n", ParseError.InvalidArguments)]
    [InlineData("SUB a b c d\r\n", ParseError.InvalidArguments)]
    [InlineData("UNSUB 1 2 3\r\n", ParseError.InvalidArguments)]
    [InlineData("CONNECT\r\n", ParseError.InvalidArguments)]
    [InlineData("PUB foo 2000000\r\n", ParseError.MaxPayloadExceeded)]
    public void Malformed_input_is_refused_with_its_reason(string input, ParseError expected)
    {
        var result = ProtocolParser.TryParse(Encoding.ASCII.GetBytes(input), MaxControlLine, MaxPayload, out _, out _, out var error);

        Assert.Equal(ParseResult.Error, result);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void A_long_control_line_is_refused_with_or_without_its_line_end()
    {
        var withEnd = Encoding.ASCII.GetBytes("PUB " + new string('a', 70) + " 1\r\nx\r\n");
        var withoutEnd = Encoding.ASCII.GetBytes("SUB " + new string('a', 70));

        Assert.Equal(ParseResult.Error, ProtocolParser.TryParse(withEnd, 64, MaxPayload, out _, out _, out var e1));
        Assert.Equal(ParseError.MaxControlLineExceeded, e1);
        Assert.Equal(ParseResult.Error, ProtocolParser.TryParse(withoutEnd, 64, MaxPayload, out _, out _, out var e2));
        Assert.Equal(ParseError.MaxControlLineExceeded, e2);
        Assert.Equal(ParseResult.NeedMoreData, ProtocolParser.TryParse("SUB aaaa"u8, 64, MaxPayload, out _, out _, out _));
    }

    [Fact]
    public void Payload_limit_is_checked_before_the_payload_arrives_and_the_limit_itself_is_allowed()
    {
        Assert.Equal(ParseResult.Error, ProtocolParser.TryParse("PUB a 11\r\n"u8, MaxControlLine, 10, out _, out _, out var error));
        Assert.Equal(ParseError.MaxPayloadExceeded, error);
        Assert.Equal(ParseResult.NeedMoreData, ProtocolParser.TryParse("PUB a 10\r\n"u8, MaxControlLine, 10, out _, out _, out _));
        Assert.Equal(ParseResult.Operation, ProtocolParser.TryParse("PUB a 10\r\n0123456789\r\n"u8, MaxControlLine, 10, out _, out _, out _));
    }

    [Theory]
    [InlineData("UNSUB 1 x\r\n")]
    [InlineData("UNSUB 1 0\r\n")]
    [InlineData("UNSUB 1 -5\r\n")]
    public void Unreadable_or_non_positive_unsub_max_means_now(string input)
    {
        Assert.Equal(ParseResult.Operation, ProtocolParser.TryParse(Encoding.ASCII.GetBytes(input), MaxControlLine, MaxPayload, out var op, out _, out _));
        Assert.Equal(0, op.Max);
    }

    private static List<Parsed> ParseAll(byte[] bytes) => ParseAll(bytes, out _);

    private static List<Parsed> ParseAll(byte[] bytes, out ParseResult last)
    {
        var list = new List<Parsed>();
        var at = 0;
        while (true)
        {
            last = ProtocolParser.TryParse(bytes.AsSpan(at), MaxControlLine, MaxPayload, out var op, out var consumed, out var error);
            if (last != ParseResult.Operation)
            {
                Assert.NotEqual(ParseResult.Error, last);
                Assert.Equal(ParseError.None, error);
                return list;
            }
            list.Add(Copy(op));
            at += consumed;
        }
    }

    /// <summary>Feeds the bytes the way a read loop does: chunk by chunk into a buffer, parsing what is whole.</summary>
    private static List<Parsed> ParseStreamed(byte[] bytes, Func<int, int> nextChunk)
    {
        var list = new List<Parsed>();
        var buffer = new List<byte>();
        var fed = 0;
        while (fed < bytes.Length)
        {
            var size = Math.Min(nextChunk(fed), bytes.Length - fed);
            buffer.AddRange(bytes.AsSpan(fed, size));
            fed += size;
            var array = buffer.ToArray();
            var at = 0;
            while (ProtocolParser.TryParse(array.AsSpan(at), MaxControlLine, MaxPayload, out var op, out var consumed, out _) == ParseResult.Operation)
            {
                list.Add(Copy(op));
                at += consumed;
            }
            buffer.RemoveRange(0, at);
        }
        Assert.Empty(buffer);
        return list;
    }

    private static Parsed Copy(ParsedOperation op) => new(
        op.Kind, S(op.Subject), S(op.Reply), S(op.Queue), S(op.Sid), S(op.Arguments), S(op.Payload),
        op.Kind is OperationKind.Pub or OperationKind.HPub ? op.HeaderSize : 0, op.Max);

    private static string S(ReadOnlySpan<byte> bytes) => Encoding.ASCII.GetString(bytes);
}
