namespace Broker.NKeys;

/// <summary>
/// Prefix bytes that are not key roles: they mark the encoding of secret material. A seed carries
/// both this marker and the role (two bytes), which is why seeds read "SU...", "SA...", "SO...".
/// </summary>
internal static class NKeyPrefix
{
    public const byte Seed = 18 << 3;
    public const byte Private = 15 << 3;

    public static bool IsPublicRole(byte prefix) => prefix switch
    {
        (byte)NKeyType.Account or (byte)NKeyType.Cluster or (byte)NKeyType.Server
            or (byte)NKeyType.Operator or (byte)NKeyType.User or (byte)NKeyType.Curve => true,
        _ => false,
    };
}
