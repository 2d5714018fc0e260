namespace Broker.Tests.Differential;

/// <summary>A differential test: runs only where nats-server is installed, and says so when it is not.</summary>
public sealed class NatsServerFactAttribute : FactAttribute
{
    public NatsServerFactAttribute()
    {
        if (!NatsServerProcess.IsAvailable) Skip = "nats-server is not on PATH: differential test skipped (CI installs it)";
    }
}

/// <summary>The theory form of <see cref="NatsServerFactAttribute"/>.</summary>
public sealed class NatsServerTheoryAttribute : TheoryAttribute
{
    public NatsServerTheoryAttribute()
    {
        if (!NatsServerProcess.IsAvailable) Skip = "nats-server is not on PATH: differential test skipped (CI installs it)";
    }
}
