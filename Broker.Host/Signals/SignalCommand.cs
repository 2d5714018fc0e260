using System.Globalization;
using System.Runtime.InteropServices;
using Broker.Configuration;

namespace Broker.Host.Signals;

/// <summary>
/// <c>--signal cmd[=pid|pidfile]</c> (<c>-sl</c>): sends a running broker the signal nats-server
/// maps the command to, then exits. Without <c>=pid</c> the process comes from <c>-P</c> or the
/// <c>pid_file</c> of the <c>-c</c> file; unlike nats-server there is no search by process name
/// (several brokers on one machine are common, and the wrong one would get the signal).
/// </summary>
internal static class SignalCommand
{
    private static readonly Dictionary<string, int> Commands = new(StringComparer.Ordinal)
    {
        ["stop"] = 9,      // SIGKILL
        ["quit"] = 2,      // SIGINT
        ["term"] = 15,     // SIGTERM
        ["reopen"] = 10,   // SIGUSR1
        ["reload"] = 1,    // SIGHUP
        ["ldm"] = 12,      // SIGUSR2
    };

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    public static int Run(CommandLine line, TextWriter output, TextWriter error, string baseDirectory)
    {
        try
        {
            var (command, pid) = Resolve(line, baseDirectory);
            if (kill(pid, Commands[command]) != 0)
            {
                throw new ArgumentException($"signal \"{command}\" {pid}: {new System.ComponentModel.Win32Exception(Marshal.GetLastWin32Error()).Message}");
            }
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or ConfigurationException)
        {
            error.WriteLine($"Broker: {e.Message}");
            return 1;
        }
    }

    /// <summary>The command and the process id it is for. Throws <see cref="ArgumentException"/> with nats-server's wording.</summary>
    public static (string Command, int Pid) Resolve(CommandLine line, string baseDirectory)
    {
        var parts = line.Signal!.Split('=');
        if (parts.Length > 2) throw new ArgumentException($"invalid signal parameters: [{string.Join(" ", parts[2..])}]");
        var command = parts[0];
        if (!Commands.ContainsKey(command)) throw new ArgumentException($"unknown signal \"{command}\"");
        var target = parts.Length == 2 ? parts[1] : line.PidFile ?? PidFileOfConfig(line, baseDirectory);
        if (string.IsNullOrEmpty(target)) throw new ArgumentException("no process given: use --signal <command>=<pid or pid file>, -P <pid file> or a -c file with pid_file");
        return (command, ParsePid(ReadPidFile(target)));
    }

    private static string? PidFileOfConfig(CommandLine line, string baseDirectory) =>
        line.ConfigFile is null ? null : HostRunner.LoadOptions(line, baseDirectory).Options.PidFile;

    /// <summary>As nats-server's maybeReadPidFile: a readable file holds the pid, otherwise the text is the pid.</summary>
    private static string ReadPidFile(string target)
    {
        try
        {
            return File.Exists(target) ? File.ReadAllText(target).Trim() : target;
        }
        catch (IOException)
        {
            return target;
        }
    }

    private static int ParsePid(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0
            ? pid
            : throw new ArgumentException($"invalid pid: {text}");
}
