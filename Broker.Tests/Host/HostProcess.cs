using System.Diagnostics;
using System.Text.RegularExpressions;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Host;

/// <summary>Broker.Host started as a real process (the README's run command, minus the build).</summary>
public sealed partial class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = new();
    private readonly TaskCompletionSource<int> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(Process process) => _process = process;

    public IReadOnlyList<string> Output
    {
        get { lock (_output) return _output.ToArray(); }
    }

    public Process Process => _process;

    public static HostProcess Start(params string[] args) => StartIn(AppContext.BaseDirectory, args);

    /// <summary>Started in <paramref name="workingDirectory"/>, which relative paths in a configuration file are read from.</summary>
    public static HostProcess StartIn(string workingDirectory, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Broker.Host.dll");
        return Launch("dotnet", [dll, .. args], workingDirectory);
    }

    /// <summary>Started by <c>nohup</c>, so with SIGHUP ignored from the start, as an operator's <c>nohup broker &amp;</c> is.</summary>
    public static HostProcess StartUnderNohup(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Broker.Host.dll");
        return Launch("nohup", ["dotnet", dll, .. args], AppContext.BaseDirectory);
    }

    private static HostProcess Launch(string program, string[] arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        var host = new HostProcess(new Process { StartInfo = info, EnableRaisingEvents = true });
        host._process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        host._process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        host._process.Exited += (_, _) =>
        {
            host._listening.TrySetException(new InvalidOperationException("host exited: " + string.Join("\n", host.Output)));
            host._ready.TrySetException(new InvalidOperationException("host exited: " + string.Join("\n", host.Output)));
        };
        host._process.Start();
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        return host;
    }

    /// <summary>The client port from the "Listening for client connections on host:port" line.</summary>
    public Task<int> ListeningPort => _listening.Task.WaitAsync(TimeSpan.FromSeconds(30));

    public Task Ready => _ready.Task.WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>Waits (polling, 30 s at most) for an output line containing <paramref name="text"/>; returns it.</summary>
    public async Task<string> WaitForLineAsync(string text, int after = 0) =>
        (await Eventually.ValueAsync(
            () => Task.FromResult(Output.Skip(after).FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal))),
            line => line is not null,
            _ => $"no line with \"{text}\" in:\n" + string.Join("\n", Output)))!;

    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        // The exit event can come before the last redirected lines; this waits for them.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
        var match = ListeningLine().Match(line);
        if (match.Success) _listening.TrySetResult(int.Parse(match.Groups[1].Value));
        if (line.Contains("Server is ready", StringComparison.Ordinal)) _ready.TrySetResult();
    }

    [GeneratedRegex(@"Listening for client connections on \S+:(\d+)")]
    private static partial Regex ListeningLine();
}
