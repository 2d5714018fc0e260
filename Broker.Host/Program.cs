using System.Reflection;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Configuration;
using Broker.Configuration;
using Broker.Host;
using Broker.Logging;
using Broker.Server;

var version = typeof(BrokerServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
version = version.Split('+')[0];

CommandLine commandLine;
try
{
    commandLine = CommandLine.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"Broker: {e.Message}");
    Console.Error.WriteLine(CommandLine.Usage);
    return 1;
}
if (commandLine.ShowHelp)
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}
if (commandLine.ShowVersion)
{
    Console.WriteLine($"Broker version {version}");
    return 0;
}

BrokerOptions options;
try
{
    var defaultFile = Path.Combine(AppContext.BaseDirectory, "hocon", "broker.conf");
    var file = commandLine.ConfigFile ?? (File.Exists(defaultFile) ? defaultFile : null);
    options = commandLine.ApplyTo(file is null ? new BrokerOptions() : BrokerConfigLoader.LoadFile(file));
}
catch (Broker.Configuration.ConfigurationException e)
{
    Console.Error.WriteLine($"Broker: {e.Message}");
    return 1;
}

var log = new ConsoleServerLog(options.Debug, options.Trace, options.Logtime);
log.Notice("Starting Broker");
log.Notice($"  Version:  {version}");
log.Notice($"  Protocol: nats-server {ServerContext.ProtocolVersion}");

var akka = (options.Akka ?? Config.Empty).WithFallback(ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
using var system = ActorSystem.Create("broker", akka);
BrokerServer server;
try
{
    server = await BrokerServer.StartAsync(system, options, log);
}
catch (System.Net.Sockets.SocketException e)
{
    log.Fatal($"Error listening on port: {options.Host}:{options.Port}, \"{e.Message}\"");
    await system.Terminate();
    return 1;
}

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
void OnSignal(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
await stop.Task;

log.Notice("Initiating Shutdown...");
await server.ShutdownAsync();
await system.Terminate();
log.Notice("Server Exiting..");
return 0;
