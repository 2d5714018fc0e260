namespace Broker.SystemAccount;

/// <summary>A message on one of the system account's request subjects, copied off the publisher's buffer.</summary>
public sealed record SystemRequest(string Subject, string Reply, byte[] Body);
