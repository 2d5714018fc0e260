namespace Broker.Logging;

/// <summary>
/// The broker's operational log, in nats-server's levels. Kept separate from Akka's logger so
/// the host can print nats-server's familiar format while embedders route it where they like.
/// </summary>
public abstract class ServerLog
{
    public virtual bool IsDebugEnabled => false;
    public virtual bool IsTraceEnabled => false;

    public abstract void Write(LogLevel level, string message);

    public void Notice(string message) => Write(LogLevel.Info, message);
    public void Warn(string message) => Write(LogLevel.Warning, message);
    public void Error(string message) => Write(LogLevel.Error, message);
    public void Fatal(string message) => Write(LogLevel.Fatal, message);

    public void Debug(string message)
    {
        if (IsDebugEnabled) Write(LogLevel.Debug, message);
    }

    public void Trace(string message)
    {
        if (IsTraceEnabled) Write(LogLevel.Trace, message);
    }

    /// <summary>Discards everything; the default for embedded brokers that did not ask for a log.</summary>
    public static readonly ServerLog Null = new NullServerLog();

    private sealed class NullServerLog : ServerLog
    {
        public override void Write(LogLevel level, string message) { }
    }
}

public enum LogLevel { Trace, Debug, Info, Warning, Error, Fatal }
