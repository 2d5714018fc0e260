namespace Broker.NKeys;

/// <summary>
/// The role of an NKey. Each value is the key's prefix byte, chosen by NATS so that the first
/// base32 character of an encoded public key names its role ('O', 'A', 'U', 'N', 'C', 'X').
/// </summary>
public enum NKeyType : byte
{
    /// <summary>An account ('A'); also the role of account signing keys.</summary>
    Account = 0,

    /// <summary>A cluster ('C').</summary>
    Cluster = 2 << 3,

    /// <summary>A server ('N').</summary>
    Server = 13 << 3,

    /// <summary>An operator ('O'); also the role of operator signing keys.</summary>
    Operator = 14 << 3,

    /// <summary>A user ('U').</summary>
    User = 20 << 3,

    /// <summary>An X25519 key for sealing messages ('X'); it cannot sign.</summary>
    Curve = 23 << 3,
}
