using System.Text;
using Broker.NKeys;

namespace Broker.Tests.Security;

/// <summary>Base32, CRC-16 and the prefix rules: what a key must look like to be accepted.</summary>
public class NKeyEncodingTests
{
    private static string UserKey => SecurityVectors.Official.Keys["user"].PublicKey;
    private static string UserSeed => SecurityVectors.Official.Keys["user"].Seed;

    [Theory]
    [InlineData("", "")]
    [InlineData("f", "MY")]
    [InlineData("fo", "MZXQ")]
    [InlineData("foo", "MZXW6")]
    [InlineData("foob", "MZXW6YQ")]
    [InlineData("fooba", "MZXW6YTB")]
    [InlineData("foobar", "MZXW6YTBOI")]
    public void Base32_matches_the_RFC_4648_test_vectors_without_padding(string plain, string encoded)
    {
        var bytes = Encoding.ASCII.GetBytes(plain);
        Assert.Equal(encoded, Base32.Encode(bytes));
        var decoded = new byte[Base32.DecodedLength(encoded.Length)];
        Assert.True(Base32.TryDecode(encoded, decoded));
        Assert.Equal(bytes, decoded);
    }

    [Theory]
    [InlineData("MZXW6YQ=")] // padding
    [InlineData("mzxw6yq")] // lower case
    [InlineData("MZXW6Y1")] // '1' is not in the alphabet
    [InlineData("MZXW6Y")] // a length no encoder produces
    [InlineData("MZXW6YR")] // non-zero unused bits: a second spelling of "foob"
    public void Base32_refuses_anything_an_encoder_would_not_write(string text)
    {
        var decoded = new byte[Base32.DecodedLength(text.Length)];
        Assert.False(Base32.TryDecode(text, decoded));
    }

    [Fact]
    public void Base32_round_trips_every_length_and_byte_value()
    {
        var random = new Random(7);
        for (var length = 0; length < 70; length++)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            var text = Base32.Encode(bytes);
            var back = new byte[Base32.DecodedLength(text.Length)];
            Assert.True(Base32.TryDecode(text, back));
            Assert.Equal(bytes, back);
        }
    }

    [Fact]
    public void Crc16_is_the_XMODEM_variant()
    {
        // The standard check value of CRC-16/XMODEM.
        Assert.Equal(0x31C3, Crc16.Compute("123456789"u8));
        Assert.Equal(0, Crc16.Compute([]));
    }

    [Fact]
    public void Every_single_character_change_of_a_public_key_is_refused()
    {
        var key = UserKey;
        for (var i = 0; i < key.Length; i++)
        {
            foreach (var replacement in "AB27")
            {
                if (key[i] == replacement) continue;
                var tampered = key[..i] + replacement + key[(i + 1)..];
                // Changing the first character can turn it into a valid key of another role
                // only if the checksum still matched, which CRC-16 rules out for one change.
                Assert.False(NKey.IsValidPublicKey(tampered), tampered);
            }
        }
    }

    [Fact]
    public void Every_single_character_change_of_a_seed_is_refused()
    {
        var seed = UserSeed;
        for (var i = 0; i < seed.Length; i++)
        {
            var replacement = seed[i] == 'A' ? 'B' : 'A';
            var tampered = seed[..i] + replacement + seed[(i + 1)..];
            Assert.False(NKeySeed.IsValid(tampered), tampered);
            Assert.False(NKeyPair.TryFromSeed(tampered, out _));
        }
    }

    [Fact]
    public void A_bad_checksum_is_refused_even_when_the_key_bytes_are_fine()
    {
        Assert.True(NKey.TryDecodePublicKey(UserKey, out _, out var raw));
        var bytes = new byte[35];
        bytes[0] = (byte)NKeyType.User;
        raw.CopyTo(bytes, 1);
        var crc = Crc16.Compute(bytes.AsSpan(0, 33));
        bytes[33] = (byte)(crc ^ 1); // off by one bit
        bytes[34] = (byte)(crc >> 8);
        Assert.False(NKey.IsValidPublicKey(Base32.Encode(bytes)));
        bytes[33] = (byte)crc;
        Assert.Equal(UserKey, Base32.Encode(bytes));
    }

    [Fact]
    public void Wrong_prefixes_are_refused()
    {
        Assert.True(NKey.TryDecodePublicKey(UserKey, out _, out var raw));
        // A well-formed encoding (right checksum) with a prefix that is no public role.
        foreach (var prefix in new byte[] { NKeyPrefix.Seed, NKeyPrefix.Private, 25 << 3, 1, 7 })
        {
            var bytes = new byte[35];
            bytes[0] = prefix;
            raw.CopyTo(bytes, 1);
            var crc = Crc16.Compute(bytes.AsSpan(0, 33));
            bytes[33] = (byte)crc;
            bytes[34] = (byte)(crc >> 8);
            Assert.False(NKey.IsValidPublicKey(Base32.Encode(bytes)), $"prefix {prefix}");
        }
        // A seed is not a public key, and a public key is not a seed.
        Assert.False(NKey.IsValidPublicKey(UserSeed));
        Assert.False(NKeySeed.IsValid(UserKey));
        Assert.False(NKeyPair.TryFromSeed(UserKey, out _));
        Assert.Throws<FormatException>(() => NKeyPair.FromSeed(UserKey));
    }

    [Fact]
    public void A_seed_whose_role_is_not_a_public_role_is_refused()
    {
        var seed = new byte[32];
        // Seed marker with the role bits of "Private", which only a private key encoding uses.
        var role = NKeyPrefix.Private;
        var bytes = new byte[36];
        bytes[0] = (byte)(NKeyPrefix.Seed | (role >> 5));
        bytes[1] = (byte)((role & 31) << 3);
        seed.CopyTo(bytes, 2);
        var crc = Crc16.Compute(bytes.AsSpan(0, 34));
        bytes[34] = (byte)crc;
        bytes[35] = (byte)(crc >> 8);
        Assert.False(NKeySeed.IsValid(Base32.Encode(bytes)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("U")]
    [InlineData("not a key at all")]
    public void Garbage_is_refused_without_exceptions(string? text)
    {
        Assert.False(NKey.IsValidPublicKey(text));
        Assert.False(NKey.IsValidPublicKey(text, NKeyType.User));
        Assert.False(NKey.TryDecodePublicKey(text, out _, out _));
        Assert.False(NKeySeed.IsValid(text));
        Assert.False(NKey.Verify(text, [1], new byte[64]));
    }

    [Fact]
    public void Truncated_and_extended_keys_are_refused()
    {
        Assert.False(NKey.IsValidPublicKey(UserKey[..^1]));
        Assert.False(NKey.IsValidPublicKey(UserKey + "A"));
        Assert.False(NKey.IsValidPublicKey(UserKey + "AAAAAAAA"));
        Assert.False(NKeySeed.IsValid(UserSeed[..^1]));
        Assert.False(NKeySeed.IsValid(UserSeed + "AA"));
    }
}
