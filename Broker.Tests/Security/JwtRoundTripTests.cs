using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Broker.Jwt;
using Broker.NKeys;

namespace Broker.Tests.Security;

/// <summary>Our encoder: what it signs decodes, verifies and reads back the same.</summary>
public class JwtRoundTripTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Fact]
    public void A_whole_chain_made_here_decodes_verifies_and_checks_out()
    {
        using var operatorKey = NKeyPair.Create(NKeyType.Operator);
        using var operatorSigner = NKeyPair.Create(NKeyType.Operator);
        using var accountKey = NKeyPair.Create(NKeyType.Account);
        using var accountSigner = NKeyPair.Create(NKeyType.Account);
        using var userKey = NKeyPair.Create(NKeyType.User);

        var op = new OperatorClaims { Subject = operatorKey.PublicKey, Name = "op" };
        op.Nats.SigningKeys = [operatorSigner.PublicKey];
        var opJwt = JwtEncoder.Encode(op, operatorKey, Now);

        var account = AccountClaims.For(accountKey.PublicKey);
        account.Name = "acc";
        account.Expires = Now.AddDays(1).ToUnixTimeSeconds();
        account.Nats.SigningKeys = [];
        account.Nats.SigningKeys.Add(accountSigner.PublicKey);
        account.Nats.Revocations = new RevocationList();
        account.Nats.Revocations.Revoke("UREVOKED", Now);
        var accountJwt = JwtEncoder.Encode(account, operatorSigner, Now);

        var user = UserClaims.For(userKey.PublicKey);
        user.Name = "u";
        user.Nats.IssuerAccount = accountKey.PublicKey;
        user.Nats.Pub = new Permission { Allow = ["a.>"], Deny = ["a.b"] };
        user.Nats.Src = ["192.168.0.0/16"];
        var userJwt = JwtEncoder.Encode(user, accountSigner, Now);

        var op2 = JwtDecoder.Decode<OperatorClaims>(opJwt);
        var account2 = JwtDecoder.Decode<AccountClaims>(accountJwt);
        var user2 = JwtDecoder.Decode<UserClaims>(userJwt);
        Assert.Equal(operatorKey.PublicKey, op2.Issuer);
        Assert.Equal(operatorSigner.PublicKey, account2.Issuer);
        Assert.Equal(accountSigner.PublicKey, user2.Issuer);
        Assert.Equal(Now.ToUnixTimeSeconds(), user2.IssuedAt);
        Assert.Equal(ClaimTypes.Operator, op2.Nats.Type);
        Assert.Equal(ClaimTypes.Account, account2.Nats.Type);
        Assert.Equal(ClaimTypes.User, user2.Nats.Type);
        Assert.All(new JwtClaims[] { op2, account2, user2 }, c => Assert.Equal(2, c.Version));
        Assert.Equal(-1, user2.Nats.Subs);
        Assert.Equal(["a.>"], user2.Nats.Pub?.Allow);
        Assert.Equal(["192.168.0.0/16"], user2.Nats.Src);
        Assert.Equal(Now.ToUnixTimeSeconds(), account2.Nats.Revocations!["UREVOKED"]);
        Assert.Equal(-1, account2.Nats.Limits!.Connections);

        Assert.Equal(JwtVerdict.Valid, JwtTrust.CheckAccount(account2, op2, Now));
        Assert.Equal(JwtVerdict.Valid, JwtTrust.CheckUser(user2, account2, Now));
        Assert.Equal(JwtVerdict.AccountNotValid, JwtTrust.CheckUser(user2, account2, Now.AddDays(2)));
    }

    [Fact]
    public void The_same_claims_give_the_same_jti_and_other_claims_another()
    {
        using var account = NKeyPair.Create(NKeyType.Account);
        var user = NKeyPair.Create(NKeyType.User).PublicKey;
        var a = JwtDecoder.Decode(JwtEncoder.Encode(UserClaims.For(user), account, Now));
        var b = JwtDecoder.Decode(JwtEncoder.Encode(UserClaims.For(user), account, Now));
        var c = JwtDecoder.Decode(JwtEncoder.Encode(UserClaims.For(user), account, Now.AddSeconds(1)));
        Assert.Equal(a.Id, b.Id);
        Assert.NotEqual(a.Id, c.Id);
    }

    [Fact]
    public void What_we_write_is_what_Go_and_jwt_js_write()
    {
        using var account = NKeyPair.Create(NKeyType.Account);
        var user = UserClaims.For(NKeyPair.Create(NKeyType.User).PublicKey);
        var token = JwtEncoder.Encode(user, account, Now);
        var parts = token.Split('.');
        Assert.Equal("""{"typ":"JWT","alg":"ed25519-nkey"}""", Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0])));
        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        var root = payload.RootElement;
        // omitempty: nothing unset is written, and the nats object carries type and version.
        Assert.False(root.TryGetProperty("exp", out _));
        Assert.False(root.TryGetProperty("type", out _));
        Assert.False(root.GetProperty("nats").TryGetProperty("pub", out _));
        Assert.Equal("user", root.GetProperty("nats").GetProperty("type").GetString());
        Assert.Equal(2, root.GetProperty("nats").GetProperty("version").GetInt32());
        Assert.Equal(-1, root.GetProperty("nats").GetProperty("subs").GetInt64());
        Assert.Equal(account.PublicKey, root.GetProperty("iss").GetString());
    }

    [Fact]
    public void Scoped_signing_keys_round_trip_as_objects_among_strings()
    {
        using var operatorKey = NKeyPair.Create(NKeyType.Operator);
        using var accountKey = NKeyPair.Create(NKeyType.Account);
        var plain = NKeyPair.Create(NKeyType.Account).PublicKey;
        var scoped = NKeyPair.Create(NKeyType.Account).PublicKey;
        var account = AccountClaims.For(accountKey.PublicKey);
        account.Nats.SigningKeys = [];
        account.Nats.SigningKeys.Add(plain);
        var scope = new UserScope { Key = scoped, Role = "r" };
        scope.Template.SetNoLimits();
        scope.Template.Sub = new Permission { Allow = ["x"] };
        account.Nats.SigningKeys.Add(scope);
        var decoded = JwtDecoder.Decode<AccountClaims>(JwtEncoder.Encode(account, operatorKey, Now));
        Assert.Null(decoded.ScopeOf(plain));
        Assert.Equal(["x"], decoded.ScopeOf(scoped)?.Template.Sub?.Allow);
        Assert.Equal("r", decoded.ScopeOf(scoped)?.Role);
        Assert.Null(decoded.ScopeOf(accountKey.PublicKey));
    }

    [Fact]
    public void A_user_signed_by_a_scoped_key_may_not_carry_its_own_permissions()
    {
        using var operatorKey = NKeyPair.Create(NKeyType.Operator);
        using var accountKey = NKeyPair.Create(NKeyType.Account);
        using var scopedKey = NKeyPair.Create(NKeyType.Account);
        var account = AccountClaims.For(accountKey.PublicKey);
        account.Nats.SigningKeys = [];
        account.Nats.SigningKeys.Add(new UserScope { Key = scopedKey.PublicKey, Role = "r" });
        var accountClaims = JwtDecoder.Decode<AccountClaims>(JwtEncoder.Encode(account, operatorKey, Now));

        var bare = new UserClaims { Subject = NKeyPair.Create(NKeyType.User).PublicKey };
        bare.Nats.IssuerAccount = accountKey.PublicKey;
        var withLimits = UserClaims.For(NKeyPair.Create(NKeyType.User).PublicKey);
        withLimits.Nats.IssuerAccount = accountKey.PublicKey;
        Assert.Equal(JwtVerdict.Valid, JwtTrust.CheckUser(JwtDecoder.Decode<UserClaims>(JwtEncoder.Encode(bare, scopedKey, Now)), accountClaims, Now));
        Assert.Equal(JwtVerdict.ScopedUserHasPermissions,
            JwtTrust.CheckUser(JwtDecoder.Decode<UserClaims>(JwtEncoder.Encode(withLimits, scopedKey, Now)), accountClaims, Now));
    }

    [Fact]
    public void Activations_and_generic_claims_round_trip()
    {
        using var exporter = NKeyPair.Create(NKeyType.Account);
        var importer = NKeyPair.Create(NKeyType.Account).PublicKey;
        var activation = new ActivationClaims { Subject = importer };
        activation.Nats.ImportSubject = "svc.>";
        activation.Nats.ImportType = ExportTypes.Service;
        var decoded = JwtDecoder.Decode<ActivationClaims>(JwtEncoder.Encode(activation, exporter, Now));
        Assert.Equal("svc.>", decoded.Nats.ImportSubject);
        Assert.Equal(exporter.PublicKey, decoded.ExporterKey);

        using var anyone = NKeyPair.Create(NKeyType.Server);
        var generic = new GenericClaims { Subject = "anything" };
        generic.Nats.Type = "custom";
        generic.Nats.Data = new() { ["answer"] = JsonDocument.Parse("42").RootElement };
        var back = Assert.IsType<GenericClaims>(JwtDecoder.Decode(JwtEncoder.Encode(generic, anyone, Now)));
        Assert.Equal("custom", back.ClaimType);
        Assert.Equal(42, back.Nats.Data!["answer"].GetInt32());
    }

    [Fact]
    public void The_encoder_refuses_subjects_and_signers_of_the_wrong_role()
    {
        using var account = NKeyPair.Create(NKeyType.Account);
        using var user = NKeyPair.Create(NKeyType.User);
        using var op = NKeyPair.Create(NKeyType.Operator);
        Assert.Throws<ArgumentException>(() => JwtEncoder.Encode(new UserClaims(), account));
        Assert.Throws<ArgumentException>(() => JwtEncoder.Encode(new UserClaims { Subject = account.PublicKey }, account));
        Assert.Throws<ArgumentException>(() => JwtEncoder.Encode(new UserClaims { Subject = user.PublicKey }, op));
        Assert.Throws<ArgumentException>(() => JwtEncoder.Encode(new UserClaims { Subject = user.PublicKey }, user));
        Assert.Throws<ArgumentException>(() => JwtEncoder.Encode(new OperatorClaims { Subject = op.PublicKey }, account));
        Assert.Throws<ArgumentException>(() => JwtEncoder.Encode(AccountClaims.For(account.PublicKey), user));
    }

    [Fact]
    public void Src_written_as_one_comma_separated_string_reads_as_a_list()
    {
        // Older tools wrote src that way; Go's CIDRList reads both forms.
        using var account = NKeyPair.Create(NKeyType.Account);
        var user = NKeyPair.Create(NKeyType.User).PublicKey;
        var payload = $$$"""{"sub":"{{{user}}}","iss":"{{{account.PublicKey}}}","nats":{"type":"user","version":2,"src":"10.0.0.0/8, 127.0.0.1/32,10.0.0.0/8"}}""";
        var signed = Base64Url.EncodeToString("""{"typ":"JWT","alg":"ed25519-nkey"}"""u8) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        var token = signed + "." + Base64Url.EncodeToString(account.Sign(Encoding.ASCII.GetBytes(signed)));
        Assert.Equal(["10.0.0.0/8", "127.0.0.1/32"], JwtDecoder.Decode<UserClaims>(token).Nats.Src);
    }

    [Fact]
    public void Revocation_lists_cover_keys_and_the_wildcard_up_to_and_including_their_time()
    {
        var list = new RevocationList { ["U1"] = 100, [RevocationList.All] = 50 };
        Assert.True(list.IsRevoked("U1", 100));
        Assert.False(list.IsRevoked("U1", 101));
        Assert.True(list.IsRevoked("U2", 50));
        Assert.False(list.IsRevoked("U2", 51));
        list.Revoke("U1", DateTimeOffset.FromUnixTimeSeconds(10)); // an older revocation does not shorten a newer one
        Assert.Equal(100, list["U1"]);
    }
}
