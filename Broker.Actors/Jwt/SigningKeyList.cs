namespace Broker.Jwt;

/// <summary>An account's <c>signing_keys</c>: in JSON an array of key strings and scope objects.</summary>
public sealed class SigningKeyList : List<SigningKey>
{
    public bool Contains(string? publicKey) => Find(publicKey) is not null;

    /// <summary>The entry for <paramref name="publicKey"/>, or null when it is not a signing key.</summary>
    public SigningKey? Find(string? publicKey)
    {
        if (publicKey is null) return null;
        foreach (var key in this)
            if (key.Key == publicKey) return key;
        return null;
    }

    public void Add(string publicKey) => Add(new SigningKey(publicKey));

    public void Add(UserScope scope) =>
        Add(new SigningKey(scope.Key ?? throw new ArgumentException("a scope needs its key", nameof(scope)), scope));
}
