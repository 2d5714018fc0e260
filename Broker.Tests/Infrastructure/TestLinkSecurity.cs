using Broker.Configuration;

namespace Broker.Tests;

/// <summary>
/// The switch that runs every cluster and supercluster test with authorization on the links:
/// <c>BROKER_TEST_LINK_AUTH=1 dotnet test ...</c>. The cluster fixtures (in-process and process)
/// and the supercluster fixture then give every node the same <c>cluster</c> and <c>gateway</c>
/// authorization, which each node also presents when it dials (as nats-server falls back to it).
/// </summary>
public static class TestLinkSecurity
{
    public const string User = "link-user";
    public const string Password = "link-secret";

    public static bool On => Environment.GetEnvironmentVariable("BROKER_TEST_LINK_AUTH") is "1" or "true";

    /// <summary>The links' authorization when the switch is on, else null (open links, the default).</summary>
    public static LinkAuthorization? Authorization => On ? new LinkAuthorization { User = User, Password = Password } : null;
}
