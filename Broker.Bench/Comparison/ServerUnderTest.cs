using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Broker.Bench.Comparison;

/// <summary>
/// A server process started fresh for one run (so its CPU time and peak memory belong to that run
/// alone), on a free loopback port, and killed afterwards.
/// </summary>
internal sealed class ServerUnderTest : IDisposable
{
    /// <summary>Log lines kept, for telling why a run failed.</summary>
    private const int KeptLines = 20;

    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();

    private ServerUnderTest(Process process, IPEndPoint endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public IPEndPoint Endpoint { get; }
    public int Pid => _process.Id;

    /// <summary>The server's last log lines (its own log, stdout and stderr alike).</summary>
    public IReadOnlyList<string> LastLines
    {
        get { lock (_lastLines) return _lastLines.ToArray(); }
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > KeptLines) _lastLines.Dequeue();
        }
    }

    /// <summary>Starts <paramref name="kind"/> alone on a free port and returns once it reports ready.</summary>
    public static ServerUnderTest Start(ServerKind kind, ServerPaths paths)
    {
        var port = FreePort();
        return Launch(kind, paths, ["-a", "127.0.0.1", "-p", port.ToString()], port);
    }

    /// <summary>Starts <paramref name="kind"/> with a configuration file whose client port is <paramref name="port"/>.</summary>
    public static ServerUnderTest StartWithConfig(ServerKind kind, ServerPaths paths, string configFile, int port) =>
        Launch(kind, paths, ["-c", configFile], port);

    private static ServerUnderTest Launch(ServerKind kind, ServerPaths paths, string[] arguments, int port)
    {
        var start = kind == ServerKind.Broker ? new ProcessStartInfo("dotnet") { ArgumentList = { paths.BrokerHostDll } } : new ProcessStartInfo(paths.NatsServer);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        var server = new ServerUnderTest(process, new IPEndPoint(IPAddress.Loopback, port));
        // Both servers log "Server is ready" once the client port is listening.
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        DataReceivedEventHandler watch = (_, e) =>
        {
            server.Keep(e.Data);
            if (e.Data?.Contains("Server is ready", StringComparison.Ordinal) == true) ready.TrySetResult();
        };
        process.OutputDataReceived += watch;
        process.ErrorDataReceived += watch;
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) =>
        {
            // The output drained first, so the message says why it exited (a port taken meanwhile, a config it refused).
            process.WaitForExit();
            ready.TrySetException(new InvalidOperationException($"{kind} exited with code {process.ExitCode} during start: {string.Join(" | ", server.LastLines.TakeLast(3))}"));
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!ready.Task.Wait(TimeSpan.FromSeconds(30)))
        {
            server.Dispose();
            throw new TimeoutException($"{kind} did not report ready within 30s");
        }
        return server;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
    }
}

internal enum ServerKind { Broker, NatsServer }

/// <summary>Where the two servers are: our host's DLL (run with <c>dotnet</c>) and the nats-server binary.</summary>
internal sealed record ServerPaths(string BrokerHostDll, string NatsServer);
