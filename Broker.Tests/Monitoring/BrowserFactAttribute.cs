namespace Broker.Tests.Monitoring;

/// <summary>
/// A test that drives the dashboard in a real headless browser (Playwright's .NET package with the
/// system's Chromium): it runs only where Chromium is installed, and says how to install it when not.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!BrowserTools.Available)
        {
            Skip = $"Chromium is not installed at {BrowserTools.Chromium}: dashboard browser test skipped (install it with `apt-get install chromium`, or point CHROMIUM at one)";
        }
    }
}
