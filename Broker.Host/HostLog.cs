using Broker.Configuration;
using Broker.Logging;

namespace Broker.Host;

/// <summary>The log the options ask for: the console, or <c>log_file</c> (which SIGUSR1 reopens).</summary>
internal static class HostLog
{
    public static void Configure(ReloadableServerLog log, BrokerOptions options, TextWriter console)
    {
        if (string.IsNullOrEmpty(options.LogFile))
        {
            log.Replace(new ConsoleServerLog(options.Debug, options.Trace, options.Logtime, console));
            return;
        }
        ServerLog Open() => new FileServerLog(options.LogFile, options.Debug, options.Trace, options.Logtime, options.LogSizeLimit);
        log.Replace(Open(), Open);
    }

    public static ReloadableServerLog Create(BrokerOptions options, TextWriter console)
    {
        var log = new ReloadableServerLog(ServerLog.Null);
        Configure(log, options, console);
        return log;
    }
}
