namespace Broker.Tests.Monitoring;

/// <summary>
/// A test that drives the dashboard in a real headless browser: it runs only where Debian's
/// chromium and node are installed, and says so when they are not. (playwright-core missing is a
/// failure, not a skip: .ci/run installs it.)
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!BrowserTools.Available)
        {
            Skip = $"chromium ({BrowserTools.Chromium}) or node is not installed: dashboard browser test skipped (.ci/run installs them)";
        }
    }
}
