namespace Broker.Cluster;

/// <summary>Told to the gateway actor: the region's gateway URLs changed (a node came or went), so the other regions must hear of it.</summary>
public sealed record RegionGatewayUrlsChanged
{
    public static readonly RegionGatewayUrlsChanged Instance = new();
}
