using System.Runtime.InteropServices;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Host;

/// <summary>SIGHUP reloads of the options a running broker applies, on a real Broker.Host process.</summary>
public class ReloadTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private const int SigHup = 1;
    private const string BaseConfig = "host: 127.0.0.1\nport: -1\nlogtime: false\n";

    private static async Task<RawClient> ConnectedClientAsync(int port)
    {
        var client = await RawClient.ConnectAsync(port);
        await client.SendAsync("CONNECT {\"verbose\":false}\r\nPING\r\n");
        Assert.Equal("PONG\r\n", await client.ReadUntilAsync("PONG\r\n"));
        return client;
    }

    [Fact]
    public async Task Lowering_max_connections_closes_the_excess_with_nats_servers_error_and_refuses_new_clients()
    {
        var file = SignalTests.TempConfig(BaseConfig + "max_connections: 10\n");
        try
        {
            await using var host = HostProcess.Start("-c", file);
            var port = await host.ListeningPort;
            await using var first = await ConnectedClientAsync(port);
            await using var second = await ConnectedClientAsync(port);

            File.WriteAllText(file, BaseConfig + "max_connections: 1\n");
            Assert.Equal(0, kill(host.Process.Id, SigHup));
            await host.WaitForLineAsync("[INF] Reloaded server configuration");
            Assert.Contains(host.Output, l => l.EndsWith("[INF] Reloaded: max_connections = 1", StringComparison.Ordinal));

            // One of the two, chosen at random, is closed; the other is served on.
            var replies = new List<string>();
            foreach (var client in new[] { first, second })
            {
                try
                {
                    await client.SendAsync("PING\r\n");
                }
                catch (System.Net.Sockets.SocketException)
                {
                    // The closed one may refuse the write; its -ERR is still there to read.
                }
                replies.Add(await client.ReadLineAsync(TimeSpan.FromSeconds(10)));
            }
            Assert.Equal(["-ERR 'maximum connections exceeded'", "PONG"], replies.Select(r => r.TrimEnd()).Order());

            await using var late = await RawClient.ConnectAsync(port);
            Assert.Equal("-ERR 'maximum connections exceeded'\r\n", await late.ReadToCloseAsync(TimeSpan.FromSeconds(10)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("ping_interval: \"2m\"", "ping_interval: \"1s\"", "ping_interval = 1s")]
    [InlineData("ping_max: 2", "ping_max: 5", "ping_max = 5")]
    [InlineData("write_deadline: \"10s\"", "write_deadline: \"3s\"", "write_deadline = 3s")]
    [InlineData("trace: false", "trace: true", "trace = true")]
    [InlineData("debug: false", "debug: true", "debug = true")]
    [InlineData("lame_duck_duration: \"40s\"", "lame_duck_duration: \"50s\"", "lame_duck_duration = 50s")]
    [InlineData("lame_duck_grace_period: \"10s\"", "lame_duck_grace_period: \"5s\"", "lame_duck_grace_period = 5s")]
    public async Task A_reloadable_key_is_applied_and_logged_as_nats_server_does(string before, string after, string reloaded)
    {
        var file = SignalTests.TempConfig($"host: 127.0.0.1\nport: -1\n{before}\n");
        try
        {
            await using var host = HostProcess.Start("-c", file, "-T=false");
            var port = await host.ListeningPort;
            await using var client = await ConnectedClientAsync(port);

            File.WriteAllText(file, $"host: 127.0.0.1\nport: -1\n{after}\n");
            Assert.Equal(0, kill(host.Process.Id, SigHup));
            await host.WaitForLineAsync("Reloaded server configuration");

            Assert.Contains(host.Output, l => l.EndsWith("[INF] Reloaded: " + reloaded, StringComparison.Ordinal));
            await client.SendAsync("PING\r\n");
            Assert.Equal("PONG\r\n", await client.ReadUntilAsync("PONG\r\n"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("max_pending: 2000000", "max_pending: 3000000", "MaxPending")]
    [InlineData("server_name: a", "server_name: b", "ServerName")]
    public async Task A_key_not_yet_reloadable_is_refused_and_the_old_configuration_keeps_running(string before, string after, string field)
    {
        var file = SignalTests.TempConfig($"host: 127.0.0.1\nport: -1\nlogtime: false\n{before}\n");
        try
        {
            await using var host = HostProcess.Start("-c", file);
            var port = await host.ListeningPort;
            await using var client = await ConnectedClientAsync(port);

            File.WriteAllText(file, $"host: 127.0.0.1\nport: -1\nlogtime: false\n{after}\n");
            Assert.Equal(0, kill(host.Process.Id, SigHup));
            var line = await host.WaitForLineAsync("Failed to reload server configuration");

            Assert.Contains($"config reload not supported for {field}", line);
            await client.SendAsync("PING\r\n");
            Assert.Equal("PONG\r\n", await client.ReadUntilAsync("PONG\r\n"));
            // The old configuration still holds for new clients too.
            await using var fresh = await ConnectedClientAsync(port);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_reload_with_no_change_touches_no_one()
    {
        var file = SignalTests.TempConfig(BaseConfig + "authorization { users: [ { user: a, password: b, permissions: { publish: [\"x.>\"] } } ] }\nmax_connections: 2\n");
        try
        {
            await using var host = HostProcess.Start("-c", file);
            var port = await host.ListeningPort;
            await using var client = await RawClient.ConnectAsync(port);
            await client.SendAsync("CONNECT {\"verbose\":false,\"user\":\"a\",\"pass\":\"b\"}\r\nSUB x.1 1\r\nPUB x.1 2\r\nhi\r\nPING\r\n");
            Assert.Equal("MSG x.1 1 2\r\nhi\r\nPONG\r\n", await client.ReadUntilAsync("PONG\r\n"));

            Assert.Equal(0, kill(host.Process.Id, SigHup));
            await host.WaitForLineAsync("[INF] Reloaded server configuration");

            Assert.DoesNotContain(host.Output, l => l.Contains("Reloaded: ", StringComparison.Ordinal));
            await client.SendAsync("PUB x.1 2\r\nok\r\nPING\r\n");
            Assert.Equal("MSG x.1 1 2\r\nok\r\nPONG\r\n", await client.ReadUntilAsync("PONG\r\n"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}

/// <summary><c>$SYS.REQ.SERVER.&lt;id&gt;.RELOAD</c> from the system account runs the same reload as SIGHUP.</summary>
public class SystemReloadRequestTests
{
    private const string Config = "host: 127.0.0.1\nport: -1\nlogtime: false\nsystem_account: SYS\naccounts { SYS { users: [ { user: sys, password: sys } ] } }\n";

    private static async Task<string> RequestReloadAsync(int port)
    {
        await using var client = await RawClient.ConnectAsync(port, readInfo: false);
        var info = await client.ReadLineAsync();
        var id = System.Text.Json.JsonDocument.Parse(info["INFO ".Length..]).RootElement.GetProperty("server_id").GetString();
        await client.SendAsync($"CONNECT {{\"verbose\":false,\"user\":\"sys\",\"pass\":\"sys\"}}\r\nSUB reply.1 1\r\nPUB $SYS.REQ.SERVER.{id}.RELOAD reply.1 0\r\n\r\n");
        var header = await client.ReadLineAsync(TimeSpan.FromSeconds(10));
        Assert.StartsWith("MSG reply.1 1 ", header);
        return await client.ReadLineAsync();
    }

    [Fact]
    public async Task A_reload_request_applies_the_file_and_answers_without_an_error()
    {
        var file = SignalTests.TempConfig(Config);
        try
        {
            await using var host = HostProcess.Start("-c", file);
            var port = await host.ListeningPort;
            File.WriteAllText(file, Config + "debug: true\n");

            var answer = await RequestReloadAsync(port);

            Assert.Contains("\"server\":{", answer);
            Assert.DoesNotContain("\"error\"", answer);
            await host.WaitForLineAsync("[INF] Reloaded: debug = true");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_refused_reload_request_answers_500_with_the_reason()
    {
        var file = SignalTests.TempConfig(Config);
        try
        {
            await using var host = HostProcess.Start("-c", file);
            var port = await host.ListeningPort;
            File.WriteAllText(file, Config + "max_subscriptions: 3\n");

            var answer = await RequestReloadAsync(port);

            Assert.Contains("\"error\":{\"code\":500,\"description\":\"config reload not supported for MaxSubscriptions: old=0, new=3\"}", answer);
            await host.WaitForLineAsync("Failed to reload server configuration");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
