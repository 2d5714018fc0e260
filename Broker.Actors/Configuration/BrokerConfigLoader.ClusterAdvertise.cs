using Akka.Configuration.Hocon;

namespace Broker.Configuration;

/// <summary>
/// The <c>cluster</c> block's keys about what this node tells others: <c>advertise</c>
/// (<c>cluster_advertise</c>), the address the other nodes reach it at, and <c>no_advertise</c>, which
/// keeps the cluster's client URLs out of the INFO clients get. Read here, around
/// <see cref="ReadCluster"/>, which reads the rest of the block.
/// </summary>
public static partial class BrokerConfigLoader
{
    private static ClusterOptions ReadClusterWithAdvertise(string key, HoconValue value, ValueReader reader, string baseDirectory)
    {
        var block = reader.Block(key, value);
        var rest = new HoconObject();
        string? advertise = null, advertiseKey = null;
        var noAdvertise = false;
        foreach (var (innerKey, inner) in block.Items)
        {
            var path = $"{key}.{innerKey}";
            switch (innerKey.ToLowerInvariant())
            {
                case "advertise" or "cluster_advertise":
                    advertise = reader.Text(path, inner);
                    advertiseKey = path;
                    break;
                case "no_advertise":
                    noAdvertise = reader.Boolean(path, inner);
                    break;
                default:
                    rest.Items[innerKey] = inner;
                    break;
            }
        }
        var restValue = new HoconValue();
        restValue.AppendValue(rest);
        var cluster = ReadCluster(key, restValue, reader, baseDirectory);
        return cluster with
        {
            Advertise = advertise is null ? null : ParseAdvertise(advertiseKey!, advertise, cluster.Listen.Port, reader),
            NoAdvertise = noAdvertise,
        };
    }

    /// <summary>nats-server's <c>cluster_advertise</c>: "host:port", or a host alone that keeps the cluster port.</summary>
    private static ClusterEndpoint ParseAdvertise(string path, string text, int listenPort, ValueReader reader)
    {
        var endpoint = ClusterEndpoint.TryParse(text);
        if (endpoint is not null) return endpoint;
        var host = text.Trim();
        if (host.Length == 0 || host.Contains('/') || (host.Contains(':') && !host.StartsWith('[')))
            throw reader.Error(path, $"expected \"host:port\" or a host, got \"{text}\"");
        return new ClusterEndpoint(host.Trim('[', ']'), listenPort);
    }
}
