using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Broker.Host.Signals;

/// <summary>
/// Traps the signals nats-server handles (SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2) so none of
/// them ends the process by default, and hands each to the host in order. A second SIGINT after
/// shutdown began is left to the runtime, which ends the process at once, as a second Ctrl-C should.
/// </summary>
internal sealed class PosixSignals : IDisposable
{
    // PosixSignal names only the portable signals; raw Linux numbers are accepted by casting.
    private const PosixSignal SigUsr1 = (PosixSignal)10;
    private const PosixSignal SigUsr2 = (PosixSignal)12;

    private readonly Channel<HostSignal> _received = Channel.CreateUnbounded<HostSignal>();
    private readonly PosixSignalRegistration[] _registrations;
    private int _interrupted;

    public PosixSignals()
    {
        // A shell starts background jobs with SIGINT ignored, nohup starts its command with SIGHUP
        // ignored, and the runtime keeps an ignored signal ignored. nats-server (Go) takes every
        // signal it asks for back (`nohup nats-server` still reloads on SIGHUP); so do we.
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            foreach (var trapped in PortableTrapped) _ = signal(trapped, SigDefault);
        }
        if (OperatingSystem.IsLinux())
        {
            foreach (var trapped in LinuxTrapped) _ = signal(trapped, SigDefault);
        }
        var registrations = new List<PosixSignalRegistration>
        {
            PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnInterrupt(context)),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnSignal(context, HostSignal.Terminate)),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => OnSignal(context, HostSignal.Reload)),
        };
        // SIGUSR1/2 have other numbers on macOS (30/31); only Linux's are known here.
        if (OperatingSystem.IsLinux())
        {
            registrations.Add(PosixSignalRegistration.Create(SigUsr1, context => OnSignal(context, HostSignal.ReopenLog)));
            registrations.Add(PosixSignalRegistration.Create(SigUsr2, context => OnSignal(context, HostSignal.LameDuck)));
        }
        _registrations = registrations.ToArray();
    }

    /// <summary>SIGHUP, SIGINT and SIGTERM: the same numbers on Linux and macOS.</summary>
    private static readonly int[] PortableTrapped = [1, 2, 15];

    /// <summary>SIGUSR1 and SIGUSR2 as Linux numbers them.</summary>
    private static readonly int[] LinuxTrapped = [(int)SigUsr1, (int)SigUsr2];
    private static readonly IntPtr SigDefault = IntPtr.Zero;

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr signal(int signum, IntPtr handler);

    public ChannelReader<HostSignal> Received => _received.Reader;

    private void OnInterrupt(PosixSignalContext context)
    {
        if (Interlocked.Exchange(ref _interrupted, 1) == 1) return;
        OnSignal(context, HostSignal.Interrupt);
    }

    private void OnSignal(PosixSignalContext context, HostSignal signal)
    {
        context.Cancel = true;
        _received.Writer.TryWrite(signal);
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }
}
