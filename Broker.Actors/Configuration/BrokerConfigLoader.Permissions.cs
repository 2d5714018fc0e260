using Akka.Configuration.Hocon;

namespace Broker.Configuration;

/// <summary>
/// nats-server's user <c>permissions</c> in all its forms: <c>publish: "a.>"</c> or a list (an
/// allow list), <c>publish { allow, deny }</c>, the same for <c>subscribe</c> (entries may add a
/// queue group), and <c>allow_responses: true</c> or <c>{ max, expires }</c>.
/// </summary>
public static partial class BrokerConfigLoader
{
    private static PermissionsOptions ReadPermissions(string path, HoconValue value, ValueReader reader)
    {
        var permissions = new PermissionsOptions();
        foreach (var (key, inner) in reader.Block(path, value).Items)
        {
            var at = $"{path}.{key}";
            permissions = key.ToLowerInvariant() switch
            {
                "publish" or "pub" => permissions with { Publish = ReadSubjectPermission(at, inner, reader, queues: false) },
                "subscribe" or "sub" => permissions with { Subscribe = ReadSubjectPermission(at, inner, reader, queues: true) },
                "allow_responses" or "allow_resp" => permissions with { AllowResponses = ReadResponsePermission(at, inner, reader) },
                _ => throw reader.Error(at, "unknown permissions option (expected publish, subscribe or allow_responses)"),
            };
        }
        return permissions;
    }

    private static SubjectPermissionOptions ReadSubjectPermission(string path, HoconValue value, ValueReader reader, bool queues)
    {
        if (!value.IsObject()) return new SubjectPermissionOptions(PermissionSubjects(path, value, reader, queues), null);
        IReadOnlyList<string>? allow = null, deny = null;
        foreach (var (key, inner) in value.GetObject().Items)
        {
            switch (key.ToLowerInvariant())
            {
                case "allow":
                    allow = PermissionSubjects($"{path}.{key}", inner, reader, queues);
                    break;
                case "deny":
                    deny = PermissionSubjects($"{path}.{key}", inner, reader, queues);
                    break;
                default:
                    throw reader.Error($"{path}.{key}", "unknown permission option (expected allow or deny)");
            }
        }
        return new SubjectPermissionOptions(allow, deny);
    }

    /// <summary>One subject or a list of them, each a valid pattern (and for subscribe, maybe "subject queue").</summary>
    private static IReadOnlyList<string> PermissionSubjects(string path, HoconValue value, ValueReader reader, bool queues)
    {
        var subjects = value.IsArray() ? reader.List(path, value).Select(v => reader.Text(path, v)).ToList() : [reader.Text(path, value)];
        foreach (var entry in subjects)
        {
            var parts = entry.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var valid = parts.Length == 1 || (queues && parts.Length == 2);
            if (!valid || !Subjects.SubjectValidator.IsValidSubscribeSubject(System.Text.Encoding.ASCII.GetBytes(parts[0])))
                throw reader.Error(path, $"invalid permission subject \"{entry}\"");
        }
        return subjects;
    }

    private static ResponsePermissionOptions? ReadResponsePermission(string path, HoconValue value, ValueReader reader)
    {
        if (!value.IsObject()) return reader.Boolean(path, value) ? ResponsePermissionOptions.Default : null;
        var permission = ResponsePermissionOptions.Default;
        foreach (var (key, inner) in value.GetObject().Items)
        {
            permission = key.ToLowerInvariant() switch
            {
                "max" or "max_msgs" or "max_messages" => permission with { MaxMessages = (int)reader.Number($"{path}.{key}", inner, 1, int.MaxValue) },
                "expires" or "expiration" or "ttl" => permission with { Expires = reader.Duration($"{path}.{key}", inner) },
                _ => throw reader.Error($"{path}.{key}", "unknown allow_responses option (expected max or expires)"),
            };
        }
        return permission;
    }
}
