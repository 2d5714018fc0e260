using Akka.Configuration.Hocon;

namespace Broker.Configuration;

public static partial class BrokerConfigLoader
{
    /// <summary><c>authorization { user, password, token, timeout }</c> of a <c>cluster</c> or <c>gateway</c> block.</summary>
    /// <param name="regionUsers">A gateway's: <c>users</c>, one per region, each named as its region (a Broker extension).</param>
    private static LinkAuthorization ReadLinkAuthorization(string key, HoconValue value, ValueReader reader, bool regionUsers = false)
    {
        string? user = null, password = null, token = null;
        var users = new List<LinkCredentials>();
        var timeout = TimeSpan.FromSeconds(2);
        foreach (var (innerKey, inner) in reader.Block(key, value).Items)
        {
            var path = $"{key}.{innerKey}";
            if (ReadCredential(innerKey, path, inner, reader, ref user, ref password)) continue;
            switch (innerKey.ToLowerInvariant())
            {
                case "token":
                    token = reader.Text(path, inner);
                    break;
                case "timeout":
                    timeout = reader.Duration(path, inner);
                    break;
                case "users" when regionUsers:
                    foreach (var entry in reader.List(path, inner)) users.Add(ReadRegionUser(path, entry, reader));
                    break;
                case "users" or "nkey" or "permissions" or "account":
                    throw reader.Error(path, "not supported yet (a nats-server option this broker does not implement)");
                default:
                    throw reader.Error(path, "unknown authorization option");
            }
        }
        if (token is not null && (user is not null || password is not null)) throw reader.Error(key, "can not have a token and a user/password");
        if (users.Count > 0 && (token is not null || user is not null || password is not null)) throw reader.Error(key, "can not have users and a single user or token");
        if (users.Count == 0 && token is null && (user is null || password is null)) throw reader.Error(key, "authorization needs \"user\" and \"password\", or \"token\"");
        return new LinkAuthorization { User = user, Password = password, Token = token, Timeout = timeout, Users = users.Count == 0 ? [] : users.ToArray() };
    }

    private static LinkCredentials ReadRegionUser(string key, HoconValue value, ValueReader reader)
    {
        string? user = null, password = null;
        foreach (var (innerKey, inner) in reader.Block(key, value).Items)
        {
            if (!ReadCredential(innerKey, $"{key}.{innerKey}", inner, reader, ref user, ref password))
                throw reader.Error($"{key}.{innerKey}", "unknown option of a region user (a gateway user has \"user\", its region's name, and \"password\")");
        }
        if (user is null || password is null) throw reader.Error(key, "a region user needs \"user\" (its region's name) and \"password\"");
        return new LinkCredentials(user, password);
    }
}
