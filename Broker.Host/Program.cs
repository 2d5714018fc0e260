using Broker.Host;
using Broker.Host.Signals;

// Socket completions run on the epoll threads instead of hopping to the thread pool: the read loop
// never blocks (slow work such as bcrypt is moved off it), and on a small machine the hop and the
// pool's idle spinning cost more than the broker's own work. Must be set before the first socket
// is created; an explicit setting in the environment wins.
if (Environment.GetEnvironmentVariable(SocketCompletions.Variable) is null)
{
    Environment.SetEnvironmentVariable(SocketCompletions.Variable, "1");
}

// Signals are trapped before anything starts, so a Ctrl-C during start-up still shuts down cleanly.
using var signals = new PosixSignals();
return await HostRunner.RunAsync(args, Console.Out, Console.Error, signals.Received);
