using System.Security.Cryptography;

namespace Broker.Runtime;

/// <summary>
/// The server's id: 56 characters of base32 starting with 'N', shaped like nats-server's public
/// server NKey so tools that display or parse it are not surprised.
/// </summary>
public static class ServerIdentity
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string NewServerId()
    {
        Span<byte> random = stackalloc byte[55];
        RandomNumberGenerator.Fill(random);
        var chars = new char[56];
        chars[0] = 'N';
        for (var i = 0; i < random.Length; i++) chars[i + 1] = Alphabet[random[i] & 31];
        return new string(chars);
    }
}
