using System.Reflection;
using System.Threading.Channels;
using Akka.Actor;
using Broker.Configuration;
using Broker.Host.Reload;
using Broker.Hosting;
using Broker.Host.Signals;
using Broker.Logging;
using Broker.Runtime;
using Broker.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ConfigurationException = Broker.Configuration.ConfigurationException;

namespace Broker.Host;

/// <summary>
/// The host's whole life, from arguments to exit code, with the console and the signals passed in
/// so tests can run it in-process. Nothing starts unless the flags and the configuration are valid.
/// </summary>
internal static class HostRunner
{
    public static string Version { get; } =
        (typeof(BrokerServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];

    /// <summary>Runs the broker until <paramref name="shutdown"/> completes (with the signal's name); returns the exit code.</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, Task<string> shutdown, string? baseDirectory = null)
    {
        var signals = Channel.CreateUnbounded<HostSignal>();
        _ = shutdown.ContinueWith(
            t => signals.Writer.TryWrite(t.Result == "terminated" ? HostSignal.Terminate : HostSignal.Interrupt),
            TaskContinuationOptions.OnlyOnRanToCompletion);
        return RunAsync(args, output, error, signals.Reader, baseDirectory);
    }

    /// <summary>Runs the broker, acting on each signal as nats-server does, until one stops it; returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, ChannelReader<HostSignal> signals, string? baseDirectory = null)
    {
        CommandLine line;
        try
        {
            line = CommandLine.Parse(args);
        }
        catch (ArgumentException e)
        {
            error.WriteLine(e.Message);
            error.WriteLine();
            error.WriteLine(CommandLine.Usage);
            // nats-server 2.9 exits 0 after every error of Go's flag package (they end in its usage
            // function); a flag this broker refuses by name, or an extra argument, is 1.
            return CommandLine.GoFlagErrors.Any(prefix => e.Message.StartsWith(prefix, StringComparison.Ordinal)) ? 0 : 1;
        }
        if (line.ShowHelp)
        {
            output.WriteLine(CommandLine.Usage);
            return 0;
        }
        if (line.ShowVersion)
        {
            output.WriteLine($"Broker version {Version}");
            return 0;
        }
        if (line.Signal is not null) return SignalCommand.Run(line, output, error, baseDirectory ?? AppContext.BaseDirectory);

        BrokerOptions options;
        string? configFile;
        try
        {
            (options, configFile) = LoadOptions(line, baseDirectory ?? AppContext.BaseDirectory);
        }
        catch (ConfigurationException e)
        {
            error.WriteLine($"Broker: {e.Message}");
            return 1;
        }
        if (line.TestConfig)
        {
            if (line.ConfigFile is null)
            {
                error.WriteLine("Broker: must specify [-c, --config] option to check configuration file syntax");
                return 1;
            }
            output.WriteLine($"Broker: configuration file {configFile} is valid");
            return 0;
        }

        ReloadableServerLog log;
        try
        {
            log = HostLog.Create(options, output);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"Broker: error opening file: {e.Message}");
            return 1;
        }
        var reload = new ConfigReload(line, options, configFile, baseDirectory ?? AppContext.BaseDirectory, log, output);
        using var pidFile = PidFile.Write(options.PidFile, log);
        try
        {
            return await ServeAsync(options, configFile, log, reload, signals);
        }
        finally
        {
            log.Replace(ServerLog.Null);
        }
    }

    /// <summary>
    /// The file named by <c>-c</c>, else <c>hocon/broker.conf</c> under <paramref name="baseDirectory"/> when
    /// present, else the defaults; then the flags on top. Throws <see cref="ConfigurationException"/>.
    /// </summary>
    public static (BrokerOptions Options, string? ConfigFile) LoadOptions(CommandLine line, string baseDirectory)
    {
        var defaultFile = Path.Combine(baseDirectory, "hocon", "broker.conf");
        var file = line.ConfigFile ?? (File.Exists(defaultFile) ? defaultFile : null);
        var options = file is null ? new BrokerOptions() : BrokerConfigLoader.LoadFile(file);
        return (line.ApplyTo(options), file);
    }

    private static async Task<int> ServeAsync(BrokerOptions options, string? configFile, ReloadableServerLog log, ConfigReload reload, ChannelReader<HostSignal> signals)
    {
        log.Notice("Starting Broker");
        log.Notice($"  Version:  {Version}");
        log.Notice($"  Protocol: nats-server {ServerContext.ProtocolVersion}");
        if (configFile is not null) log.Notice($"Using configuration file: {configFile}");

        // The client port is bound before anything slow starts: a client that connects while the
        // ActorSystem starts waits in the kernel's backlog for its INFO instead of being refused
        // (and backing off for its reconnect wait, as most clients do).
        System.Net.Sockets.Socket clientPort;
        try
        {
            clientPort = ClientListener.Bind(options);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or FormatException)
        {
            log.Fatal(BrokerStartFailed.Describe(e, options));
            return 1;
        }
        // The broker owns it once started; this closes it if the start never got that far.
        using var boundPort = clientPort;
        using var host = BrokerGenericHost.Build(options, log, clientPort);
        ActorSystem system;
        try
        {
            // Resolved before the host starts, so a bad akka block is reported as such (Akka.Hosting's
            // own start would log it to no logger and carry on).
            system = host.Services.GetRequiredService<ActorSystem>();
        }
        catch (Exception e)
        {
            log.Fatal($"Error creating the actor system from the akka block: {e.Message}");
            return 1;
        }

        // WithBroker logs a failed start (nats-server's words) and terminates the ActorSystem.
        var started = HostedBroker.Get(system).WhenStarted;
        try
        {
            await host.StartAsync();
        }
        catch (Exception) when (started.IsFaulted)
        {
        }
        await Task.WhenAny(started, system.WhenTerminated);
        if (!started.IsCompletedSuccessfully)
        {
            await host.StopAsync();
            return 1;
        }
        var server = started.Result;

        reload.Server = server;
        server.Context.Reload = reload.Run;
        var lameDuck = false;
        while (true)
        {
            var next = signals.WaitToReadAsync().AsTask();
            if (await Task.WhenAny(next, server.Stopped) != next || !await next)
            {
                if (lameDuck && server.StoppedBecause is null) break;
                log.Fatal($"Server stopped: {server.StoppedBecause}");
                await host.StopAsync();
                return 1;
            }
            if (!signals.TryRead(out var signal)) continue;
            log.Debug($"Trapped \"{signal.GoName()}\" signal");
            if (signal == HostSignal.Interrupt || (signal == HostSignal.Terminate && !lameDuck)) break;
            switch (signal)
            {
                case HostSignal.Reload:
                    _ = reload.Run();
                    break;
                case HostSignal.ReopenLog:
                    log.Reopen();
                    break;
                case HostSignal.LameDuck when !lameDuck:
                    lameDuck = true;
                    _ = server.EnterLameDuckModeAsync();
                    break;
            }
        }
        log.Notice("Initiating Shutdown...");
        await server.ShutdownAsync();
        // CoordinatedShutdown: the node leaves its cluster, and the ActorSystem terminates.
        await host.StopAsync();
        log.Notice("Server Exiting..");
        return 0;
    }
}
