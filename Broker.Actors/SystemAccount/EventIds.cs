using System.Security.Cryptography;

namespace Broker.SystemAccount;

/// <summary>
/// Unique ids for advisories, 22 base-62 characters like nats-server's NUIDs: a random prefix
/// chosen once, then a sequence. Used by the system events actor only, so no locking.
/// </summary>
internal sealed class EventIds
{
    private const string Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const int PrefixLength = 12;
    private const int SequenceLength = 10;

    private readonly char[] _prefix = new char[PrefixLength];
    private long _sequence = RandomNumberGenerator.GetInt32(int.MaxValue);

    public EventIds()
    {
        for (var i = 0; i < PrefixLength; i++) _prefix[i] = Digits[RandomNumberGenerator.GetInt32(Digits.Length)];
    }

    public string Next()
    {
        Span<char> id = stackalloc char[PrefixLength + SequenceLength];
        _prefix.CopyTo(id);
        var n = ++_sequence;
        for (var i = id.Length - 1; i >= PrefixLength; i--)
        {
            id[i] = Digits[(int)(n % Digits.Length)];
            n /= Digits.Length;
        }
        return new string(id);
    }
}
