using System.Buffers.Text;
using System.Text;
using Broker.Jwt;
using Broker.NKeys;

namespace Broker.Tests.Security;

/// <summary>Tokens that must not decode: changed bytes, wrong headers, wrong signers, malformed text.</summary>
public class JwtTamperingTests
{
    private static SecurityVectors V => SecurityVectors.Official;

    [Fact]
    public void Any_single_character_change_of_an_official_JWT_is_refused()
    {
        var token = V.Jwts["user"];
        for (var i = 0; i < token.Length; i++)
        {
            var replacement = token[i] == 'A' ? 'B' : 'A';
            var tampered = token[..i] + replacement + token[(i + 1)..];
            Assert.False(JwtDecoder.TryDecode(tampered, out _, out _), $"changed at {i}");
        }
    }

    [Fact]
    public void A_flipped_bit_in_the_claims_fails_the_signature()
    {
        // Re-encode the payload with one claim changed, keeping the original signature.
        var parts = V.Jwts["perm_user"].Split('.');
        var json = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
        var forged = json.Replace("\"subs\":10", "\"subs\":11");
        Assert.NotEqual(json, forged);
        var token = parts[0] + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(forged)) + "." + parts[2];
        Assert.False(JwtDecoder.TryDecode(token, out _, out var error));
        Assert.Equal("claim failed V2 signature verification", error);
    }

    [Fact]
    public void A_JWT_signed_by_someone_else_than_its_iss_is_refused()
    {
        using var account = NKeyPair.FromSeed(V.Keys["account"].Seed);
        using var impostor = NKeyPair.Create(NKeyType.Account);
        var token = JwtEncoder.Encode(UserClaims.For(V.Keys["user"].PublicKey), impostor);
        // Claim the real account as issuer, keep the impostor's signature.
        var parts = token.Split('.');
        var json = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace(impostor.PublicKey, account.PublicKey);
        var forged = parts[0] + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json)) + "." + parts[2];
        Assert.False(JwtDecoder.TryDecode(forged, out _, out var error));
        Assert.Equal("claim failed V2 signature verification", error);
    }

    [Fact]
    public void A_user_JWT_signed_by_a_user_key_has_the_wrong_issuer_role()
    {
        using var user = NKeyPair.Create(NKeyType.User);
        var token = Sign(user, $$$"""{"sub":"{{{user.PublicKey}}}","iss":"{{{user.PublicKey}}}","nats":{"type":"user","version":2}}""");
        Assert.False(JwtDecoder.TryDecode(token, out _, out var error));
        Assert.Equal("unable to validate expected prefixes", error);
    }

    [Theory]
    [InlineData("""{"typ":"JWT","alg":"HS256"}""", "unexpected \"HS256\" algorithm")]
    [InlineData("""{"typ":"JWT","alg":"none"}""", "unexpected \"none\" algorithm")]
    [InlineData("""{"typ":"JWS","alg":"ed25519-nkey"}""", "not supported type \"JWS\"")]
    [InlineData("""{"alg":"ed25519-nkey"}""", "not supported type \"\"")]
    public void Headers_other_than_a_NATS_JWT_are_refused(string header, string expected)
    {
        using var account = NKeyPair.Create(NKeyType.Account);
        var token = Sign(account, $$$"""{"sub":"{{{V.Keys["user"].PublicKey}}}","iss":"{{{account.PublicKey}}}","nats":{"type":"user","version":2}}""", header);
        Assert.False(JwtDecoder.TryDecode(token, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("""{"typ":"jwt","alg":"ed25519"}""")]
    [InlineData("""{"typ":"JWT","alg":"ED25519-NKEY"}""")]
    public void The_legacy_algorithm_name_and_any_letter_case_are_accepted_as_Go_accepts_them(string header)
    {
        using var account = NKeyPair.Create(NKeyType.Account);
        var token = Sign(account, $$$"""{"sub":"{{{V.Keys["user"].PublicKey}}}","iss":"{{{account.PublicKey}}}","nats":{"type":"user","version":2}}""", header);
        Assert.True(JwtDecoder.TryDecode(token, out var claims, out var error), error);
        Assert.IsType<UserClaims>(claims);
    }

    [Fact]
    public void A_version_1_JWT_is_verified_over_its_payload_alone()
    {
        using var account = NKeyPair.Create(NKeyType.Account);
        var header = Base64Url.EncodeToString("""{"typ":"jwt","alg":"ed25519"}"""u8);
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            $$$$"""{"sub":"{{{{V.Keys["user"].PublicKey}}}}","iss":"{{{{account.PublicKey}}}}","type":"user","nats":{"pub":{"allow":["a"]}}}"""));
        var signature = Base64Url.EncodeToString(account.Sign(Encoding.ASCII.GetBytes(payload)));
        var claims = JwtDecoder.Decode<UserClaims>(header + "." + payload + "." + signature);
        Assert.Equal(1, claims.Version);
        Assert.Equal(["a"], claims.Nats.Pub?.Allow);
        // Signing header and payload is the version 2 rule; a version 1 token signed so fails.
        var v2Signature = Base64Url.EncodeToString(account.Sign(Encoding.ASCII.GetBytes(header + "." + payload)));
        Assert.False(JwtDecoder.TryDecode(header + "." + payload + "." + v2Signature, out _, out var error));
        Assert.Equal("claim failed V1 signature verification", error);
    }

    [Fact]
    public void A_JWT_from_a_newer_library_version_is_refused()
    {
        using var account = NKeyPair.Create(NKeyType.Account);
        var token = Sign(account, $$$"""{"sub":"{{{V.Keys["user"].PublicKey}}}","iss":"{{{account.PublicKey}}}","nats":{"type":"user","version":3}}""");
        Assert.False(JwtDecoder.TryDecode(token, out _, out var error));
        Assert.Equal("JWT was generated by a newer version", error);
    }

    [Theory]
    [InlineData(null, "empty token")]
    [InlineData("", "empty token")]
    [InlineData("abc", "expected 3 chunks")]
    [InlineData("a.b", "expected 3 chunks")]
    [InlineData("a.b.c.d", "expected 3 chunks")]
    [InlineData("!!.b.c", "invalid header")]
    public void Malformed_tokens_are_refused_with_a_reason(string? token, string expected)
    {
        Assert.False(JwtDecoder.TryDecode(token, out _, out var error));
        Assert.Equal(expected, error);
        Assert.Throws<JwtException>(() => JwtDecoder.Decode(token));
    }

    [Fact]
    public void Broken_JSON_and_wrong_types_are_refused_without_exceptions()
    {
        using var account = NKeyPair.Create(NKeyType.Account);
        foreach (var payload in new[]
        {
            "not json",
            """{"sub":"x","iss":"y","nats":{"type":"user","version":2},}""",
            $$$"""{"sub":"x","iss":"{{{account.PublicKey}}}","exp":"tomorrow","nats":{"type":"user","version":2}}""",
            $$$"""{"sub":"x","iss":"{{{account.PublicKey}}}","nats":{"type":"account","version":2,"signing_keys":[{"kind":"other","key":"A"}]}}""",
            $$$"""{"sub":"x","iss":"{{{account.PublicKey}}}","nats":{"type":"account","version":2,"signing_keys":[5]}}""",
        })
        {
            Assert.False(JwtDecoder.TryDecode(Sign(account, payload), out _, out var error), payload);
            Assert.NotNull(error);
        }
    }

    [Fact]
    public void A_non_canonical_spelling_of_the_signature_is_refused()
    {
        // 64 bytes take 86 base64url characters; the last carries 4 unused bits. Setting one
        // would leave the bytes the same, so a lenient decoder would accept a second token.
        var parts = V.Jwts["user"].Split('.');
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var last = parts[2][^1];
        var sibling = alphabet[alphabet.IndexOf(last) ^ 1];
        var token = parts[0] + "." + parts[1] + "." + parts[2][..^1] + sibling;
        Assert.False(JwtDecoder.TryDecode(token, out _, out var error));
        Assert.Equal("invalid signature encoding", error);
    }

    [Fact]
    public void Server_and_cluster_claims_are_not_supported_as_in_Go()
    {
        using var server = NKeyPair.Create(NKeyType.Server);
        var token = Sign(server, $$$"""{"sub":"{{{server.PublicKey}}}","iss":"{{{server.PublicKey}}}","nats":{"type":"server","version":2}}""");
        Assert.False(JwtDecoder.TryDecode(token, out _, out var error));
        Assert.Equal("ServerClaims are not supported", error);
    }

    [Fact]
    public void Duplicate_keys_in_maps_do_not_throw()
    {
        using var op = NKeyPair.Create(NKeyType.Operator);
        var account = NKeyPair.Create(NKeyType.Account).PublicKey;
        var token = Sign(op, $$$$"""{"sub":"{{{{account}}}}","iss":"{{{{op.PublicKey}}}}","nats":{"type":"account","version":2,"revocations":{"U1":1,"U1":2}}}""");
        JwtDecoder.TryDecode(token, out _, out _);
    }

    [Fact]
    public void Randomly_mangled_claims_signed_properly_never_throw()
    {
        // Signed by the right key, so only the JSON handling stands between input and a crash.
        using var op = NKeyPair.Create(NKeyType.Operator);
        var json = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(V.Jwts["account"].Split('.')[1]))
            .Replace(V.Keys["operator_signer"].PublicKey, op.PublicKey);
        var random = new Random(11);
        const string alphabet = "{}[]\",:0123456789-.eEtrufalsn xA";
        for (var round = 0; round < 400; round++)
        {
            var chars = json.ToCharArray().ToList();
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(chars.Count);
                switch (random.Next(3))
                {
                    case 0: chars.RemoveAt(at); break;
                    case 1: chars.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                    default: chars[at] = alphabet[random.Next(alphabet.Length)]; break;
                }
            }
            var token = Sign(op, new string(chars.ToArray()));
            var ok = JwtDecoder.TryDecode(token, out var claims, out var error);
            Assert.True(ok ? claims is not null : error is not null);
        }
    }

    private static string Sign(NKeyPair signer, string payloadJson, string headerJson = """{"typ":"JWT","alg":"ed25519-nkey"}""")
    {
        var signed = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(headerJson)) + "." +
                     Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payloadJson));
        return signed + "." + Base64Url.EncodeToString(signer.Sign(Encoding.ASCII.GetBytes(signed)));
    }
}
