using System.Buffers.Text;
using System.Text;
using Broker.NKeys;

namespace Broker.Tests.Security;

/// <summary>Our NKeys against keys and signatures made by the official @nats-io/nkeys package.</summary>
public class NKeyVectorTests
{
    private static SecurityVectors.KeyVector Key(string name) => SecurityVectors.Official.Keys[name];

    private static NKeyType TypeOf(string type) => type switch
    {
        "operator" => NKeyType.Operator,
        "account" => NKeyType.Account,
        "user" => NKeyType.User,
        "server" => NKeyType.Server,
        "cluster" => NKeyType.Cluster,
        "curve" => NKeyType.Curve,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type),
    };

    [Theory]
    [MemberData(nameof(SecurityVectors.KeyNames), MemberType = typeof(SecurityVectors))]
    public void Seed_gives_the_official_public_key_and_encodes_back_to_the_same_seed(string name)
    {
        var vector = Key(name);
        using var pair = NKeyPair.FromSeed(vector.Seed);
        Assert.Equal(TypeOf(vector.Type), pair.Type);
        Assert.Equal(vector.PublicKey, pair.PublicKey);
        Assert.Equal(vector.Seed, pair.Seed);
    }

    [Theory]
    [MemberData(nameof(SecurityVectors.KeyNames), MemberType = typeof(SecurityVectors))]
    public void Public_key_decodes_with_its_role_and_encodes_back(string name)
    {
        var vector = Key(name);
        Assert.True(NKey.TryDecodePublicKey(vector.PublicKey, out var type, out var raw));
        Assert.Equal(TypeOf(vector.Type), type);
        Assert.Equal(32, raw.Length);
        Assert.Equal(vector.PublicKey, NKey.EncodePublicKey(type, raw));
        Assert.True(NKey.IsValidPublicKey(vector.PublicKey));
        Assert.True(NKey.IsValidPublicKey(vector.PublicKey, type));
        foreach (var other in Enum.GetValues<NKeyType>().Where(t => t != type))
            Assert.False(NKey.IsValidPublicKey(vector.PublicKey, other));
    }

    [Theory]
    [MemberData(nameof(SecurityVectors.SigningKeyNames), MemberType = typeof(SecurityVectors))]
    public void Our_signatures_are_byte_for_byte_the_official_ones(string name)
    {
        // Ed25519 is deterministic: same key and message, same signature.
        var vector = Key(name);
        using var pair = NKeyPair.FromSeed(vector.Seed);
        var nonce = Encoding.UTF8.GetBytes(SecurityVectors.Official.Nonce);
        Assert.Equal(vector.NonceSigBase64Url, Base64Url.EncodeToString(pair.Sign(nonce)));
        Assert.Equal(vector.DataSigBase64Url, Base64Url.EncodeToString(pair.Sign(SecurityVectors.Official.Data)));
    }

    [Theory]
    [MemberData(nameof(SecurityVectors.SigningKeyNames), MemberType = typeof(SecurityVectors))]
    public void Official_signatures_verify_against_the_public_key_in_both_base64_forms(string name)
    {
        var vector = Key(name);
        var nonce = Encoding.UTF8.GetBytes(SecurityVectors.Official.Nonce);
        Assert.True(NonceSignature.Verify(vector.PublicKey, nonce, vector.NonceSigBase64Url));
        Assert.True(NonceSignature.Verify(vector.PublicKey, nonce, vector.NonceSigBase64));
        Assert.True(NKey.Verify(vector.PublicKey, SecurityVectors.Official.Data, Base64Url.DecodeFromChars(vector.DataSigBase64Url)));
    }

    [Theory]
    [MemberData(nameof(SecurityVectors.SigningKeyNames), MemberType = typeof(SecurityVectors))]
    public void A_signature_from_another_key_or_over_other_data_fails(string name)
    {
        var vector = Key(name);
        var nonce = Encoding.UTF8.GetBytes(SecurityVectors.Official.Nonce);
        var someoneElse = SecurityVectors.Official.Keys.Values.First(k => k.Type != "curve" && k.Name != name);
        Assert.False(NonceSignature.Verify(someoneElse.PublicKey, nonce, vector.NonceSigBase64Url));
        Assert.False(NonceSignature.Verify(vector.PublicKey, Encoding.UTF8.GetBytes(SecurityVectors.Official.Nonce + "x"), vector.NonceSigBase64Url));
    }

    [Fact]
    public void A_curve_key_cannot_sign_or_verify()
    {
        var vector = Key("curve");
        using var pair = NKeyPair.FromSeed(vector.Seed);
        Assert.Throws<InvalidOperationException>(() => pair.Sign([1, 2, 3]));
        Assert.False(NKey.Verify(vector.PublicKey, [1, 2, 3], new byte[64]));
    }

    [Theory]
    [MemberData(nameof(SecurityVectors.KeyNames), MemberType = typeof(SecurityVectors))]
    public void The_NATS_NKeys_package_agrees_with_the_official_vectors_too(string name)
    {
        // A second oracle: if this failed while ours passed, the vectors themselves would be suspect.
        var vector = Key(name);
        using var theirs = NATS.NKeys.KeyPair.FromSeed(vector.Seed);
        Assert.Equal(vector.PublicKey, theirs.GetPublicKey());
    }
}
