namespace Broker.Jwt;

/// <summary>The values of an export's or import's <c>type</c> and an activation's <c>kind</c>.</summary>
public static class ExportTypes
{
    public const string Stream = "stream";
    public const string Service = "service";
}
