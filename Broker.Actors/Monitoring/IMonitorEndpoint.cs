namespace Broker.Monitoring;

/// <summary>One page of the monitoring port: the path it answers and how it answers.</summary>
public interface IMonitorEndpoint
{
    /// <summary>The exact path, as nats-server's mux matches it (<c>/varz</c>; <c>/varz/</c> is another path).</summary>
    string Path { get; }

    /// <summary>Builds the answer; a bad query value throws <see cref="MonitorQueryException"/> (400).</summary>
    MonitorResponse Respond(MonitorRequest request);
}
