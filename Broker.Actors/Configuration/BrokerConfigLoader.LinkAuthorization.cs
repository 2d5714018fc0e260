using Akka.Configuration.Hocon;

namespace Broker.Configuration;

public static partial class BrokerConfigLoader
{
    /// <summary><c>authorization { user, password, token, timeout }</c> of a <c>cluster</c> or <c>gateway</c> block.</summary>
    private static LinkAuthorization ReadLinkAuthorization(string key, HoconValue value, ValueReader reader)
    {
        string? user = null, password = null, token = null;
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
                case "users" or "nkey" or "permissions" or "account":
                    throw reader.Error(path, "not supported yet (a nats-server option this broker does not implement)");
                default:
                    throw reader.Error(path, "unknown authorization option");
            }
        }
        if (token is not null && (user is not null || password is not null)) throw reader.Error(key, "can not have a token and a user/password");
        if (token is null && (user is null || password is null)) throw reader.Error(key, "authorization needs \"user\" and \"password\", or \"token\"");
        return new LinkAuthorization { User = user, Password = password, Token = token, Timeout = timeout };
    }
}
