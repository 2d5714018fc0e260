namespace Broker.Tests.Monitoring;

/// <summary>Where the browser tests find Chromium: Debian's, or where CHROMIUM points.</summary>
public static class BrowserTools
{
    public static string Chromium { get; } = Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium";

    public static bool Available => File.Exists(Chromium);
}
