namespace Broker.Tests.Monitoring;

/// <summary>Where the browser test finds chromium, node, playwright-core and its script.</summary>
public static class BrowserTools
{
    public static string Chromium { get; } = Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium";

    public static string? Node { get; } = FindOnPath("node");

    public static bool Available => File.Exists(Chromium) && Node is not null;

    /// <summary>The repository's root: the folder above the test binaries that holds Broker.sln.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>playwright-core as .ci/run installs it (ignored by git), or where PLAYWRIGHT_CORE points.</summary>
    public static string PlaywrightCore { get; } =
        Environment.GetEnvironmentVariable("PLAYWRIGHT_CORE") ?? Path.Combine(RepositoryRoot, ".ci", "browser", "node_modules", "playwright-core");

    public static string Script => Path.Combine(RepositoryRoot, "Broker.Tests", "Monitoring", "Dashboard", "dashboard-check.cjs");

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Append("/usr/bin").Append("/usr/local/bin")
        .Select(dir => Path.Combine(dir, name))
        .FirstOrDefault(File.Exists);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Broker.sln"))) return dir.FullName;
        }
        return AppContext.BaseDirectory;
    }
}
