
namespace Broker.Logging;

/// <summary>Prints nats-server's log format: <c>[pid] 2006/01/02 15:04:05.000000 [INF] message</c>.</summary>
public sealed class ConsoleServerLog : ServerLog
{
    private readonly bool _debug;
    private readonly bool _trace;
    private readonly bool _logtime;
    private readonly TextWriter _out;
    private readonly string _pid = $"[{Environment.ProcessId}] ";
    private readonly object _gate = new();

    public ConsoleServerLog(bool debug, bool trace, bool logtime, TextWriter? output = null)
    {
        _debug = debug;
        _trace = trace;
        _logtime = logtime;
        _out = output ?? Console.Out;
    }

    public override bool IsDebugEnabled => _debug;
    public override bool IsTraceEnabled => _trace;

    public override void Write(LogLevel level, string message)
    {
        var tag = Tag(level);
        var time = _logtime ? DateTime.Now.ToString("yyyy/MM/dd HH:mm:ss.ffffff ") : "";
        lock (_gate)
        {
            _out.Write(_pid);
            _out.Write(time);
            _out.Write(tag);
            _out.WriteLine(message);
            _out.Flush();
        }
    }

    /// <summary>nats-server's level tags, shared with the file log.</summary>
    internal static string Tag(LogLevel level) => level switch
    {
        LogLevel.Trace => "[TRC] ",
        LogLevel.Debug => "[DBG] ",
        LogLevel.Info => "[INF] ",
        LogLevel.Warning => "[WRN] ",
        LogLevel.Error => "[ERR] ",
        _ => "[FTL] ",
    };
}
