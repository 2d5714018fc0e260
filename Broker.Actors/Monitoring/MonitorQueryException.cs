namespace Broker.Monitoring;

/// <summary>A query value an endpoint cannot use; the message goes back with a 400, worded as nats-server words it.</summary>
public sealed class MonitorQueryException(string message) : Exception(message);
