using System.Globalization;
using Broker.Logging;

namespace Broker.Host.Signals;

/// <summary>The <c>pid_file</c> (<c>-P</c>): written at start, removed at exit, as nats-server does.</summary>
internal sealed class PidFile : IDisposable
{
    private readonly string? _path;

    private PidFile(string? path) => _path = path;

    public static PidFile Write(string? path, ServerLog log)
    {
        if (string.IsNullOrEmpty(path)) return new PidFile(null);
        try
        {
            File.WriteAllText(path, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            return new PidFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Error($"Could not write pidfile: {e.Message}");
            return new PidFile(null);
        }
    }

    public void Dispose()
    {
        if (_path is null) return;
        try
        {
            File.Delete(_path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind; the next start overwrites it.
        }
    }
}
