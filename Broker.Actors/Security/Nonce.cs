using System.Buffers.Text;
using System.Security.Cryptography;

namespace Broker.Security;

/// <summary>The INFO nonce as nats-server makes it: 11 random bytes as unpadded base64url.</summary>
public static class Nonce
{
    private const int RawLength = 11;

    public static string Create()
    {
        Span<byte> raw = stackalloc byte[RawLength];
        RandomNumberGenerator.Fill(raw);
        return Base64Url.EncodeToString(raw);
    }
}
