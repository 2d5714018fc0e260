namespace Broker.Tests.Monitoring;

/// <summary>Bad query values get a 400 with nats-server's text, and the client port does not notice.</summary>
public class QueryValidationTests
{
    [Theory]
    [InlineData("/connz?sort=bogus", "invalid sorting option: bogus")]
    [InlineData("/connz?sort=rtt", "invalid sorting option: rtt")]
    [InlineData("/connz?sort=stop", "sort by stop only valid on closed connections")]
    [InlineData("/connz?sort=reason&state=all", "sort by reason only valid on closed connections")]
    [InlineData("/connz?limit=x", "Error decoding int for 'limit': strconv.Atoi: parsing \"x\": invalid syntax")]
    [InlineData("/connz?offset=1e3", "Error decoding int for 'offset': strconv.Atoi: parsing \"1e3\": invalid syntax")]
    [InlineData("/connz?cid=-1", "Error decoding uint64 for 'cid': strconv.ParseUint: parsing \"-1\": invalid syntax")]
    [InlineData("/connz?auth=yes", "Error decoding boolean for 'auth': strconv.ParseBool: parsing \"yes\": invalid syntax")]
    [InlineData("/connz?subs=maybe", "Error decoding boolean for 'subs': strconv.ParseBool: parsing \"maybe\": invalid syntax")]
    [InlineData("/connz?state=xx", "Error decoding state for xx")]
    [InlineData("/subsz?test=foo.*", "invalid test subject, must be valid publish subject: foo.*")]
    [InlineData("/subsz?test=foo..bar", "invalid test subject, must be valid publish subject: foo..bar")]
    [InlineData("/subsz?subs=2", "Error decoding boolean for 'subs': strconv.ParseBool: parsing \"2\": invalid syntax")]
    [InlineData("/subsz?limit=ten", "Error decoding int for 'limit'")]
    [InlineData("/accountz?acc=nope", "Account nope does not exist")]
    [InlineData("/routez?subs=x", "Error decoding boolean for 'subs'")]
    [InlineData("/gatewayz?accs=x", "Error decoding boolean for 'accs'")]
    [InlineData("/leafz?subs=x", "Error decoding boolean for 'subs'")]
    [InlineData("/healthz?js-enabled-only=x", "Error decoding boolean for 'js-enabled-only'")]
    public async Task Bad_values_get_400_with_the_reason(string path, string message)
    {
        await using var broker = await MonitoredBroker.StartAsync();

        var reply = await broker.Http.GetAsync(path);

        Assert.Equal(400, reply.Status);
        Assert.Equal("text/plain; charset=utf-8", reply.ContentType);
        Assert.StartsWith(message, reply.Body);
    }

    [Fact]
    public async Task Bad_requests_leave_the_client_port_serving()
    {
        await using var broker = await MonitoredBroker.StartAsync();
        await using var client = await broker.ConnectRawAsync("c", "SUB a 1\r\n");

        for (var i = 0; i < 20; i++) Assert.Equal(400, (await broker.Http.GetAsync("/connz?limit=x")).Status);
        Assert.Equal(404, (await broker.Http.GetAsync("/nope")).Status);

        await client.SendAsync("PUB a 2\r\nhi\r\nPING\r\n");
        Assert.Equal("MSG a 1 2\r\nhi\r\nPONG\r\n", await client.ReadUntilAsync("PONG\r\n"));
        Assert.Equal(200, (await broker.Http.GetAsync("/varz")).Status);
    }

    [Fact]
    public async Task Bytes_that_are_not_http_are_refused_by_the_monitor_port_alone()
    {
        await using var broker = await MonitoredBroker.StartAsync();
        await using var client = await broker.ConnectRawAsync("c", "SUB a 1\r\n");

        using (var junk = new System.Net.Sockets.TcpClient())
        {
            await junk.ConnectAsync("127.0.0.1", broker.Broker.Server.MonitorEndpoint!.Port);
            var stream = junk.GetStream();
            await stream.WriteAsync("PUB a 2\r\nhi\r\n\r\n"u8.ToArray());
            var buffer = new byte[1024];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.StartsWith("HTTP/1.1 400", System.Text.Encoding.ASCII.GetString(buffer, 0, read));
        }

        await client.SendAsync("PING\r\n");
        Assert.Equal("PONG\r\n", await client.ReadUntilAsync("PONG\r\n"));
        Assert.Equal(200, (await broker.Http.GetAsync("/healthz")).Status);
    }

    [Theory]
    [InlineData("/connz?limit=0")]
    [InlineData("/connz?limit=-5&offset=-2")]
    public async Task Limits_out_of_range_fall_back_to_the_defaults(string path)
    {
        await using var broker = await MonitoredBroker.StartAsync();

        var connz = await broker.Http.GetJsonAsync(path);

        Assert.Equal(1024, (int)connz["limit"]!);
        Assert.Equal(0, (int)connz["offset"]!);
    }
}
