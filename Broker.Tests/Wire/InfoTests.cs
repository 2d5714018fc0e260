using System.Text.Json;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Wire;

public class InfoTests
{
    [Fact]
    public async Task Info_is_the_first_frame_with_nats_server_fields()
    {
        await using var broker = await TestBroker.StartAsync(o => o with { ServerName = "wire-test", MaxPayload = 2048 });
        await using var client = await RawClient.ConnectAsync(broker.Port, readInfo: false);
        var line = await client.ReadLineAsync();

        Assert.StartsWith("INFO {", line);
        Assert.EndsWith("} \r\n", line);
        using var json = JsonDocument.Parse(line["INFO ".Length..^3]);
        var info = json.RootElement;
        Assert.Matches("^N[A-Z2-7]{55}$", info.GetProperty("server_id").GetString());
        Assert.Equal("wire-test", info.GetProperty("server_name").GetString());
        Assert.Equal("2.9.10", info.GetProperty("version").GetString());
        Assert.StartsWith(".NET ", info.GetProperty("go").GetString());
        Assert.Equal(1, info.GetProperty("proto").GetInt32());
        Assert.Equal("127.0.0.1", info.GetProperty("host").GetString());
        Assert.Equal(broker.Port, info.GetProperty("port").GetInt32());
        Assert.True(info.GetProperty("headers").GetBoolean());
        Assert.Equal(2048, info.GetProperty("max_payload").GetInt32());
        Assert.True(info.GetProperty("client_id").GetUInt64() > 0);
        Assert.Equal("127.0.0.1", info.GetProperty("client_ip").GetString());
    }

    [Fact]
    public async Task Each_connection_gets_its_own_client_id_and_the_server_name_defaults_to_the_id()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var a = await RawClient.ConnectAsync(broker.Port, readInfo: false);
        await using var b = await RawClient.ConnectAsync(broker.Port, readInfo: false);
        using var infoA = JsonDocument.Parse((await a.ReadLineAsync())["INFO ".Length..^3]);
        using var infoB = JsonDocument.Parse((await b.ReadLineAsync())["INFO ".Length..^3]);

        Assert.NotEqual(infoA.RootElement.GetProperty("client_id").GetUInt64(), infoB.RootElement.GetProperty("client_id").GetUInt64());
        Assert.Equal(infoA.RootElement.GetProperty("server_id").GetString(), infoA.RootElement.GetProperty("server_name").GetString());
    }
}
