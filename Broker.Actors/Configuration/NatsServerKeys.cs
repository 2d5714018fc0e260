namespace Broker.Configuration;

/// <summary>
/// Top-level keys nats-server 2.9 understands that this broker does not implement yet, so that a
/// nats-server configuration using them is refused with "not supported yet" rather than "unknown".
/// </summary>
internal static class NatsServerKeys
{
    public static readonly IReadOnlySet<string> NotSupportedYet = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "client_advertise", "trace_verbose", "logtime_utc", "mappings", "disable_sublist_cache", "no_sublist_cache",
        "https", "https_port", "http_base_path",
        "websocket", "ws", "mqtt",
        "jetstream", "store_dir", "storedir", "default_js_domain",
        "syslog", "remote_syslog",
        "ports_file_dir", "prof_port",
        "max_sub_tokens", "max_subscription_tokens",
        "ocsp", "allow_non_tls",
        "trusted", "trusted_keys", "no_header_support", "connect_error_reports", "reconnect_error_reports", "server_tags",
    };
}
