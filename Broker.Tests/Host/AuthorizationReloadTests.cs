using System.Runtime.InteropServices;
using Broker.Tests.Differential;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Host;

/// <summary>
/// SIGHUP reloads of users, accounts, permissions and limits on a real Broker.Host process, and
/// their effect on live connections (raw sockets: the exact bytes matter), with nats-server 2.9 as
/// the reference where it is installed.
/// </summary>
public class AuthorizationReloadTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private const int SigHup = 1;
    private const string Head = "host: 127.0.0.1\nport: -1\nlogtime: false\n";

    private static async Task ReloadAsync(HostProcess host, string file, string text)
    {
        var before = host.Output.Count;
        File.WriteAllText(file, text);
        Assert.Equal(0, kill(host.Process.Id, SigHup));
        var line = await host.WaitForLineAsync("server configuration", before);
        Assert.Contains("Reloaded server configuration", line);
    }

    [Fact]
    public async Task Removed_moved_refused_and_restricted_clients_are_treated_as_nats_server_treats_them()
    {
        var file = SignalTests.TempConfig(Head + AuthorizationReloadScenario.Before);
        try
        {
            await using var host = HostProcess.Start("-c", file);
            var clients = await AuthorizationReloadScenario.ConnectAsync(await host.ListeningPort);
            try
            {
                await ReloadAsync(host, file, Head + AuthorizationReloadScenario.After);
                var seen = await AuthorizationReloadScenario.AfterReloadAsync(clients);
                Assert.Equal(AuthorizationReloadScenario.Expected, seen);
                Assert.Contains(host.Output, l => l.EndsWith("[INF] Removed sub \"bar\" (sid \"2\") for User \"a\" - not authorized", StringComparison.Ordinal));
                Assert.Contains(host.Output, l => l.EndsWith("authentication error - User \"c\"", StringComparison.Ordinal));
                Assert.Contains(host.Output, l => l.EndsWith("[INF] Reloaded: authorization users", StringComparison.Ordinal));

                // New clients meet the new rules: c with its new password, d in account B (it hears e's publish).
                await using var d = await RawClient.ConnectAsync(await host.ListeningPort);
                await d.SendAsync("CONNECT {\"verbose\":false,\"user\":\"d\",\"pass\":\"d\"}\r\nSUB q 1\r\nPING\r\n");
                await d.ReadUntilAsync("PONG\r\n");
                await clients["e"].SendAsync("PUB q 2\r\nhi\r\nPING\r\n");
                await clients["e"].ReadUntilAsync("PONG\r\n");
                Assert.Equal("MSG q 1 2\r\nhi\r\n", (await d.ReadUntilAsync("hi\r\n")).Replace("PING\r\n", ""));
                await using var c = await RawClient.ConnectAsync(await host.ListeningPort);
                await c.SendAsync("CONNECT {\"verbose\":false,\"user\":\"c\",\"pass\":\"cc\"}\r\nPING\r\n");
                Assert.Equal("PONG\r\n", (await c.ReadUntilAsync("PONG\r\n")).Replace("PING\r\n", ""));
            }
            finally
            {
                await AuthorizationReloadScenario.DisposeAsync(clients);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [NatsServerFact]
    public async Task Live_connection_effects_are_nats_servers()
    {
        await using var nats = await NatsServerProcess.StartAsync(AuthorizationReloadScenario.Before);
        var natsClients = await AuthorizationReloadScenario.ConnectAsync(nats.Port);
        Dictionary<string, string> expected;
        try
        {
            var before = nats.Output.Count;
            File.WriteAllText(nats.ConfigPath, "host: 127.0.0.1\nport: -1\n" + AuthorizationReloadScenario.After);
            Assert.Equal(0, kill(nats.Process.Id, SigHup));
            await WaitAsync(() => nats.Output.Skip(before).Any(l => l.Contains("Reloaded server configuration", StringComparison.Ordinal)));
            expected = await AuthorizationReloadScenario.AfterReloadAsync(natsClients);
        }
        finally
        {
            await AuthorizationReloadScenario.DisposeAsync(natsClients);
        }

        var file = SignalTests.TempConfig(Head + AuthorizationReloadScenario.Before);
        try
        {
            await using var host = HostProcess.Start("-c", file);
            var clients = await AuthorizationReloadScenario.ConnectAsync(await host.ListeningPort);
            try
            {
                await ReloadAsync(host, file, Head + AuthorizationReloadScenario.After);
                Assert.Equal(expected, await AuthorizationReloadScenario.AfterReloadAsync(clients));
            }
            finally
            {
                await AuthorizationReloadScenario.DisposeAsync(clients);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in 30 s");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Max_payload_and_max_control_line_apply_to_connected_clients()
    {
        var file = SignalTests.TempConfig(Head);
        try
        {
            await using var host = HostProcess.Start("-c", file);
            var port = await host.ListeningPort;
            await using var client = await RawClient.ConnectAsync(port);
            await client.SendAsync("CONNECT {\"verbose\":false}\r\nPUB foo 20\r\n01234567890123456789\r\nPING\r\n");
            Assert.Equal("PONG\r\n", (await client.ReadUntilAsync("PONG\r\n")).Replace("PING\r\n", ""));

            await ReloadAsync(host, file, Head + "max_payload: 10\nmax_control_line: 64\n");
            Assert.Contains(host.Output, l => l.EndsWith("[INF] Reloaded: max_payload = 10", StringComparison.Ordinal));
            Assert.Contains(host.Output, l => l.EndsWith("[INF] Reloaded: max_control_line = 64", StringComparison.Ordinal));

            await using var fresh = await RawClient.ConnectAsync(port, readInfo: false);
            Assert.Contains("\"max_payload\":10", await fresh.ReadLineAsync());
            await client.SendAsync("PUB foo 20\r\n01234567890123456789\r\n");
            Assert.Equal("-ERR 'Maximum Payload Violation'\r\n", (await client.ReadToCloseAsync()).Replace("PING\r\n", ""));
            await fresh.SendAsync("CONNECT {\"verbose\":false}\r\nSUB " + new string('x', 80) + " 1\r\n");
            Assert.Equal("-ERR 'maximum control line exceeded'\r\n", (await fresh.ReadToCloseAsync()).Replace("PING\r\n", ""));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("no_auth_user: a\n", "no_auth_user: b\n", "config reload not supported for NoAuthUser: old=a, new=b")]
    [InlineData("", "no_auth_user: a\n", "config reload not supported for NoAuthUser: old=, new=a")]
    [InlineData("no_auth_user: a\n", "", "config reload not supported for NoAuthUser: old=a, new=")]
    public async Task No_auth_user_may_only_go_away_with_its_user(string before, string after, string refusal)
    {
        const string users = "authorization { users: [ { user: a, password: a }, { user: b, password: b } ] }\n";
        var file = SignalTests.TempConfig(Head + users + before);
        try
        {
            await using var host = HostProcess.Start("-c", file);
            var port = await host.ListeningPort;
            var count = host.Output.Count;
            File.WriteAllText(file, Head + users + after);
            Assert.Equal(0, kill(host.Process.Id, SigHup));
            Assert.EndsWith(refusal, await host.WaitForLineAsync("Failed to reload server configuration", count));

            // Removing it together with its user is applied.
            if (before.Length == 0) return;
            count = host.Output.Count;
            File.WriteAllText(file, Head + "authorization { users: [ { user: b, password: b } ] }\n");
            Assert.Equal(0, kill(host.Process.Id, SigHup));
            Assert.Contains("Reloaded server configuration", await host.WaitForLineAsync("server configuration", count));
            await using var anonymous = await RawClient.ConnectAsync(port);
            await anonymous.SendAsync("CONNECT {\"verbose\":false}\r\nPING\r\n");
            Assert.Equal("-ERR 'Authorization Violation'\r\n", await anonymous.ReadToCloseAsync());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
