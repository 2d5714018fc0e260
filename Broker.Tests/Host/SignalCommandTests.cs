namespace Broker.Tests.Host;

/// <summary><c>--signal</c> (<c>-sl</c>) run as its own process against a running broker, as an operator would.</summary>
public class SignalCommandTests
{
    public enum Target { Pid, PidFileInline, PidFlag, ConfigPidFile }

    private static string[] SignalArgs(string command, Target target, int pid, string pidFile, string config) => target switch
    {
        Target.Pid => ["--signal", $"{command}={pid}"],
        Target.PidFileInline => ["-sl", $"{command}={pidFile}"],
        Target.PidFlag => ["--signal", command, "-P", pidFile],
        _ => ["--signal", command, "-c", config],
    };

    [Theory]
    [InlineData("reload", Target.Pid, "[INF] Reloaded server configuration")]
    [InlineData("reload", Target.ConfigPidFile, "[INF] Reloaded server configuration")]
    [InlineData("reopen", Target.PidFileInline, "File log re-open")]
    [InlineData("reopen", Target.PidFlag, "File log re-open")]
    public async Task A_signal_that_keeps_the_broker_running_reaches_it(string command, Target target, string expected)
    {
        await using var broker = await RunningBrokerAsync();
        await using var sender = HostProcess.Start(SignalArgs(command, target, broker.Host.Process.Id, broker.PidFile, broker.Config));

        Assert.Equal(0, await sender.WaitForExitAsync());
        await broker.Host.WaitForLineAsync(expected);
        Assert.False(broker.Host.Process.HasExited);
    }

    [Theory]
    [InlineData("quit", Target.PidFlag, 0, "Trapped \"interrupt\" signal")]
    [InlineData("term", Target.Pid, 0, "Trapped \"terminated\" signal")]
    [InlineData("ldm", Target.ConfigPidFile, 0, "Entering lame duck mode")]
    [InlineData("ldm", Target.PidFileInline, 0, "Entering lame duck mode")]
    public async Task A_signal_that_stops_the_broker_stops_it_cleanly(string command, Target target, int exitCode, string expected)
    {
        await using var broker = await RunningBrokerAsync();
        await using var sender = HostProcess.Start(SignalArgs(command, target, broker.Host.Process.Id, broker.PidFile, broker.Config));

        Assert.Equal(0, await sender.WaitForExitAsync());
        Assert.Equal(exitCode, await broker.Host.WaitForExitAsync());
        Assert.Contains(broker.Host.Output, l => l.Contains(expected, StringComparison.Ordinal));
        Assert.Contains(broker.Host.Output, l => l.EndsWith("[INF] Server Exiting..", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stop_kills_the_broker_at_once()
    {
        await using var broker = await RunningBrokerAsync();
        await using var sender = HostProcess.Start("--signal", $"stop={broker.PidFile}");

        Assert.Equal(0, await sender.WaitForExitAsync());
        Assert.Equal(137, await broker.Host.WaitForExitAsync());
        Assert.DoesNotContain(broker.Host.Output, l => l.Contains("Server Exiting", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("bogus=1", "Broker: unknown signal \"bogus\"")]
    [InlineData("reload=1=2", "Broker: invalid signal parameters: [2]")]
    [InlineData("reload=not-a-pid", "Broker: invalid pid: not-a-pid")]
    [InlineData("reload", "Broker: no process given")]
    public async Task A_bad_signal_command_is_refused_with_exit_1(string value, string expected)
    {
        await using var sender = HostProcess.Start("--signal", value);
        Assert.Equal(1, await sender.WaitForExitAsync());
        Assert.Contains(sender.Output, l => l.StartsWith(expected, StringComparison.Ordinal));
    }

    private static async Task<RunningBroker> RunningBrokerAsync()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"broker-{Guid.NewGuid():N}.pid");
        var config = SignalTests.TempConfig(
            $"host: 127.0.0.1\nport: -1\nlogtime: false\ndebug: true\npid_file: \"{pidFile}\"\nlame_duck_duration: 30s\nlame_duck_grace_period: 1s\n");
        var host = HostProcess.Start("-c", config);
        await host.Ready;
        return new RunningBroker(host, pidFile, config);
    }

    private sealed record RunningBroker(HostProcess Host, string PidFile, string Config) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            File.Delete(Config);
            File.Delete(PidFile);
        }
    }
}
