using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Broker.Tests.Differential;

/// <summary>A real nats-server on a random loopback port, the oracle for differential tests.</summary>
public sealed partial class NatsServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _configPath;

    private NatsServerProcess(Process process, string configPath, int port, int? monitorPort)
    {
        _process = process;
        _configPath = configPath;
        Port = port;
        MonitorPort = monitorPort;
    }

    public int Port { get; }

    /// <summary>The monitoring port, when the config set <c>http_port</c>.</summary>
    public int? MonitorPort { get; }

    public static string? ExecutablePath { get; } = Find();

    public static bool IsAvailable => ExecutablePath is not null;

    public Process Process => _process;

    /// <summary>Starts nats-server with the given config lines (port and host are added) and extra command-line flags.</summary>
    public static async Task<NatsServerProcess> StartAsync(string config = "", IReadOnlyList<string>? flags = null)
    {
        var path = Path.Combine(Path.GetTempPath(), $"broker-diff-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(path, "host: 127.0.0.1\nport: -1\n" + config);
        var info = new ProcessStartInfo(ExecutablePath!, ["-c", path, .. flags ?? []])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(info)!;
        var ready = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        int? monitorPort = null;
        var output = new List<string>();
        void ExitedAtStart()
        {
            lock (output) ready.TrySetException(new InvalidOperationException($"nats-server exited at start: {string.Join(" | ", output)}"));
        }
        process.ErrorDataReceived += (_, e) =>
        {
            // The end of its log: every line it wrote before exiting has been read.
            if (e.Data is null)
            {
                ExitedAtStart();
                return;
            }
            lock (output) output.Add(e.Data);
            // nats-server logs the monitor port before the client port.
            var monitor = MonitorLine().Match(e.Data);
            if (monitor.Success) monitorPort = int.Parse(monitor.Groups[1].Value);
            var match = ListeningLine().Match(e.Data);
            if (match.Success) ready.TrySetResult(int.Parse(match.Groups[1].Value));
        };
        process.Exited += (_, _) =>
        {
            // Its last words say why: they come with the end of its log, which can follow the exit (a
            // message composed here missed the x509 line under load). No WaitForExit here: it waits on
            // the output readers from their own event, which hung a test run. Should the end of the
            // log never come, what was read by then is the answer.
            _ = Task.Delay(TimeSpan.FromSeconds(5)).ContinueWith(_ => ExitedAtStart(), TaskScheduler.Default);
        };
        process.EnableRaisingEvents = true;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var port = await ready.Task.WaitAsync(TimeSpan.FromSeconds(15));
            return new NatsServerProcess(process, path, port, monitorPort) { _output = output };
        }
        catch
        {
            // Not left running when it never got ready.
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            File.Delete(path);
            throw;
        }
    }

    private List<string> _output = [];

    /// <summary>nats-server's log so far (it logs to stderr).</summary>
    public IReadOnlyList<string> Output
    {
        get { lock (_output) return _output.ToArray(); }
    }

    /// <summary>The config file nats-server was started with, for reload tests.</summary>
    public string ConfigPath => _configPath;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        File.Delete(_configPath);
    }

    private static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/usr/bin"))
        {
            var candidate = Path.Combine(dir, "nats-server");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    [GeneratedRegex(@"Listening for client connections on [^\s]+:(\d+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"Starting http monitor on [^\s]+:(\d+)")]
    private static partial Regex MonitorLine();
}
