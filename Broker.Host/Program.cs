using Broker.Host;

// Signals are trapped before anything starts, so a Ctrl-C during start-up still shuts down cleanly.
using var signals = new ShutdownSignal();
return await HostRunner.RunAsync(args, Console.Out, Console.Error, signals.Received);
