namespace Broker.Logging;

/// <summary>
/// The log the host hands the broker: its target can be replaced while the broker runs (a reload
/// that changes debug/trace/logtime, a reopened log file) without the broker noticing. The level
/// checks read one field, so a trace call costs nothing when tracing is off.
/// </summary>
public sealed class ReloadableServerLog : ServerLog
{
    private volatile ServerLog _target;
    private volatile Func<ServerLog>? _reopen;

    public ReloadableServerLog(ServerLog target, Func<ServerLog>? reopen = null)
    {
        _target = target;
        _reopen = reopen;
        _debug = target.IsDebugEnabled;
        _traceEnabled = target.IsTraceEnabled;
    }

    public ServerLog Target => _target;

    // Cached: the hot path asks IsTraceEnabled for every operation.
    private volatile bool _debug;
    private volatile bool _traceEnabled;

    public override bool IsDebugEnabled => _debug;
    public override bool IsTraceEnabled => _traceEnabled;

    public override void Write(LogLevel level, string message) => _target.Write(level, message);

    /// <summary>Writes to <paramref name="target"/> from now on; <paramref name="reopen"/> makes a fresh one for <see cref="Reopen"/>.</summary>
    public void Replace(ServerLog target, Func<ServerLog>? reopen = null)
    {
        var old = _target;
        _reopen = reopen;
        _target = target;
        _debug = target.IsDebugEnabled;
        _traceEnabled = target.IsTraceEnabled;
        if (!ReferenceEquals(old, target)) (old as IDisposable)?.Dispose();
    }

    /// <summary>nats-server's SIGUSR1: a log file is closed and opened again (after logrotate moved it); the console needs nothing.</summary>
    public void Reopen()
    {
        if (_reopen is not { } reopen)
        {
            Notice("File log re-open ignored, not a file logger");
            return;
        }
        Replace(reopen(), reopen);
        Notice("File log re-opened");
    }
}
