namespace Broker.Host.Signals;

/// <summary>The signals nats-server traps, by what they ask of the broker.</summary>
public enum HostSignal
{
    /// <summary>SIGINT: shut down.</summary>
    Interrupt,

    /// <summary>SIGTERM: shut down (ignored while in lame duck mode, as nats-server).</summary>
    Terminate,

    /// <summary>SIGHUP: reload the configuration file.</summary>
    Reload,

    /// <summary>SIGUSR1: reopen the log file.</summary>
    ReopenLog,

    /// <summary>SIGUSR2: enter lame duck mode.</summary>
    LameDuck,
}

public static class HostSignalNames
{
    /// <summary>The signal's name as Go prints it in nats-server's "Trapped" line.</summary>
    public static string GoName(this HostSignal signal) => signal switch
    {
        HostSignal.Interrupt => "interrupt",
        HostSignal.Terminate => "terminated",
        HostSignal.Reload => "hangup",
        HostSignal.ReopenLog => "user defined signal 1",
        _ => "user defined signal 2",
    };
}
