using System.Runtime.InteropServices;

namespace Broker.Host;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM as a task that completes with the signal's name ("interrupt",
/// "terminated"), the way Go names them in nats-server's log. The first signal starts a clean
/// shutdown; a second one is left to the runtime, which ends the process at once.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly TaskCompletionSource<string> _received = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignal()
    {
        // A shell starts background jobs with SIGINT ignored, and the runtime keeps an ignored
        // signal ignored. nats-server (Go) takes SIGINT back when it asks for it; so do we.
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) _ = signal(SigInt, SigDefault);
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnSignal(context, "interrupt")),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnSignal(context, "terminated")),
        ];
    }

    private const int SigInt = 2;
    private static readonly IntPtr SigDefault = IntPtr.Zero;

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr signal(int signum, IntPtr handler);

    public Task<string> Received => _received.Task;

    private void OnSignal(PosixSignalContext context, string name) => context.Cancel = _received.TrySetResult(name);

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }
}
