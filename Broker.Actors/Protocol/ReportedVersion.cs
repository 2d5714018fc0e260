namespace Broker.Protocol;

/// <summary>
/// The <c>version</c> INFO and CONNECT report: the nats-server release whose behaviour the
/// differential tests hold us to (clients and tools gate features on it).
/// </summary>
public static class ReportedVersion
{
    public const string Value = "2.9.10";
}
