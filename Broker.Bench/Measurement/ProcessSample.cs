using System.Diagnostics;

namespace Broker.Bench.Measurement;

/// <summary>
/// CPU time and resident memory of a process, read from /proc: the server's own figures, not the
/// generator's. Without a PID (an in-process server in a smoke test) every figure reads zero.
/// </summary>
internal readonly record struct ProcessSample(double CpuSeconds, long ResidentBytes, long PeakResidentBytes)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ is 100 on Linux for every mainstream architecture.

    public static ProcessSample Read(int? pid)
    {
        if (pid is null || !OperatingSystem.IsLinux()) return default;
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the ")" that closes the command name; utime and stime are fields 14 and 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var cpu = (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond;
        long rss = 0, hwm = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kilobytes(line);
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = Kilobytes(line);
        }
        return new ProcessSample(cpu, rss, hwm);
    }

    /// <summary>A cluster's figures: CPU, resident and peak memory summed over its nodes (each node's own peak).</summary>
    public static ProcessSample Sum(IEnumerable<ProcessSample> samples) =>
        samples.Aggregate(default(ProcessSample), (total, s) =>
            new ProcessSample(total.CpuSeconds + s.CpuSeconds, total.ResidentBytes + s.ResidentBytes, total.PeakResidentBytes + s.PeakResidentBytes));

    /// <summary>This process (the generator), for telling client CPU from server CPU.</summary>
    public static double OwnCpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
}
