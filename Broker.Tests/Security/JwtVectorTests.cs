using Broker.Jwt;
using Broker.NKeys;

namespace Broker.Tests.Security;

/// <summary>Our JWT decoding, verification and chain checks against tokens made by the official @nats-io/jwt package.</summary>
public class JwtVectorTests
{
    private static SecurityVectors V => SecurityVectors.Official;
    private static string Key(string name) => V.Keys[name].PublicKey;
    private static T Decode<T>(string name) where T : JwtClaims => JwtDecoder.Decode<T>(V.Jwts[name]);

    [Theory]
    [MemberData(nameof(SecurityVectors.JwtNames), MemberType = typeof(SecurityVectors))]
    public void Every_official_JWT_decodes_and_verifies_as_version_2(string name)
    {
        Assert.True(JwtDecoder.TryDecode(V.Jwts[name], out var claims, out var error), error);
        Assert.Equal(2, claims.Version);
        Assert.Equal("NATS", claims.Audience);
        Assert.False(string.IsNullOrEmpty(claims.Id));
        Assert.True(claims.IssuedAt >= V.GeneratedAt && claims.IssuedAt < V.GeneratedAt + 60);
        Assert.True(NKey.IsValidPublicKey(claims.Issuer));
    }

    [Fact]
    public void The_operator_claims_read_as_written()
    {
        var op = Decode<OperatorClaims>("operator");
        Assert.Equal(ClaimTypes.Operator, op.ClaimType);
        Assert.Equal("vector-operator", op.Name);
        Assert.Equal(Key("operator"), op.Subject);
        Assert.True(op.IsSelfSigned);
        Assert.Equal([Key("operator_signer")], op.Nats.SigningKeys);
        Assert.Equal(Key("system"), op.Nats.SystemAccount);
        Assert.Equal("http://localhost:9090/jwt/v1", op.Nats.AccountServerUrl);
        Assert.Equal(["nats://localhost:4222"], op.Nats.OperatorServiceUrls);
        Assert.Equal(["vectors"], op.Nats.Tags);
    }

    [Fact]
    public void The_account_claims_read_as_written()
    {
        var account = Decode<AccountClaims>("account");
        Assert.Equal(Key("account"), account.Subject);
        Assert.Equal(Key("operator_signer"), account.Issuer);
        var nats = account.Nats;
        Assert.Equal("account made for test vectors", nats.Description);

        Assert.NotNull(nats.SigningKeys);
        Assert.Equal(2, nats.SigningKeys.Count);
        Assert.True(nats.SigningKeys.Contains(Key("account_signer")));
        Assert.Null(account.ScopeOf(Key("account_signer")));
        var scope = account.ScopeOf(Key("scoped_signer"));
        Assert.NotNull(scope);
        Assert.Equal("readers", scope.Role);
        Assert.Equal(UserScope.UserScopeKind, scope.Kind);
        Assert.Equal(["read.>"], scope.Template.Sub?.Allow);
        Assert.Equal(-1, scope.Template.Subs);

        Assert.NotNull(nats.Revocations);
        Assert.Equal(V.RevokedAt, nats.Revocations[Key("revoked_user")]);
        Assert.Equal(V.GeneratedAt - 86400, nats.Revocations[RevocationList.All]);

        Assert.NotNull(nats.Limits);
        Assert.Equal(100, nats.Limits.Subs);
        Assert.Equal(-1, nats.Limits.Data);
        Assert.Equal(65536, nats.Limits.Payload);
        Assert.Equal(10, nats.Limits.Connections);
        Assert.Equal(-1, nats.Limits.LeafNodeConnections);
        Assert.True(nats.Limits.WildcardExports);

        Assert.Equal(["default.>"], nats.DefaultPermissions?.Pub?.Allow);
        Assert.Equal(["nope"], nats.DefaultPermissions?.Sub?.Deny);

        Assert.NotNull(nats.Exports);
        var service = Assert.Single(nats.Exports, e => e.IsService);
        Assert.Equal("svc.echo", service.Subject);
        Assert.True(service.TokenRequired);
        Assert.Equal("Singleton", service.ResponseType);
        Assert.Equal("feed.>", Assert.Single(nats.Exports, e => e.IsStream).Subject);
        var import = Assert.Single(nats.Imports!);
        Assert.Equal(Key("other_account"), import.Account);
        Assert.True(import.IsStream);
    }

    [Fact]
    public void User_permissions_and_limits_read_as_written()
    {
        var user = Decode<UserClaims>("perm_user");
        var nats = user.Nats;
        Assert.Equal(["foo.>", "bar"], nats.Pub?.Allow);
        Assert.Equal(["foo.secret"], nats.Pub?.Deny);
        Assert.Equal(["_INBOX.>", "q.* workers"], nats.Sub?.Allow);
        Assert.Equal(["private.>"], nats.Sub?.Deny);
        Assert.Equal(1, nats.Resp?.MaxMessages);
        Assert.Equal(TimeSpan.FromSeconds(5), nats.Resp?.Ttl);
        Assert.Equal(10, nats.Subs);
        Assert.Equal(1048576, nats.Data);
        Assert.Equal(1024, nats.Payload);
        Assert.Equal(["127.0.0.1/32", "10.0.0.0/8"], nats.Src);
        var window = Assert.Single(nats.Times!);
        Assert.Equal(("08:00:00", "17:00:00"), (window.Start, window.End));
        Assert.Equal("UTC", nats.TimesLocation);
        Assert.True(user.IsBearerToken);
        Assert.Equal(["STANDARD", "WEBSOCKET"], nats.AllowedConnectionTypes);
        Assert.Equal(["team:a"], nats.Tags);
        Assert.False(nats.HasNoPermissionsOrLimits);
    }

    [Fact]
    public void Users_name_their_account_whoever_signed_them()
    {
        Assert.Equal(Key("account"), Decode<UserClaims>("user").AccountKey);
        var signed = Decode<UserClaims>("signed_user");
        Assert.Equal(Key("account_signer"), signed.Issuer);
        Assert.Equal(Key("account"), signed.AccountKey);
        var scoped = Decode<UserClaims>("scoped_user");
        Assert.Equal(Key("scoped_signer"), scoped.Issuer);
        Assert.Equal(Key("account"), scoped.AccountKey);
        Assert.True(scoped.Nats.HasNoPermissionsOrLimits);
    }

    [Fact]
    public void Expiry_and_not_before_follow_the_clock_given()
    {
        var at = V.GeneratedTime;
        Assert.True(Decode<UserClaims>("user").IsValidAt(at.AddYears(50)));
        var expired = Decode<UserClaims>("expired_user");
        Assert.True(expired.IsExpiredAt(at));
        Assert.False(expired.IsExpiredAt(at.AddSeconds(-3600))); // the exp second itself is still valid
        Assert.True(expired.IsExpiredAt(at.AddSeconds(-3599)));
        var future = Decode<UserClaims>("future_user");
        Assert.True(future.IsNotYetValidAt(at));
        Assert.False(future.IsValidAt(at));
        Assert.True(future.IsValidAt(at.AddSeconds(3600)));
        Assert.True(future.IsExpiredAt(at.AddSeconds(7201)));
    }

    [Fact]
    public void The_chain_operator_account_user_holds()
    {
        var now = V.GeneratedTime;
        var op = Decode<OperatorClaims>("operator");
        var account = Decode<AccountClaims>("account");
        var system = Decode<AccountClaims>("system_account");
        Assert.Equal(JwtVerdict.Valid, JwtTrust.CheckAccount(account, op, now)); // by a signing key
        Assert.Equal(JwtVerdict.Valid, JwtTrust.CheckAccount(system, op, now)); // by the identity key
        Assert.Equal(JwtVerdict.Valid, JwtTrust.CheckUser(Decode<UserClaims>("user"), account, now));
        Assert.Equal(JwtVerdict.Valid, JwtTrust.CheckUser(Decode<UserClaims>("signed_user"), account, now));
        Assert.Equal(JwtVerdict.Valid, JwtTrust.CheckUser(Decode<UserClaims>("scoped_user"), account, now));
        Assert.Equal(JwtVerdict.Valid, JwtTrust.CheckUser(Decode<UserClaims>("perm_user"), account, now));
    }

    [Fact]
    public void Broken_links_of_the_chain_are_named()
    {
        var now = V.GeneratedTime;
        var op = Decode<OperatorClaims>("operator");
        var account = Decode<AccountClaims>("account");
        var system = Decode<AccountClaims>("system_account");
        Assert.Equal(JwtVerdict.Expired, JwtTrust.CheckUser(Decode<UserClaims>("expired_user"), account, now));
        Assert.Equal(JwtVerdict.NotYetValid, JwtTrust.CheckUser(Decode<UserClaims>("future_user"), account, now));
        Assert.Equal(JwtVerdict.Revoked, JwtTrust.CheckUser(Decode<UserClaims>("revoked_user"), account, now));
        Assert.True(account.IsRevoked(Decode<UserClaims>("revoked_user")));
        Assert.False(account.IsRevoked(Decode<UserClaims>("user"))); // the "*" entry is older than every user
        Assert.Equal(JwtVerdict.WrongAccount, JwtTrust.CheckUser(Decode<UserClaims>("user"), system, now));

        // The account forgets its signing key: users it signed are no longer vouched for.
        account.Nats.SigningKeys!.RemoveAll(k => k.Key == Key("account_signer"));
        Assert.Equal(JwtVerdict.UntrustedIssuer, JwtTrust.CheckUser(Decode<UserClaims>("signed_user"), account, now));

        // Bearer users in an account that disallows them.
        account.Nats.Limits!.DisallowBearer = true;
        Assert.Equal(JwtVerdict.BearerNotAllowed, JwtTrust.CheckUser(Decode<UserClaims>("perm_user"), account, now));

        // Strict signing key usage: the operator identity may no longer sign accounts.
        op.Nats.StrictSigningKeyUsage = true;
        Assert.Equal(JwtVerdict.UntrustedIssuer, JwtTrust.CheckAccount(system, op, now));
        Assert.Equal(JwtVerdict.Valid, JwtTrust.CheckAccount(Decode<AccountClaims>("account"), op, now));

        // An operator that never knew the signing key.
        op.Nats.SigningKeys = null;
        Assert.Equal(JwtVerdict.UntrustedIssuer, JwtTrust.CheckAccount(Decode<AccountClaims>("account"), op, now));
    }

    [Fact]
    public void Activations_let_the_named_account_import()
    {
        var now = V.GeneratedTime;
        var exporter = Decode<AccountClaims>("account");
        var importer = Key("other_account");
        var activation = Decode<ActivationClaims>("activation");
        Assert.Equal("svc.echo", activation.Nats.ImportSubject);
        Assert.Equal(ExportTypes.Service, activation.Nats.ImportType);
        Assert.Equal(Key("account"), activation.ExporterKey);
        Assert.Equal(JwtVerdict.Valid, JwtTrust.CheckActivation(activation, exporter, importer, now));

        var bySigningKey = Decode<ActivationClaims>("signed_activation");
        Assert.Equal(Key("account"), bySigningKey.ExporterKey);
        Assert.Equal(JwtVerdict.Valid, JwtTrust.CheckActivation(bySigningKey, exporter, importer, now));

        Assert.Equal(JwtVerdict.WrongSubject, JwtTrust.CheckActivation(activation, exporter, Key("system"), now));
        Assert.Equal(JwtVerdict.WrongAccount, JwtTrust.CheckActivation(activation, Decode<AccountClaims>("system_account"), importer, now));
        var export = exporter.Nats.Exports!.Single(e => e.IsService);
        export.Revocations = new RevocationList { [importer] = activation.IssuedAt };
        Assert.Equal(JwtVerdict.Revoked, JwtTrust.CheckActivation(activation, exporter, importer, now, export));
    }

    [Fact]
    public void Asking_for_the_wrong_kind_is_an_error()
    {
        Assert.False(JwtDecoder.TryDecode<AccountClaims>(V.Jwts["user"], out _, out var error));
        Assert.Equal("not account claim", error);
        Assert.Throws<JwtException>(() => JwtDecoder.Decode<OperatorClaims>(V.Jwts["account"]));
    }

    [Fact]
    public void The_official_creds_file_parses_to_the_user_JWT_and_seed()
    {
        var creds = CredsFile.Parse(V.Creds);
        Assert.Equal(V.Jwts["user"], creds.Jwt);
        Assert.Equal(V.Keys["user"].Seed, creds.Seed);
        using var pair = NKeyPair.FromSeed(creds.Seed);
        Assert.Equal(JwtDecoder.Decode<UserClaims>(creds.Jwt).Subject, pair.PublicKey);
    }
}
