namespace Broker.Runtime;

/// <summary>TEMPORARY: start-up milestones to stderr when BROKER_STARTUP_TRACE is set.</summary>
public static class StartupTrace
{
    private static readonly bool On = Environment.GetEnvironmentVariable("BROKER_STARTUP_TRACE") is not null;
    private static readonly DateTime Start = On ? System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime() : default;

    public static void Mark(string what)
    {
        if (On) Console.Error.WriteLine($"[trace] {(DateTime.UtcNow - Start).TotalMilliseconds,7:F1} ms  {what}");
    }
}
