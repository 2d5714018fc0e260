using System.Text;
using Broker.NKeys;

namespace Broker.Tests.Security;

/// <summary>Key pairs we create: round trips, signatures, and agreement with the NATS.NKeys package.</summary>
public class NKeyPairTests
{
    public static IEnumerable<object[]> Types() => Enum.GetValues<NKeyType>().Select(t => new object[] { t });

    private static readonly Dictionary<NKeyType, char> FirstCharacter = new()
    {
        [NKeyType.Operator] = 'O', [NKeyType.Account] = 'A', [NKeyType.User] = 'U',
        [NKeyType.Server] = 'N', [NKeyType.Cluster] = 'C', [NKeyType.Curve] = 'X',
    };

    [Theory]
    [MemberData(nameof(Types))]
    public void A_created_pair_round_trips_through_its_seed(NKeyType type)
    {
        using var pair = NKeyPair.Create(type);
        Assert.Equal(56, pair.PublicKey.Length);
        Assert.Equal(58, pair.Seed.Length);
        Assert.Equal(FirstCharacter[type], pair.PublicKey[0]);
        Assert.Equal("S" + FirstCharacter[type], pair.Seed[..2]);
        Assert.True(NKey.IsValidPublicKey(pair.PublicKey, type));
        using var again = NKeyPair.FromSeed(pair.Seed);
        Assert.Equal(pair.PublicKey, again.PublicKey);
        Assert.Equal(type, again.Type);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Our_keys_are_accepted_by_the_NATS_NKeys_package(NKeyType type)
    {
        using var ours = NKeyPair.Create(type);
        using var theirs = NATS.NKeys.KeyPair.FromSeed(ours.Seed);
        Assert.Equal(ours.PublicKey, theirs.GetPublicKey());
        Assert.Equal(ours.Seed, theirs.GetSeed());
    }

    [Theory]
    [InlineData(NKeyType.Operator)]
    [InlineData(NKeyType.Account)]
    [InlineData(NKeyType.User)]
    [InlineData(NKeyType.Server)]
    public void Signatures_agree_with_the_NATS_NKeys_package_both_ways(NKeyType type)
    {
        using var ours = NKeyPair.Create(type);
        using var theirs = NATS.NKeys.KeyPair.FromSeed(ours.Seed);
        var data = Encoding.UTF8.GetBytes("nonce-" + type);
        var ourSignature = ours.Sign(data);
        var theirSignature = new byte[64];
        theirs.Sign(data, theirSignature);
        Assert.Equal(theirSignature, ourSignature);
        Assert.True(theirs.Verify(data, ourSignature));
        Assert.True(NKey.Verify(ours.PublicKey, data, theirSignature));
    }

    [Fact]
    public void A_flipped_bit_in_the_data_or_the_signature_fails_verification()
    {
        using var pair = NKeyPair.Create(NKeyType.User);
        var data = Encoding.UTF8.GetBytes("the nonce");
        var signature = pair.Sign(data);
        Assert.True(pair.Verify(data, signature));
        Assert.True(NKey.Verify(pair.PublicKey, data, signature));
        for (var i = 0; i < signature.Length; i += 7)
        {
            var tampered = (byte[])signature.Clone();
            tampered[i] ^= 0x01;
            Assert.False(NKey.Verify(pair.PublicKey, data, tampered));
        }
        var otherData = (byte[])data.Clone();
        otherData[0] ^= 0x80;
        Assert.False(NKey.Verify(pair.PublicKey, otherData, signature));
        Assert.False(NKey.Verify(pair.PublicKey, data, signature.AsSpan(0, 63)));
    }

    [Fact]
    public void A_disposed_pair_no_longer_gives_out_its_seed_or_signs()
    {
        var pair = NKeyPair.Create(NKeyType.User);
        pair.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pair.Seed);
        Assert.Throws<ObjectDisposedException>(() => pair.Sign([1]));
        Assert.False(string.IsNullOrEmpty(pair.PublicKey));
    }

    [Fact]
    public void ToString_shows_the_public_key_never_the_seed()
    {
        using var pair = NKeyPair.Create(NKeyType.User);
        Assert.Equal(pair.PublicKey, pair.ToString());
        Assert.DoesNotContain(pair.Seed, pair.ToString());
    }

    [Fact]
    public void Nonce_signatures_are_accepted_as_base64url_and_as_standard_base64_and_nothing_else()
    {
        using var pair = NKeyPair.Create(NKeyType.User);
        var nonce = Encoding.ASCII.GetBytes("abcdefghijk");
        var signature = pair.Sign(nonce);
        var standard = Convert.ToBase64String(signature);
        var url = standard.TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.True(NonceSignature.Verify(pair.PublicKey, nonce, url));
        Assert.True(NonceSignature.Verify(pair.PublicKey, nonce, standard));
        Assert.False(NonceSignature.Verify(pair.PublicKey, nonce, null));
        Assert.False(NonceSignature.Verify(pair.PublicKey, nonce, ""));
        Assert.False(NonceSignature.Verify(pair.PublicKey, nonce, "!!!" + url));
        Assert.False(NonceSignature.Verify(pair.PublicKey, nonce, url[..^4]));
        Assert.False(NonceSignature.Verify(null, nonce, url));
        Assert.False(NonceSignature.Verify(pair.PublicKey, "abcdefghijl"u8, url));
    }
}
