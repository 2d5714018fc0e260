using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Broker.Tests.Host;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Differential;

/// <summary>Trace lines and reload/lame-duck log lines of Broker.Host and of nats-server 2.9, for the same input.</summary>
public class OperationsDifferentialTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private const string Session =
        "CONNECT {\"verbose\":true,\"headers\":true,\"protocol\":1}\r\nSUB foo 1\r\nPUB foo 5\r\nhello\r\nPUB foo bar 2\r\nhi\r\nHPUB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\nUNSUB 1\r\nPING\r\n";

    private static Task<IReadOnlyList<string>> PollAsync(Func<IReadOnlyList<string>> output, string text) =>
        Eventually.ValueAsync(() => Task.FromResult(output()), lines => lines.Any(l => l.Contains(text, StringComparison.Ordinal)), lines => $"no \"{text}\" in:\n" + string.Join("\n", lines));

    /// <summary>The messages after the level tag, without the connection's address and id.</summary>
    private static List<string> Messages(IEnumerable<string> lines, string tag) => lines
        .Where(l => l.Contains($"[{tag}] ", StringComparison.Ordinal))
        .Select(l => Regex.Replace(l[(l.IndexOf($"[{tag}] ", StringComparison.Ordinal) + tag.Length + 3)..], @"^\S+ - cid:\d+ - ", ""))
        .ToList();

    private static async Task<List<string>> TraceAsync(int port, Func<IReadOnlyList<string>> output)
    {
        await using var client = await RawClient.ConnectAsync(port);
        await client.SendAsync(Session);
        await client.ReadUntilAsync("PONG\r\n");
        return Messages(await PollAsync(output, "->> [PONG]"), "TRC");
    }

    [NatsServerFact]
    public async Task Trace_lines_are_nats_servers()
    {
        await using var nats = await NatsServerProcess.StartAsync("trace: true\nmax_traced_msg_len: 4\n");
        var expected = await TraceAsync(nats.Port, () => nats.Output);

        var file = SignalTests.TempConfig("host: 127.0.0.1\nport: -1\ntrace: true\nmax_traced_msg_len: 4\n");
        try
        {
            await using var host = HostProcess.Start("-c", file);
            var actual = await TraceAsync(await host.ListeningPort, () => host.Output);
            Assert.Equal(expected, actual);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<List<string>> ReloadLinesAsync(int pid, string configPath, Func<IReadOnlyList<string>> output, string change)
    {
        File.AppendAllText(configPath, change);
        kill(pid, 1);
        // The last line of a reload, applied ("Reloaded server configuration") or refused ("Failed to
        // reload server configuration: ..."): nats-server logs its "Reloaded: ..." lines before it.
        var lines = await PollAsync(output, "server configuration");
        // nats-server 2.9 re-applies authorization and accounts on every reload and says so even when
        // nothing changed; Broker applies (and logs) them only when users or accounts changed.
        return Messages(lines, "INF").Concat(Messages(lines, "ERR"))
            .Where(l => l.Contains("eload", StringComparison.Ordinal) && l is not ("Reloaded: authorization users" or "Reloaded: accounts"))
            .Select(l => Regex.Replace(l, @"for Port: old=\d+,", "for Port: old=<bound port>,"))
            .ToList();
    }

    [NatsServerTheory]
    [InlineData("")]
    [InlineData("\ndebug: true\n")]
    [InlineData("\nmax_connections: 3\n")]
    [InlineData("\nport: 1\n")]
    public async Task Reload_log_lines_are_nats_servers(string change)
    {
        await using var nats = await NatsServerProcess.StartAsync();
        var expected = await ReloadLinesAsync(nats.Process.Id, nats.ConfigPath, () => nats.Output, change);

        var file = SignalTests.TempConfig("host: 127.0.0.1\nport: -1\n");
        try
        {
            await using var host = HostProcess.Start("-c", file);
            await host.Ready;
            var actual = await ReloadLinesAsync(host.Process.Id, file, () => host.Output, change);
            Assert.Equal(string.Join("\n", expected), string.Join("\n", actual));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The shutdown lines of the log, after the level tag.</summary>
    private static List<string> ShutdownLines(IEnumerable<string> lines) =>
        Messages(lines, "INF").Where(l => l is "Initiating Shutdown..." or "Server Exiting..").ToList();

    [NatsServerFact]
    public async Task Sigterm_logs_nats_servers_lines_but_exits_0_where_nats_server_exits_1()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        kill(nats.Process.Id, 15);
        await nats.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        nats.Process.WaitForExit();
        // nats-server 2.9.10 treats SIGTERM outside lame duck mode as an error exit; Broker does not (README, "Operations").
        Assert.Equal(1, nats.Process.ExitCode);

        var file = SignalTests.TempConfig("host: 127.0.0.1\nport: -1\n");
        try
        {
            await using var host = HostProcess.Start("-c", file);
            await host.Ready;
            kill(host.Process.Id, 15);
            Assert.Equal(0, await host.WaitForExitAsync());
            Assert.Equal(ShutdownLines(nats.Output), ShutdownLines(host.Output));
            Assert.Equal(["Initiating Shutdown...", "Server Exiting.."], ShutdownLines(host.Output));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
