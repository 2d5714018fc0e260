using System.Text.Json;
using Broker.Jwt;
using Broker.NKeys;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.Accounts.LiveClaims;

/// <summary>
/// Each scenario runs against a started server (Broker or nats-server 2.9) with clients that
/// connected before the change, and returns what an observer sees: the bytes a raw client got
/// until its close (server PINGs left out, their timing is the server's own), and the -ERR the
/// NATS.Net client was told. The tests assert the same result from both servers.
/// </summary>
internal sealed partial class LiveClaimsScenarios(OperatorSetup keys, ServerUnderTest server)
{
    private static DateTimeOffset Now => DateTimeOffset.UtcNow;

    private async Task<NatsConnection> SystemAsync()
    {
        var user = keys.NewUser();
        return await server.ConnectAsync(OperatorSetup.UserJwt(keys.System, user), user);
    }

    private async Task<string> PushAAsync(NatsConnection system, Action<AccountClaims> shape)
    {
        var reply = await ServerUnderTest.UpdateAsync(system, keys.A.PublicKey, keys.AccountJwt(keys.A, c => { keys.InitialA(c); shape(c); }));
        return Message(reply);
    }

    private static string Message(JsonElement reply) =>
        reply.TryGetProperty("data", out var data) ? data.GetProperty("message").GetString()! : reply.GetProperty("error").GetProperty("description").GetString()!;

    /// <summary>What a raw client got until the server closed it.</summary>
    private static async Task<string> ClosingBytesAsync(RawClient raw) =>
        (await raw.ReadToCloseAsync(TimeSpan.FromSeconds(20))).Replace("PING\r\n", "", StringComparison.Ordinal);

    /// <summary>"open" when the client still gets a PONG, else the bytes it got before its close.</summary>
    private static async Task<string> StateAsync(RawClient raw)
    {
        await raw.SendAsync("PING\r\n");
        try
        {
            var got = await raw.ReadUntilAsync("PONG\r\n");
            return got.Replace("PING\r\n", "", StringComparison.Ordinal) == "PONG\r\n" ? "open" : got;
        }
        catch (IOException)
        {
            return (raw.Pending).Replace("PING\r\n", "", StringComparison.Ordinal);
        }
    }

    private static async Task StillServedAsync(RawClient raw)
    {
        await raw.SendAsync("PING\r\n");
        var got = await raw.ReadUntilAsync("PONG\r\n");
        Assert.DoesNotContain("-ERR", got);
    }

    /// <summary>The first -ERR text NATS.Net raises for <paramref name="connection"/>.</summary>
    private static Task<string> FirstServerErrorAsync(NatsConnection connection)
    {
        var error = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ServerError += (_, e) =>
        {
            error.TrySetResult(e.Error);
            return ValueTask.CompletedTask;
        };
        return error.Task;
    }

    /// <summary>Completes when NATS.Net loses <paramref name="connection"/>.</summary>
    private static Task DisconnectedAsync(NatsConnection connection)
    {
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.ConnectionDisconnected += (_, _) =>
        {
            lost.TrySetResult();
            return ValueTask.CompletedTask;
        };
        return lost.Task;
    }

    /// <summary>A's new JWT revokes one user by key: that user's connections close, the other user's stay.</summary>
    public async Task<string> RevokedByKeyAsync()
    {
        await using var system = await SystemAsync();
        var revoked = keys.NewUser();
        var kept = keys.NewUser();
        var issued = Now.AddMinutes(-1);
        var revokedJwt = OperatorSetup.UserJwt(keys.A, revoked, issuedAt: issued);
        await using var raw = await server.ConnectRawAsync(revokedJwt, revoked);
        await using var other = await server.ConnectRawAsync(OperatorSetup.UserJwt(keys.A, kept, issuedAt: issued), kept);
        await using var nats = await server.ConnectAsync(revokedJwt, revoked);
        var told = FirstServerErrorAsync(nats);

        Assert.Equal("jwt updated", await PushAAsync(system, c => (c.Nats.Revocations = new RevocationList()).Revoke(revoked.PublicKey, Now)));

        var bytes = await ClosingBytesAsync(raw);
        await StillServedAsync(other);
        return $"{bytes}|{await told.WaitAsync(TimeSpan.FromSeconds(20))}";
    }

    /// <summary>A revocation of "*": users issued at or before its time are closed, users issued after stay.</summary>
    public async Task<string> RevokedAllBeforeAsync()
    {
        await using var system = await SystemAsync();
        var old = keys.NewUser();
        var recent = keys.NewUser();
        await using var raw = await server.ConnectRawAsync(OperatorSetup.UserJwt(keys.A, old, issuedAt: Now.AddMinutes(-5)), old);
        await using var other = await server.ConnectRawAsync(OperatorSetup.UserJwt(keys.A, recent, issuedAt: Now), recent);

        Assert.Equal("jwt updated", await PushAAsync(system, c => (c.Nats.Revocations = new RevocationList()).Revoke(RevocationList.All, Now.AddMinutes(-1))));

        var bytes = await ClosingBytesAsync(raw);
        await StillServedAsync(other);
        return bytes;
    }

    /// <summary>A's new JWT drops the signing key: its users are closed (no -ERR); users A signed itself stay.</summary>
    public async Task<string> SigningKeyRemovedAsync()
    {
        await using var system = await SystemAsync();
        var delegated = keys.NewUser();
        var direct = keys.NewUser();
        var delegatedJwt = OperatorSetup.UserJwt(keys.A, delegated, signer: keys.SigningKey);
        await using var raw = await server.ConnectRawAsync(delegatedJwt, delegated);
        await using var other = await server.ConnectRawAsync(OperatorSetup.UserJwt(keys.A, direct), direct);
        await using var nats = await server.ConnectAsync(delegatedJwt, delegated);
        var lost = DisconnectedAsync(nats);

        Assert.Equal("jwt updated", await PushAAsync(system, c => c.Nats.SigningKeys = []));

        var bytes = await ClosingBytesAsync(raw);
        await StillServedAsync(other);
        await lost.WaitAsync(TimeSpan.FromSeconds(20));
        return bytes;
    }

    /// <summary>
    /// A user of A's scoped key is held to the scope's template (no publishing to <c>x</c>); A's new
    /// JWT changes the scope: the user is closed, without an -ERR.
    /// </summary>
    public async Task<string> ScopeChangedAsync()
    {
        await using var system = await SystemAsync();
        var user = keys.NewUser();
        // A scoped user carries no permissions or limits of its own (nsc writes them all as 0).
        var jwt = OperatorSetup.UserJwt(keys.A, user, u => (u.Nats.Subs, u.Nats.Data, u.Nats.Payload) = (0, 0, 0), signer: keys.ScopedKey);
        await using var raw = await server.ConnectRawAsync(jwt, user);
        await raw.SendAsync("PUB x 1\r\na\r\nPUB y 1\r\nb\r\nPING\r\n");
        var held = (await raw.ReadUntilAsync("PONG\r\n")).Replace("PING\r\n", "", StringComparison.Ordinal);

        Assert.Equal("jwt updated", await PushAAsync(system, c =>
        {
            c.Nats.SigningKeys!.RemoveAll(k => k.Key == keys.ScopedKey.PublicKey);
            c.Nats.SigningKeys.Add(keys.Scope("y"));
        }));

        return $"{held}|{await ClosingBytesAsync(raw)}";
    }

    /// <summary>A's new <c>conn</c> limit of 1 with three connected: nats-server keeps the newest and closes the older two.</summary>
    public async Task<string> ConnectionLimitAsync()
    {
        await using var system = await SystemAsync();
        var user = keys.NewUser();
        var jwt = OperatorSetup.UserJwt(keys.A, user);
        await using var nats = await server.ConnectAsync(jwt, user);
        var told = FirstServerErrorAsync(nats);
        await using var oldest = await server.ConnectRawAsync(jwt, user);
        await using var middle = await server.ConnectRawAsync(jwt, user);
        await using var newest = await server.ConnectRawAsync(jwt, user);

        Assert.Equal("jwt updated", await PushAAsync(system, c => c.Nats.Limits!.Connections = 1));

        return $"{await StateAsync(oldest)}|{await StateAsync(middle)}|{await StateAsync(newest)}|{await told.WaitAsync(TimeSpan.FromSeconds(20))}";
    }

    /// <summary>A's new <c>subs</c> limit of 2: a client with 3 subscriptions, and one with exactly 2, against one with 1.</summary>
    public async Task<string> SubscriptionLimitAsync()
    {
        await using var system = await SystemAsync();
        var user = keys.NewUser();
        var jwt = OperatorSetup.UserJwt(keys.A, user);
        await using var over = await server.ConnectRawAsync(jwt, user);
        await over.SendAsync("SUB a 1\r\nSUB b 2\r\nSUB c 3\r\nPING\r\n");
        await over.ReadUntilAsync("PONG\r\n");
        await using var at = await server.ConnectRawAsync(jwt, user);
        await at.SendAsync("SUB a 1\r\nSUB b 2\r\nPING\r\n");
        await at.ReadUntilAsync("PONG\r\n");
        await using var under = await server.ConnectRawAsync(jwt, user);
        await under.SendAsync("SUB a 1\r\nPING\r\n");
        await under.ReadUntilAsync("PONG\r\n");

        Assert.Equal("jwt updated", await PushAAsync(system, c => c.Nats.Limits!.Subs = 2));

        var result = $"{await ClosingBytesAsync(over)}|{await ClosingBytesAsync(at)}";
        await under.SendAsync("SUB b 2\r\nPING\r\n");
        return result + "|" + (await under.ReadUntilAsync("PONG\r\n")).Replace("PING\r\n", "", StringComparison.Ordinal);
    }

    /// <summary>A's new <c>payload</c> limit of 8: an open connection's 10-byte PUB is now a violation.</summary>
    public async Task<string> PayloadLimitAsync()
    {
        await using var system = await SystemAsync();
        var user = keys.NewUser();
        await using var raw = await server.ConnectRawAsync(OperatorSetup.UserJwt(keys.A, user), user);

        Assert.Equal("jwt updated", await PushAAsync(system, c => c.Nats.Limits!.Payload = 8));

        await raw.SendAsync("PUB x 8\r\n12345678\r\nPING\r\n");
        var fits = (await raw.ReadUntilAsync("PONG\r\n")).Replace("PING\r\n", "", StringComparison.Ordinal);
        await raw.SendAsync("PUB x 10\r\n1234567890\r\n");
        return $"{fits}|{await ClosingBytesAsync(raw)}";
    }

    /// <summary>A bearer user of A, then A's JWT sets <c>disallow_bearer</c>.</summary>
    public async Task<string> BearerDisallowedAsync()
    {
        await using var system = await SystemAsync();
        var user = keys.NewUser();
        await using var raw = await server.ConnectRawAsync(OperatorSetup.UserJwt(keys.A, user, u => u.Nats.BearerToken = true), null);

        Assert.Equal("jwt updated", await PushAAsync(system, c => c.Nats.Limits!.DisallowBearer = true));

        return await ClosingBytesAsync(raw);
    }

    /// <summary>A user JWT that expires 3-4 s after connecting (time for both clients to connect under load).</summary>
    public async Task<string> UserExpiryAsync()
    {
        var user = keys.NewUser();
        var jwt = OperatorSetup.UserJwt(keys.A, user, u => u.Expires = Now.AddSeconds(4).ToUnixTimeSeconds());
        await using var raw = await server.ConnectRawAsync(jwt, user);
        await using var nats = await server.ConnectAsync(jwt, user);
        var told = FirstServerErrorAsync(nats);
        return $"{await ClosingBytesAsync(raw)}|{await told.WaitAsync(TimeSpan.FromSeconds(20))}";
    }

    /// <summary>A user whose <c>times</c> window (UTC) ends 4-5 s after connecting.</summary>
    public async Task<string> TimeWindowEndAsync()
    {
        var user = keys.NewUser();
        var now = Now;
        // Whole seconds: the window's end is at least 4 s away, time for both clients to connect on a loaded machine.
        var end = now.AddSeconds(5);
        var window = new TimeRange { Start = now.AddMinutes(-30).ToString("HH:mm:ss"), End = end.ToString("HH:mm:ss") };
        var jwt = OperatorSetup.UserJwt(keys.A, user, u => u.Nats.Times = [window]);
        await using var raw = await server.ConnectRawAsync(jwt, user);
        await using var nats = await server.ConnectAsync(jwt, user);
        var told = FirstServerErrorAsync(nats);
        return $"{await ClosingBytesAsync(raw)}|{await told.WaitAsync(TimeSpan.FromSeconds(20))}";
    }

    /// <summary>A's new JWT expires 3-4 s from now: A's connections close then; B's stay.</summary>
    public async Task<string> AccountExpiryAsync()
    {
        await using var system = await SystemAsync();
        var user = keys.NewUser();
        var other = keys.NewUser();
        await using var raw = await server.ConnectRawAsync(OperatorSetup.UserJwt(keys.A, user), user);
        await using var inB = await server.ConnectRawAsync(OperatorSetup.UserJwt(keys.B, other), other);
        await using var nats = await server.ConnectAsync(OperatorSetup.UserJwt(keys.A, user), user);
        var told = FirstServerErrorAsync(nats);

        Assert.Equal("jwt updated", await PushAAsync(system, c => c.Expires = Now.AddSeconds(4).ToUnixTimeSeconds()));

        var bytes = await ClosingBytesAsync(raw);
        await StillServedAsync(inB);
        return $"{bytes}|{await told.WaitAsync(TimeSpan.FromSeconds(20))}";
    }

    /// <summary>
    /// A's new <c>default_permissions</c> deny publishing to <c>x</c>: nats-server keeps an open
    /// connection's permissions, a new connection gets the new ones. Returns both clients' replies.
    /// </summary>
    public async Task<string> DefaultPermissionsAsync()
    {
        await using var system = await SystemAsync();
        var user = keys.NewUser();
        var jwt = OperatorSetup.UserJwt(keys.A, user);
        await using var before = await server.ConnectRawAsync(jwt, user);

        Assert.Equal("jwt updated", await PushAAsync(system, c => c.Nats.DefaultPermissions = new Permissions { Pub = new Permission { Deny = ["x"] } }));

        await using var after = await server.ConnectRawAsync(jwt, user);
        await before.SendAsync("PUB x 1\r\na\r\nPING\r\n");
        var old = await before.ReadUntilAsync("PONG\r\n");
        await after.SendAsync("PUB x 1\r\na\r\nPING\r\n");
        var fresh = await after.ReadUntilAsync("PONG\r\n");
        return $"{old}|{fresh}".Replace("PING\r\n", "", StringComparison.Ordinal);
    }

    /// <summary>
    /// Bad JWTs pushed for A (malformed, expired, signed by another operator, an account's key for
    /// another account): each gets an error reply, and A's open connection is untouched.
    /// </summary>
    public async Task<List<string>> BadInputAsync()
    {
        await using var system = await SystemAsync();
        var user = keys.NewUser();
        await using var raw = await server.ConnectRawAsync(OperatorSetup.UserJwt(keys.A, user), user);
        using var stranger = NKeyPair.Create(NKeyType.Operator);
        var revoking = AccountClaims.For(keys.A.PublicKey);
        (revoking.Nats.Revocations = new RevocationList()).Revoke(RevocationList.All, Now);
        var expired = AccountClaims.For(keys.A.PublicKey);
        (expired.Nats.Revocations = new RevocationList()).Revoke(RevocationList.All, Now);
        expired.Expires = Now.AddMinutes(-1).ToUnixTimeSeconds();
        var bad = new[]
        {
            "not a jwt",
            keys.AccountJwt(keys.A)[..40],
            JwtEncoder.Encode(revoking, stranger),
            JwtEncoder.Encode(expired, keys.Operator),
            keys.AccountJwt(keys.B, c => (c.Nats.Revocations = new RevocationList()).Revoke(RevocationList.All, Now)),
        };
        var replies = new List<string>();
        foreach (var jwt in bad)
        {
            var reply = await ServerUnderTest.UpdateAsync(system, keys.A.PublicKey, jwt);
            replies.Add(reply.TryGetProperty("error", out var error) ? $"error {error.GetProperty("code").GetInt32()}" : Message(reply));
        }
        await StillServedAsync(raw);
        return replies;
    }

    /// <summary>
    /// A live subscriber in B on imported <c>news.&gt;</c>, <c>other.&gt;</c> and <c>later.&gt;</c>; A's new
    /// JWT drops the <c>news.&gt;</c> export and adds <c>later.&gt;</c>. Returns the subjects it received,
    /// in order, up to a marker on <c>other.&gt;</c> published after the others.
    /// </summary>
    public async Task<List<string>> ExportsRewiredAsync()
    {
        await using var system = await SystemAsync();
        var subscriberUser = keys.NewUser();
        var publisherUser = keys.NewUser();
        await using var subscriber = await server.ConnectAsync(OperatorSetup.UserJwt(keys.B, subscriberUser), subscriberUser);
        await using var publisher = await server.ConnectAsync(OperatorSetup.UserJwt(keys.A, publisherUser), publisherUser);
        await using var sub = await subscriber.SubscribeCoreAsync<string>(">");
        await subscriber.PingAsync();
        var received = new List<string>();

        async Task RoundAsync(string marker)
        {
            // Interest in B reaches A's subjects through the import: wait for it with the marker itself.
            await publisher.PublishAsync("news.1", "n");
            await publisher.PublishAsync("later.1", "l");
            await publisher.PublishAsync($"other.{marker}", "m");
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (true)
            {
                var msg = await sub.Msgs.ReadAsync(cts.Token);
                received.Add(msg.Subject);
                if (msg.Subject == $"other.{marker}") break;
            }
        }

        await RoundAsync("before");
        Assert.Equal("jwt updated", await PushAAsync(system, c => c.Nats.Exports =
        [
            new Export { Subject = "other.>", Type = ExportTypes.Stream },
            new Export { Subject = "later.>", Type = ExportTypes.Stream },
        ]));
        await RoundAsync("after");
        return received;
    }
}
