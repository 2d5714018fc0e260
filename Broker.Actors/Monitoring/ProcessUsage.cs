using System.Diagnostics;

namespace Broker.Monitoring;

/// <summary>
/// The process's memory (resident set) and CPU use, as /varz reports them. CPU is a percentage of
/// one core over the last sampling window (at least a second, as nats-server samples), so 150
/// means one and a half cores were busy.
/// </summary>
public sealed class ProcessUsage
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly object _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _sampledAt;
    private TimeSpan _cpuAtSample = CpuTime();
    private double _percent;

    /// <summary>Resident memory in bytes.</summary>
    public static long Memory => Environment.WorkingSet;

    /// <summary>CPU time the process has used since it started.</summary>
    public static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>CPU use in percent of one core over the last completed window.</summary>
    public double CpuPercent()
    {
        lock (_gate)
        {
            var now = _clock.Elapsed;
            if (now - _sampledAt < Window && _sampledAt > TimeSpan.Zero) return _percent;
            var cpu = CpuTime();
            var wall = now - _sampledAt;
            if (wall > TimeSpan.Zero) _percent = Math.Round((cpu - _cpuAtSample) / wall * 100, 1);
            _sampledAt = now;
            _cpuAtSample = cpu;
            return _percent;
        }
    }
}
