using System.Text;

namespace Broker.Logging;

/// <summary>
/// nats-server's file logger (<c>log_file</c>): the console's format, appended to a file, rotated
/// once it holds <c>log_size_limit</c> bytes: the full file is renamed
/// <c>&lt;file&gt;.yyyy.MM.dd.HH.mm.ss.nnnnnnnnn</c> and a new one started with the line
/// "Rotated log, backup saved as ...". SIGUSR1 makes a new instance (the file reopened after logrotate).
/// </summary>
public sealed class FileServerLog : ServerLog, IDisposable
{
    private readonly string _path;
    private readonly bool _debug;
    private readonly bool _trace;
    private readonly bool _logtime;
    private readonly long _limit;
    private readonly string _pid = $"[{Environment.ProcessId}] ";
    private readonly object _gate = new();
    private FileStream _file;
    private long _written;

    public FileServerLog(string path, bool debug, bool trace, bool logtime, long sizeLimit)
    {
        _path = path;
        _debug = debug;
        _trace = trace;
        _logtime = logtime;
        _limit = sizeLimit;
        _file = Open(path);
        _written = _file.Length;
    }

    public override bool IsDebugEnabled => _debug;
    public override bool IsTraceEnabled => _trace;

    public override void Write(LogLevel level, string message)
    {
        var time = _logtime ? DateTime.Now.ToString("yyyy/MM/dd HH:mm:ss.ffffff ") : "";
        var bytes = Encoding.UTF8.GetBytes($"{_pid}{time}{ConsoleServerLog.Tag(level)}{message}\n");
        lock (_gate)
        {
            if (_limit > 0 && _written >= _limit) Rotate();
            _file.Write(bytes);
            _file.Flush();
            _written += bytes.Length;
        }
    }

    private void Rotate()
    {
        _file.Dispose();
        var now = DateTime.Now;
        var backup = $"{_path}.{now:yyyy.MM.dd.HH.mm.ss}.{now.Ticks % TimeSpan.TicksPerSecond * 100:D9}";
        File.Move(_path, backup);
        _file = Open(_path);
        var line = Encoding.UTF8.GetBytes($"{_pid}{(_logtime ? DateTime.Now.ToString("yyyy/MM/dd HH:mm:ss.ffffff ") : "")}[INF] Rotated log, backup saved as {backup}\n");
        _file.Write(line);
        _written = line.Length;
    }

    private static FileStream Open(string path) =>
        new(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);

    public void Dispose()
    {
        lock (_gate) _file.Dispose();
    }
}
