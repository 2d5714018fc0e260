using Broker.Configuration;

namespace Broker.Tests;

/// <summary>
/// The switches that run every cluster and supercluster test with authorization and TLS on the
/// links: <c>BROKER_TEST_LINK_AUTH=1 BROKER_TEST_LINK_TLS=1 dotnet test ...</c> (CI runs those
/// suites with authorization a second time; see the README for TLS). The cluster fixtures (in-process and process) and the supercluster fixture
/// then give every node the same <c>cluster</c> and <c>gateway</c> authorization, which each node
/// also presents when it dials (as nats-server falls back to it), and the same link certificate.
/// </summary>
public static class TestLinkSecurity
{
    public const string User = "link-user";
    public const string Password = "link-secret";

    public static bool On => Environment.GetEnvironmentVariable("BROKER_TEST_LINK_AUTH") is "1" or "true";

    /// <summary>How long a fixture waits for a cluster to form: TLS handshakes on fresh processes of a loaded 2-core machine are slow, and with authorization every member is challenged first (a supercluster fixture in the authorization pass once took over 20 s while the suites ran in parallel).</summary>
    public static int FormationSeconds => TlsOn ? 45 : 30;

    public static bool TlsOn => Environment.GetEnvironmentVariable("BROKER_TEST_LINK_TLS") is "1" or "true";

    // One CA and node certificate for the whole run, made on first use and deleted at exit.
    private static readonly Lazy<LinkCertificates> Certificates = new(() =>
    {
        var certificates = new LinkCertificates();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => certificates.Dispose();
        return certificates;
    });

    /// <summary>The links' TLS when the switch is on, else null (plain links, the default).</summary>
    public static TlsOptions? Tls => TlsOn ? Certificates.Value.Options() : null;

    /// <summary>The same, as the body of a <c>tls { }</c> block for a node's configuration file; null when off.</summary>
    public static string? TlsBlock => TlsOn ? Certificates.Value.Block() : null;

    /// <summary>The links' authorization when the switch is on, else null (open links, the default).</summary>
    public static LinkAuthorization? Authorization => On ? new LinkAuthorization { User = User, Password = Password } : null;
}
