using System.Net.Sockets;
using System.Runtime.InteropServices;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Host;

/// <summary>Every signal nats-server traps, sent to a real Broker.Host process: none kills it by default.</summary>
public class SignalTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private const int SigHup = 1;
    private const int SigUsr1 = 10;
    private const int SigUsr2 = 12;
    private const int SigTerm = 15;

    internal static string TempConfig(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"broker-signal-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, text);
        return path;
    }

    private const string BaseConfig = "host: 127.0.0.1\nport: -1\nlogtime: false\n";

    private static async Task<RawClient> ConnectedClientAsync(int port)
    {
        var client = await RawClient.ConnectAsync(port);
        await client.SendAsync("CONNECT {\"verbose\":false,\"protocol\":1}\r\nPING\r\n");
        Assert.Equal("PONG\r\n", await client.ReadUntilAsync("PONG\r\n"));
        return client;
    }

    private static async Task AssertServesAsync(RawClient client)
    {
        await client.SendAsync("SUB s 1\r\nPUB s 2\r\nok\r\nPING\r\n");
        Assert.Equal("MSG s 1 2\r\nok\r\nPONG\r\n", await client.ReadUntilAsync("PONG\r\n"));
        await client.SendAsync("UNSUB 1\r\n");
    }

    [Fact]
    public Task Sighup_reloads_the_file_and_the_broker_keeps_serving_its_clients() =>
        ReloadDebugOnAsync(file => HostProcess.Start("-c", file), async host =>
        {
            // debug is on now: the next signal is logged as nats-server does.
            var before = host.Output.Count;
            Assert.Equal(0, kill(host.Process.Id, SigHup));
            await host.WaitForLineAsync("[DBG] Trapped \"hangup\" signal", before);
        });

    /// <remarks>
    /// nohup ignores SIGHUP for its command and the runtime would keep it ignored; nats-server
    /// (Go's signal.Notify) takes it back and reloads, and so must Broker.
    /// </remarks>
    [Fact]
    public Task Sighup_reloads_a_broker_that_nohup_started_with_sighup_ignored_as_nats_server_does() =>
        ReloadDebugOnAsync(file => HostProcess.StartUnderNohup("-c", file), _ => Task.CompletedTask);

    /// <summary>
    /// Starts a host on a config file, connects a client, turns debug on in the file and sends
    /// SIGHUP: the host reloads, stays up and keeps serving the client; then <paramref name="then"/>.
    /// </summary>
    private static async Task ReloadDebugOnAsync(Func<string, HostProcess> start, Func<HostProcess, Task> then)
    {
        var file = TempConfig(BaseConfig);
        try
        {
            await using var host = start(file);
            var port = await host.ListeningPort;
            await using var client = await ConnectedClientAsync(port);

            File.WriteAllText(file, BaseConfig + "debug: true\n");
            Assert.Equal(0, kill(host.Process.Id, SigHup));
            await host.WaitForLineAsync("[INF] Reloaded server configuration");

            Assert.False(host.Process.HasExited);
            Assert.Contains(host.Output, l => l.EndsWith("[INF] Reloaded: debug = true", StringComparison.Ordinal));
            await AssertServesAsync(client);
            await then(host);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Sighup_refuses_a_change_it_cannot_apply_and_the_old_configuration_keeps_running()
    {
        var file = TempConfig(BaseConfig + "max_subscriptions: 10\n");
        try
        {
            await using var host = HostProcess.Start("-c", file);
            var port = await host.ListeningPort;
            await using var client = await ConnectedClientAsync(port);

            File.WriteAllText(file, BaseConfig + "max_subscriptions: 20\ndebug: true\n");
            Assert.Equal(0, kill(host.Process.Id, SigHup));
            var line = await host.WaitForLineAsync("Failed to reload server configuration");

            Assert.EndsWith("[ERR] Failed to reload server configuration: config reload not supported for MaxSubscriptions: old=10, new=20", line);
            // All or nothing: the reloadable debug switch of the same file was not applied either.
            Assert.DoesNotContain(host.Output, l => l.Contains("Reloaded", StringComparison.Ordinal));
            await AssertServesAsync(client);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Sighup_with_a_bad_file_names_file_line_and_key_and_keeps_running()
    {
        var file = TempConfig(BaseConfig);
        try
        {
            await using var host = HostProcess.Start("-c", file);
            var port = await host.ListeningPort;
            await using var client = await ConnectedClientAsync(port);

            File.WriteAllText(file, BaseConfig + "max_payload: lots\n");
            Assert.Equal(0, kill(host.Process.Id, SigHup));
            var line = await host.WaitForLineAsync("Failed to reload server configuration");

            Assert.Contains($"[ERR] Failed to reload server configuration: {file}:4: max_payload:", line);
            await AssertServesAsync(client);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_reload_without_a_config_file_is_refused_as_nats_server_does()
    {
        // In-process: beside the test binary lies a default hocon/broker.conf the host would pick up.
        var output = new StringWriter();
        var signals = System.Threading.Channels.Channel.CreateUnbounded<Broker.Host.Signals.HostSignal>();
        var run = Broker.Host.HostRunner.RunAsync(["-a", "127.0.0.1", "-p", "0", "-T=false"], TextWriter.Synchronized(output), new StringWriter(), signals.Reader, Path.GetTempPath());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!output.ToString().Contains("Server is ready") && DateTime.UtcNow < deadline) await Task.Delay(20);
        signals.Writer.TryWrite(Broker.Host.Signals.HostSignal.Reload);
        signals.Writer.TryWrite(Broker.Host.Signals.HostSignal.Interrupt);

        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("[ERR] Failed to reload server configuration: can only reload config when a file is provided using -c or --config", output.ToString());
    }

    [Fact]
    public async Task Sigusr1_reopens_the_log_and_does_not_kill_the_broker()
    {
        await using var host = HostProcess.Start("-a", "127.0.0.1", "-p", "0", "-T=false");
        var port = await host.ListeningPort;
        await using var client = await ConnectedClientAsync(port);
        Assert.Equal(0, kill(host.Process.Id, SigUsr1));
        await host.WaitForLineAsync("File log re-open");
        await AssertServesAsync(client);
    }

    [Fact]
    public async Task Sigusr2_enters_lame_duck_mode_tells_the_clients_closes_them_after_the_grace_period_and_exits_0()
    {
        var file = TempConfig(BaseConfig + "lame_duck_duration: 30s\nlame_duck_grace_period: 1s\n");
        try
        {
            await using var host = HostProcess.Start("-c", file);
            var port = await host.ListeningPort;
            await using var client = await ConnectedClientAsync(port);

            Assert.Equal(0, kill(host.Process.Id, SigUsr2));
            await host.WaitForLineAsync("[INF] Entering lame duck mode, stop accepting new clients");
            var info = await client.ReadLineAsync();
            Assert.StartsWith("INFO {", info);
            Assert.Contains("\"ldm\":true", info);

            // No new clients, while the connected one is still served through the grace period.
            using (var late = new TcpClient())
                await Assert.ThrowsAnyAsync<SocketException>(() => late.ConnectAsync("127.0.0.1", port));
            // SIGTERM does not cut lame duck mode short, as in nats-server.
            Assert.Equal(0, kill(host.Process.Id, SigTerm));
            await AssertServesAsync(client);

            Assert.Equal("", await client.ReadToCloseAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(0, await host.WaitForExitAsync());
            var output = host.Output;
            Assert.Contains(output, l => l.EndsWith("[INF] Closing existing clients", StringComparison.Ordinal));
            Assert.Contains(output, l => l.EndsWith("[INF] Server Exiting..", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Lame_duck_mode_with_no_clients_exits_at_once()
    {
        await using var host = HostProcess.Start("-a", "127.0.0.1", "-p", "0", "-T=false");
        await host.Ready;
        Assert.Equal(0, kill(host.Process.Id, SigUsr2));
        Assert.Equal(0, await host.WaitForExitAsync());
        Assert.DoesNotContain(host.Output, l => l.Contains("Closing existing clients", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_pid_file_holds_the_process_id_while_the_broker_runs_and_is_removed_at_exit()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"broker-{Guid.NewGuid():N}.pid");
        await using var host = HostProcess.Start("-a", "127.0.0.1", "-p", "0", "-P", pidFile);
        await host.Ready;
        Assert.Equal(host.Process.Id.ToString(), File.ReadAllText(pidFile));
        Assert.Equal(0, kill(host.Process.Id, SigTerm));
        Assert.Equal(0, await host.WaitForExitAsync());
        Assert.False(File.Exists(pidFile));
    }
}
