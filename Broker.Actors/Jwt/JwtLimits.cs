namespace Broker.Jwt;

/// <summary>Sentinel values of JWT limits.</summary>
public static class JwtLimits
{
    /// <summary>A limit of -1 means unlimited.</summary>
    public const long NoLimit = -1;
}
