using System.Text;
using System.Text.Json;
using Broker.Jwt;
using Broker.NKeys;
using Broker.Tests.Infrastructure;

namespace Broker.Tests.Accounts.LiveClaims;

/// <summary>
/// The live effects on leaf links: a raw leaf that connected to the hub's leafnode port with a
/// user JWT of A (a <c>.creds</c> leaf), then A's JWT changes or the user's runs out. Each returns
/// the bytes the leaf got until the hub closed it (PINGs left out), or "open".
/// </summary>
internal sealed partial class LiveClaimsScenarios
{
    /// <summary>A raw leaf of a JWT user on <paramref name="leafPort"/>, past CONNECT and a PONG.</summary>
    public static async Task<RawClient> ConnectRawLeafAsync(int leafPort, string jwt, NKeyPair user)
    {
        var raw = await RawClient.ConnectAsync(leafPort, readInfo: false);
        var info = await raw.ReadLineAsync();
        var nonce = JsonDocument.Parse(info["INFO ".Length..]).RootElement.GetProperty("nonce").GetString()!;
        var signature = Convert.ToBase64String(user.Sign(Encoding.ASCII.GetBytes(nonce))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var name = $"rawleaf-{Guid.NewGuid():N}";
        await raw.SendAsync($"CONNECT {{\"jwt\":\"{jwt}\",\"sig\":\"{signature}\",\"server_id\":\"{name}\",\"name\":\"{name}\",\"headers\":true}}\r\nPING\r\n");
        await raw.ReadUntilAsync("PONG\r\n");
        return raw;
    }

    /// <summary>What a leaf got until the hub closed it, INFO updates and PINGs left out (their timing is the hub's own).</summary>
    private static async Task<string> LeafClosingBytesAsync(RawClient raw) => WithoutInfo(await ClosingBytesAsync(raw));

    private static string WithoutInfo(string bytes) =>
        string.Concat(bytes.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("INFO ", StringComparison.Ordinal)).Select(l => l + "\r\n"));

    private static async Task<string> LeafStateAsync(RawClient raw)
    {
        var state = await StateAsync(raw);
        return state == "open" ? state : WithoutInfo(state);
    }

    /// <summary>A's new JWT revokes the user of one leaf: that leaf is closed, a leaf of another user stays.</summary>
    public async Task<string> LeafRevokedAsync(int leafPort)
    {
        await using var system = await SystemAsync();
        var revoked = keys.NewUser();
        var kept = keys.NewUser();
        var issued = Now.AddMinutes(-1);
        await using var leaf = await ConnectRawLeafAsync(leafPort, OperatorSetup.UserJwt(keys.A, revoked, issuedAt: issued), revoked);
        await using var other = await ConnectRawLeafAsync(leafPort, OperatorSetup.UserJwt(keys.A, kept, issuedAt: issued), kept);

        Assert.Equal("jwt updated", await PushAAsync(system, c => (c.Nats.Revocations = new RevocationList()).Revoke(revoked.PublicKey, Now)));

        var bytes = await LeafClosingBytesAsync(leaf);
        await StillServedAsync(other);
        return bytes;
    }

    /// <summary>A's new JWT drops the signing key that signed one leaf's user: that leaf is closed; a leaf A signed itself stays.</summary>
    public async Task<string> LeafSigningKeyRemovedAsync(int leafPort)
    {
        await using var system = await SystemAsync();
        var delegated = keys.NewUser();
        var direct = keys.NewUser();
        await using var leaf = await ConnectRawLeafAsync(leafPort, OperatorSetup.UserJwt(keys.A, delegated, signer: keys.SigningKey), delegated);
        await using var other = await ConnectRawLeafAsync(leafPort, OperatorSetup.UserJwt(keys.A, direct), direct);

        Assert.Equal("jwt updated", await PushAAsync(system, c => c.Nats.SigningKeys = []));

        var bytes = await LeafClosingBytesAsync(leaf);
        await StillServedAsync(other);
        return bytes;
    }

    /// <summary>A leaf whose user JWT expires 3-4 s after it connected.</summary>
    public async Task<string> LeafUserExpiryAsync(int leafPort)
    {
        var user = keys.NewUser();
        await using var leaf = await ConnectRawLeafAsync(leafPort, OperatorSetup.UserJwt(keys.A, user, u => u.Expires = Now.AddSeconds(4).ToUnixTimeSeconds()), user);
        return await LeafClosingBytesAsync(leaf);
    }

    /// <summary>A's new JWT expires 3-4 s from now: the leaf of A's user is closed then.</summary>
    public async Task<string> LeafAccountExpiryAsync(int leafPort)
    {
        await using var system = await SystemAsync();
        var user = keys.NewUser();
        await using var leaf = await ConnectRawLeafAsync(leafPort, OperatorSetup.UserJwt(keys.A, user), user);

        Assert.Equal("jwt updated", await PushAAsync(system, c => c.Expires = Now.AddSeconds(4).ToUnixTimeSeconds()));

        return await LeafClosingBytesAsync(leaf);
    }

    /// <summary>Two leaves of A, then A's new JWT lowers <c>leaf</c> to 1: the state of the older and the newer link.</summary>
    public async Task<string> LeafLimitLoweredAsync(int leafPort)
    {
        await using var system = await SystemAsync();
        var user = keys.NewUser();
        var jwt = OperatorSetup.UserJwt(keys.A, user);
        await using var older = await ConnectRawLeafAsync(leafPort, jwt, user);
        await using var newer = await ConnectRawLeafAsync(leafPort, jwt, user);

        Assert.Equal("jwt updated", await PushAAsync(system, c => c.Nats.Limits!.LeafNodeConnections = 1));

        return $"{await LeafStateAsync(older)}|{await LeafStateAsync(newer)}";
    }
}
