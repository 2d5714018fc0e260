using Akka.Actor;
using Akka.Configuration;
using Broker.Configuration;
using Broker.Logging;
using Broker.Server;

namespace Broker.Tests.Infrastructure;

/// <summary>A broker started in-process on an ephemeral loopback port, with its own ActorSystem.</summary>
public sealed class TestBroker : IAsyncDisposable
{
    private static readonly Config QuietAkka = ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING");

    private TestBroker(ActorSystem system, BrokerServer server, RecordingServerLog log)
    {
        System = system;
        Server = server;
        Log = log;
    }

    public ActorSystem System { get; }
    public BrokerServer Server { get; }
    public RecordingServerLog Log { get; }
    public int Port => Server.ClientEndpoint.Port;
    public string Url => $"nats://127.0.0.1:{Port}";

    public static async Task<TestBroker> StartAsync(Func<BrokerOptions, BrokerOptions>? configure = null)
    {
        var options = new BrokerOptions { Host = "127.0.0.1", Port = 0 };
        if (configure is not null) options = configure(options);
        var system = ActorSystem.Create("test-broker", QuietAkka);
        var log = new RecordingServerLog();
        try
        {
            var server = await BrokerServer.StartAsync(system, options, log);
            return new TestBroker(system, server, log);
        }
        catch
        {
            await system.Terminate();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.ShutdownAsync();
        await System.Terminate();
    }
}

/// <summary>Keeps log lines so tests can assert what the broker reported.</summary>
public sealed class RecordingServerLog : ServerLog
{
    private readonly List<string> _lines = new();

    public override bool IsDebugEnabled => true;

    public IReadOnlyList<string> Lines
    {
        get { lock (_lines) return _lines.ToArray(); }
    }

    private TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Write(LogLevel level, string message)
    {
        TaskCompletionSource written;
        lock (_lines)
        {
            _lines.Add($"[{level}] {message}");
            written = _written;
            _written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        written.TrySetResult();
    }

    /// <summary>Waits until a logged line satisfies <paramref name="match"/> (woken by each new line, not by polling).</summary>
    public async Task WaitForAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            Task next;
            lock (_lines)
            {
                if (_lines.Any(match)) return;
                next = _written.Task;
            }
            await next.WaitAsync(cancel.Token);
        }
    }
}
