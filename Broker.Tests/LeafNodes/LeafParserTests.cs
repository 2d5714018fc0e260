using System.Text;
using Broker.LeafNodes;
using Broker.Protocol;

namespace Broker.Tests.LeafNodes;

/// <summary>The leafnode protocol forms of nats-server's test/leafnode_test.go, parsed byte for byte.</summary>
public sealed class LeafParserTests
{
    private static (ParseResult Result, string Subject, string Reply, string Queues, string Payload, int Weight, string Key, int Header) Parse(string text)
    {
        var result = LeafParser.TryParse(Encoding.ASCII.GetBytes(text), 4096, 1024 * 1024, out var op, out _, out _);
        return (result, Encoding.ASCII.GetString(op.Subject), Encoding.ASCII.GetString(op.Reply), Encoding.ASCII.GetString(op.Queues),
            Encoding.ASCII.GetString(op.Payload), op.Weight, Encoding.ASCII.GetString(op.Key), op.HeaderSize);
    }

    [Fact]
    public void Interest_forms()
    {
        Assert.Equal((ParseResult.Operation, "foo", "", "", "", 0, "foo", -1), Parse("LS+ foo\r\n"));
        Assert.Equal((ParseResult.Operation, "foo", "", "bar", "", 4, "foo bar", -1), Parse("LS+ foo bar 4\r\n"));
        Assert.Equal((ParseResult.Operation, "foo", "", "bar", "", 0, "foo bar", -1), Parse("LS- foo bar\r\n"));
    }

    [Fact]
    public void Message_forms()
    {
        Assert.Equal((ParseResult.Operation, "foo", "", "", "OK", 0, "", -1), Parse("LMSG foo 2\r\nOK\r\n"));
        Assert.Equal((ParseResult.Operation, "foo", "", "bar baz", "HELLO", 0, "", -1), Parse("LMSG foo | bar baz 5\r\nHELLO\r\n"));
        Assert.Equal((ParseResult.Operation, "foo", "myreply", "bar", "OK", 0, "", -1), Parse("LMSG foo + myreply bar 2\r\nOK\r\n"));
        Assert.Equal((ParseResult.Operation, "foo", "r", "", "OK", 0, "", -1), Parse("LMSG foo r 2\r\nOK\r\n"));
        Assert.Equal((ParseResult.Operation, "foo", "", "", "NATS/1.0\r\n\r\nhi", 0, "", 12), Parse("HMSG foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\n"));
    }

    [Fact]
    public void Incomplete_and_bad_input()
    {
        Assert.Equal(ParseResult.NeedMoreData, Parse("LMSG foo 5\r\nHE").Result);
        Assert.Equal(ParseResult.Error, Parse("BOGUS\r\n").Result);
        Assert.Equal(ParseResult.Error, Parse("LMSG foo x\r\n").Result);
        Assert.Equal(ParseResult.Error, Parse("LMSG foo 2\r\nOKXX").Result);
    }
}
