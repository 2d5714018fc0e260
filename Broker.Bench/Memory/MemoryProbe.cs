using System.Net;
using Broker.Bench.Measurement;

namespace Broker.Bench.Memory;

/// <summary>
/// One server process under a memory scenario: where to connect, and the resident-memory readings
/// the scenario takes at its named moments (VmRSS now, VmHWM the peak since the process started).
/// </summary>
internal sealed class MemoryProbe(IPEndPoint endpoint, int pid, List<MemoryReading>? readings = null)
{
    // The nodes of one cluster share one list, so their readings stay in the order they were taken.
    private readonly List<MemoryReading> _readings = readings ?? [];

    public IPEndPoint Endpoint { get; } = endpoint;

    public IReadOnlyList<MemoryReading> Readings => _readings;

    public MemoryReading Read(string moment)
    {
        var sample = ProcessSample.Read(pid);
        var reading = new MemoryReading(moment, sample.ResidentBytes, sample.PeakResidentBytes);
        _readings.Add(reading);
        return reading;
    }

    /// <summary>
    /// Reads once resident memory has stopped moving (a server gives memory back, if at all, some
    /// time after a load ends): two readings a second apart within 1%, or <paramref name="most"/> at most.
    /// </summary>
    public async Task<MemoryReading> ReadSettledAsync(string moment, TimeSpan most)
    {
        var until = DateTime.UtcNow + most;
        var last = ProcessSample.Read(pid).ResidentBytes;
        while (DateTime.UtcNow < until)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = ProcessSample.Read(pid).ResidentBytes;
            if (Math.Abs(now - last) <= last / 100) break;
            last = now;
        }
        return Read(moment);
    }
}

/// <summary>A named moment of a scenario: resident memory then, and the process's peak so far.</summary>
internal readonly record struct MemoryReading(string Moment, long ResidentBytes, long PeakResidentBytes);
