using System.Linq.Expressions;
using Akka.Configuration;
using Broker.Runtime;

namespace Broker.Host;

/// <summary>
/// Loads and prepares, on a pool thread, the code the ActorSystem's start will need, while the main
/// thread reads the configuration and builds the host: what the start then finds loaded (assemblies,
/// types, ReadyToRun fix-ups, process-wide caches) it does not wait for. Nothing here has an effect
/// the broker can see; a failure only loses the head start.
/// </summary>
internal static class StartupWarmup
{
    private static int s_started;

    public static void Start()
    {
        if (Environment.GetEnvironmentVariable("BROKER_NO_WARMUP") is not null) return; // TEMPORARY A/B switch
        if (Interlocked.Exchange(ref s_started, 1) == 1) return;
        ThreadPool.UnsafeQueueUserWorkItem(static _ => Run(), null);
    }

    private static void Run()
    {
        try
        {
            StartupTrace.Mark("warmup start");
            // Akka's defaults: its app.config lookup (System.Configuration, System.Private.Xml) and the
            // HOCON parser over its reference configuration.
            _ = ConfigurationFactory.Default();
            StartupTrace.Mark("warmup akka config");
            // Akka's default serializer is Newtonsoft.Json's; the ActorSystem creates it at start.
            _ = Newtonsoft.Json.JsonSerializer.Create(new Newtonsoft.Json.JsonSerializerSettings { TypeNameHandling = Newtonsoft.Json.TypeNameHandling.All });
            StartupTrace.Mark("warmup json");
            // ReceiveActor compiles its message matchers with System.Linq.Expressions.
            var message = Expression.Parameter(typeof(object));
            _ = Expression.Lambda<Func<object, bool>>(Expression.TypeIs(message, typeof(string)), message).Compile();
            StartupTrace.Mark("warmup expressions");
        }
        catch (Exception)
        {
            // Only a head start is lost; the ActorSystem's own start reports real failures.
        }
    }
}
