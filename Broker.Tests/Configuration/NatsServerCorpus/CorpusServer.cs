using System.Diagnostics;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Broker.Tests.Differential;
using Broker.Tests.Host;

namespace Broker.Tests.Configuration.NatsServerCorpus;

/// <summary>
/// A corpus file started, unchanged, under nats-server or Broker.Host as a real process, with the
/// client and monitoring ports (and maybe the cluster endpoint) given on the command line so tests
/// can run in parallel: <c>-c FILE -a 127.0.0.1 -p -1 -m -1</c>, flags both servers read the same way.
/// </summary>
internal sealed partial class CorpusServer : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };

    private readonly IAsyncDisposable _process;

    private CorpusServer(IAsyncDisposable process, int port, int monitorPort)
    {
        _process = process;
        Port = port;
        MonitorPort = monitorPort;
    }

    public int Port { get; }

    public int MonitorPort { get; }

    public string Url => $"nats://127.0.0.1:{Port}";

    private static string[] Flags(string name, string[] extra) =>
        ["-c", NatsServerCorpusTests.PathOf(name), "-a", "127.0.0.1", "-p", "-1", "-m", "-1", .. extra];

    public static async Task<CorpusServer> StartBrokerAsync(string name, params string[] extra)
    {
        var host = HostProcess.StartIn(NatsServerCorpusTests.WorkingDirectoryOf(name), Flags(name, extra));
        try
        {
            var port = await host.ListeningPort;
            var monitor = MonitorLine().Match(await host.WaitForLineAsync("Starting http monitor on"));
            return new CorpusServer(host, port, int.Parse(monitor.Groups[1].Value));
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public static async Task<CorpusServer> StartNatsServerAsync(string name, params string[] extra)
    {
        var process = new NatsServerRun(Process.Start(new ProcessStartInfo(NatsServerProcess.ExecutablePath!, Flags(name, extra))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = NatsServerCorpusTests.WorkingDirectoryOf(name),
        })!);
        try
        {
            var (port, monitor) = await process.Ports.WaitAsync(TimeSpan.FromSeconds(20));
            return new CorpusServer(process, port, monitor);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public async Task<JsonObject> VarzAsync() =>
        JsonNode.Parse(await Http.GetStringAsync($"http://127.0.0.1:{MonitorPort}/varz"))!.AsObject();

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    [GeneratedRegex(@"Starting http monitor on \S+:(\d+)")]
    private static partial Regex MonitorLine();

    [GeneratedRegex(@"Listening for client connections on \S+:(\d+)")]
    private static partial Regex ListeningLine();

    /// <summary>nats-server's process; its ports from its log (the monitor's line comes first).</summary>
    private sealed class NatsServerRun : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly TaskCompletionSource<(int, int)> _ports = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<string> _output = [];
        private int _monitor;

        public NatsServerRun(Process process)
        {
            _process = process;
            process.ErrorDataReceived += (_, e) => OnLine(e.Data);
            process.OutputDataReceived += (_, e) => OnLine(e.Data);
            process.EnableRaisingEvents = true;
            process.Exited += (_, _) => _ports.TrySetException(new InvalidOperationException("nats-server exited: " + Output));
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
        }

        public Task<(int Port, int Monitor)> Ports => _ports.Task;

        private string Output
        {
            get { lock (_output) return string.Join("\n", _output); }
        }

        private void OnLine(string? line)
        {
            if (line is null) return;
            lock (_output) _output.Add(line);
            if (MonitorLine().Match(line) is { Success: true } monitor) _monitor = int.Parse(monitor.Groups[1].Value);
            if (ListeningLine().Match(line) is { Success: true } listening) _ports.TrySetResult((int.Parse(listening.Groups[1].Value), _monitor));
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}
