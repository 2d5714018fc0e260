using System.Net.Sockets;
using Broker.Configuration;
using Broker.Gateways;
using Broker.Subjects;
using Broker.Tests.Cluster;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Gateways;

/// <summary>
/// Regions of in-process clusters on loopback, joined by gateways. Each region's gateway
/// options list only the first node of every other region, so the rest is learned from the
/// regions themselves. Tests wait on conditions, never on fixed sleeps.
/// </summary>
public sealed class TestSupercluster : IAsyncDisposable
{
    private TestSupercluster(Dictionary<string, TestCluster> regions) => Regions = regions;

    public Dictionary<string, TestCluster> Regions { get; }

    public TestCluster this[string region] => Regions[region];

    /// <summary>Starts regions named <paramref name="names"/>, <paramref name="nodesPerRegion"/> nodes each, and waits until every node's links are up.</summary>
    public static Task<TestSupercluster> StartAsync(int nodesPerRegion, params string[] names) => StartAsync(nodesPerRegion, o => o, names);

    /// <summary>As above, with options (accounts, say) every node shares.</summary>
    public static Task<TestSupercluster> StartAsync(int nodesPerRegion, Func<BrokerOptions, BrokerOptions> configure, params string[] names) =>
        StartAsync(nodesPerRegion, configure, (_, gateway) => gateway, names);

    /// <summary>As above, with each region's gateway options adjusted by <paramref name="gateway"/> (given the region's name).</summary>
    public static async Task<TestSupercluster> StartAsync(
        int nodesPerRegion, Func<BrokerOptions, BrokerOptions> configure, Func<string, GatewayOptions, GatewayOptions> gateway, params string[] names)
    {
        // The gateway ports are chosen before any region listens (each region names the others'), so a
        // parallel test or process may take one first: then start over on other ports.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnFreePortsAsync(nodesPerRegion, configure, gateway, names);
            }
            catch (IOException e) when (attempt < 3 && e.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
            }
        }
    }

    private static async Task<TestSupercluster> StartOnFreePortsAsync(
        int nodesPerRegion, Func<BrokerOptions, BrokerOptions> configure, Func<string, GatewayOptions, GatewayOptions> gateway, string[] names)
    {
        var gatewayPorts = names.ToDictionary(n => n, _ => Enumerable.Range(0, nodesPerRegion).Select(_ => TestCluster.FreePort()).ToArray());
        var regions = new Dictionary<string, TestCluster>();
        var supercluster = new TestSupercluster(regions);
        try
        {
            foreach (var name in names)
            {
                var remotes = names.Where(n => n != name)
                    .Select(n => new RemoteGatewayOptions(n, [new ClusterEndpoint("127.0.0.1", gatewayPorts[n][0])]))
                    .ToArray();
                regions[name] = await TestCluster.StartAsync(nodesPerRegion, null, (i, options) => configure(options) with
                {
                    Gateway = gateway(name, new GatewayOptions
                    {
                        Name = name, Listen = new ClusterEndpoint("127.0.0.1", gatewayPorts[name][i]), Remotes = remotes, Authorization = TestLinkSecurity.Authorization, Tls = TestLinkSecurity.Tls,
                    }),
                });
            }
            await supercluster.WaitLinkedAsync();
            return supercluster;
        }
        catch
        {
            await supercluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Until every running node has an established outbound link to every other region that has a running node.</summary>
    /// <remarks>A region configured but not part of this supercluster (another test's) is not waited for.</remarks>
    public Task WaitLinkedAsync() => Eventually.Async(() => Regions.Values.SelectMany(r => r.Nodes).Where(n => !n.Stopped).All(n =>
        Gateway(n).Regions.All(r => !Regions.TryGetValue(r.Name, out var region) || !region.Nodes.Any(m => !m.Stopped) || r.Established)), "gateway links to every region");

    internal static GatewayNode Gateway(TestCluster.Node node) => node.Server.Context.Gateway!;

    /// <summary>True when another region's interest in <paramref name="subject"/> is in the node's index.</summary>
    public static bool HasRegionInterest(TestCluster.Node node, string subject, string? queue = null, string account = "$G")
    {
        var match = node.Server.Context.Accounts[account].Index.Match(System.Text.Encoding.ASCII.GetBytes(subject));
        return queue is null
            ? match.Plain.Any(s => s.Owner.Reach == SubscriberReach.Gateway && !s.IsClosed)
            : match.QueueGroups.Any(g => g.Any(s => s.Owner.Reach == SubscriberReach.Gateway && !s.IsClosed && s.QueueText == queue));
    }

    public static Task WaitRegionInterestAsync(TestCluster.Node node, string subject, string? queue = null, string account = "$G") =>
        Eventually.Async(() => HasRegionInterest(node, subject, queue, account), $"another region's interest in {subject} {queue}");

    /// <summary>Messages this node sent to other regions over its outbound links (current connections).</summary>
    public static long SentToRegions(TestCluster.Node node) => Gateway(node).Regions.Sum(r => r.Connection?.OutMessages ?? 0);

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Regions.Values.Select(r => r.DisposeAsync().AsTask()));
    }
}
