using System.Diagnostics;
using Broker.Configuration;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Security;

/// <summary>The auth timeout bounds the wait for CONNECT, not the check of its password (nats-server clears its timer when CONNECT arrives).</summary>
public class SlowPasswordTests
{
    [Fact]
    public async Task A_bcrypt_check_longer_than_the_auth_timeout_still_admits_the_client()
    {
        var timeout = TimeSpan.FromMilliseconds(500);
        var hash = BCrypt.Net.BCrypt.HashPassword("builder", 14);
        var check = Stopwatch.StartNew();
        Assert.True(BCrypt.Net.BCrypt.Verify("builder", hash));
        Assert.True(check.Elapsed > timeout, "the bcrypt check must outlast the auth timeout for this test to mean anything");

        await using var broker = await TestBroker.StartAsync(o => BrokerConfigLoader.Parse($"authorization {{ users: [ {{ user: bob, password: \"{hash}\" }} ] }}") with
        {
            Host = o.Host, Port = o.Port, AuthTimeout = timeout,
        });
        await using var raw = await RawClient.ConnectAsync(broker.Port);
        await raw.SendAsync("CONNECT {\"verbose\":false,\"user\":\"bob\",\"pass\":\"builder\"}\r\nPING\r\n");

        // The server's own first PING may come before the PONG; an -ERR would come before either.
        var reply = await raw.ReadUntilAsync("PONG\r\n", TimeSpan.FromSeconds(60));
        Assert.DoesNotContain("-ERR", reply);
        Assert.EndsWith("PONG\r\n", reply);
    }
}
