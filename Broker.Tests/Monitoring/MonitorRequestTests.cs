using Broker.Monitoring;

namespace Broker.Tests.Monitoring;

/// <summary>Query values read with Go's strconv rules and refused with nats-server's texts.</summary>
public class MonitorRequestTests
{
    [Theory]
    [InlineData("", false)]
    [InlineData("subs=1", true)]
    [InlineData("subs=true", true)]
    [InlineData("subs=T", true)]
    [InlineData("subs=0", false)]
    [InlineData("subs=False", false)]
    public void Booleans(string query, bool expected) => Assert.Equal(expected, MonitorRequest.Parse(query).Bool("subs"));

    [Theory]
    [InlineData("", 0L)]
    [InlineData("limit=42", 42L)]
    [InlineData("limit=%2B7", 7L)]
    [InlineData("limit=-3", -3L)]
    [InlineData("limit=9223372036854775807", long.MaxValue)]
    [InlineData("limit=-9223372036854775808", long.MinValue)]
    public void Ints(string query, long expected) => Assert.Equal(expected, MonitorRequest.Parse(query).Int("limit"));

    [Theory]
    [InlineData("subs=maybe", "subs", "Error decoding boolean for 'subs': strconv.ParseBool: parsing \"maybe\": invalid syntax")]
    [InlineData("limit=x", "limit", "Error decoding int for 'limit': strconv.Atoi: parsing \"x\": invalid syntax")]
    [InlineData("limit=1.5", "limit", "Error decoding int for 'limit': strconv.Atoi: parsing \"1.5\": invalid syntax")]
    [InlineData("limit=-", "limit", "Error decoding int for 'limit': strconv.Atoi: parsing \"-\": invalid syntax")]
    [InlineData("limit=99999999999999999999", "limit", "Error decoding int for 'limit': strconv.Atoi: parsing \"99999999999999999999\": value out of range")]
    [InlineData("limit=9223372036854775808", "limit", "value out of range")]
    [InlineData("cid=-1", "cid", "Error decoding uint64 for 'cid': strconv.ParseUint: parsing \"-1\": invalid syntax")]
    [InlineData("cid=18446744073709551616", "cid", "Error decoding uint64 for 'cid': strconv.ParseUint: parsing \"18446744073709551616\": value out of range")]
    // A "+" in a query is a space, as in Go: "limit=+7" is " 7", not a number.
    [InlineData("limit=+7", "limit", "parsing \" 7\": invalid syntax")]
    public void Bad_values_are_refused_with_go_s_words(string query, string name, string message)
    {
        var request = MonitorRequest.Parse(query);
        var error = Assert.Throws<MonitorQueryException>(() =>
        {
            _ = name switch
            {
                "subs" => request.Bool(name) ? 1m : 0m,
                "cid" => request.UInt64(name),
                _ => (decimal)request.Int(name),
            };
        });
        Assert.EndsWith(message, error.Message);
    }

    [Fact]
    public void The_first_value_of_a_repeated_parameter_counts_and_values_are_url_decoded()
    {
        var request = MonitorRequest.Parse("?test=a.b&test=c&acc=%24G&name=x+y");
        Assert.Equal("a.b", request.Text("test"));
        Assert.Equal("$G", request.Text("acc"));
        Assert.Equal("x y", request.Text("name"));
        Assert.Equal("", request.Text("absent"));
    }

    [Theory]
    [InlineData("subs=detail", false, true)]
    [InlineData("subs=DETAIL", false, true)]
    [InlineData("subs=1", true, false)]
    [InlineData("", false, false)]
    public void Subs_is_a_boolean_or_detail(string query, bool list, bool detail) =>
        Assert.Equal((list, detail), MonitorRequest.Parse(query).Subscriptions());
}
