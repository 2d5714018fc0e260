using Broker.Configuration;
using Broker.Logging;
using Broker.Server;

namespace Broker.Host.Reload;

/// <summary>
/// SIGHUP / <c>--signal reload</c>: re-reads the configuration file (flags applied on top again) and
/// applies it all or nothing, as nats-server's <c>Server.Reload</c>. A bad file or a change that
/// cannot be applied is refused with nats-server's wording and the running configuration stays.
/// Applied: logging (debug, trace, logtime, log_file, log_size_limit), <see cref="BrokerServer.LiveReloadable"/>
/// and <see cref="BrokerServer.AuthorizationReloadable"/>; every other changed option is refused with
/// <c>config reload not supported for &lt;Field&gt;</c>.
/// </summary>
internal sealed class ConfigReload
{
    private static readonly HashSet<string> Reloadable = new(StringComparer.Ordinal)
    {
        nameof(BrokerOptions.Debug), nameof(BrokerOptions.Trace), nameof(BrokerOptions.Logtime),
        nameof(BrokerOptions.LogFile), nameof(BrokerOptions.LogSizeLimit),
    };

    /// <summary>nats-server's names for the reloaded options, in its "Reloaded: name = value" lines.</summary>
    private static readonly Dictionary<string, string> ReloadedNames = new(StringComparer.Ordinal)
    {
        [nameof(BrokerOptions.LogFile)] = "log_file",
        [nameof(BrokerOptions.LogSizeLimit)] = "log_size_limit",
    };

    private readonly object _gate = new();
    private readonly CommandLine _line;
    private readonly string? _configFile;
    private readonly string _baseDirectory;
    private readonly ReloadableServerLog _log;
    private readonly TextWriter _output;

    public ConfigReload(CommandLine line, BrokerOptions current, string? configFile, string baseDirectory, ReloadableServerLog log, TextWriter output)
    {
        _line = line;
        Current = current;
        _configFile = configFile;
        _baseDirectory = baseDirectory;
        _log = log;
        _output = output;
    }

    /// <summary>The running broker, once started: the live options are applied to it.</summary>
    public BrokerServer? Server { get; set; }

    /// <summary>The configuration in force: the one started with, or the last reloaded.</summary>
    public BrokerOptions Current { get; private set; }

    /// <summary>Reloads; returns null, or why the reload was refused (also logged). One reload at a time.</summary>
    public string? Run()
    {
        lock (_gate)
        {
            var refusal = TryReload();
            if (refusal is not null) _log.Error($"Failed to reload server configuration: {refusal}");
            return refusal;
        }
    }

    private string? TryReload()
    {
        if (_configFile is null) return "can only reload config when a file is provided using -c or --config";
        BrokerOptions updated;
        try
        {
            updated = HostRunner.LoadOptions(_line with { ConfigFile = _configFile }, _baseDirectory).Options;
        }
        catch (ConfigurationException e)
        {
            return e.Message;
        }

        var changes = OptionsDifference.Between(Current, updated);
        foreach (var (name, old, @new) in changes)
        {
            if (name == nameof(BrokerOptions.NoAuthUser))
            {
                // As nats-server: no_auth_user may only go away, and only with its user.
                if (updated.NoAuthUser is null && !Users(updated).Contains(Current.NoAuthUser!)) continue;
                return $"config reload not supported for {name}: old={old ?? ""}, new={@new ?? ""}";
            }
            if (name == nameof(BrokerOptions.Cluster) && ClusterRoutesReload.Refusal(Current.Cluster, updated.Cluster) is { } clusterRefusal) return clusterRefusal;
            if (Reloadable.Contains(name) || BrokerServer.LiveReloadable.ContainsKey(name) || BrokerServer.AuthorizationReloadable.ContainsKey(name)) continue;
            // As nats-server, a random port is reported as the port it was bound to.
            var shown = name == nameof(BrokerOptions.Port) && old is <= 0 && Server is not null ? Server.ClientEndpoint.Port : old;
            return $"config reload not supported for {name}: old={Describe(shown)}, new={Describe(@new)}";
        }
        if (changes.Count > 0)
        {
            try
            {
                HostLog.Configure(_log, updated, _output);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return $"error opening file: {e.Message}";
            }
            var authorization = changes.Any(c => BrokerServer.AuthorizationReloadable.ContainsKey(c.Name));
            // nats-server names users and accounts together, whichever changed.
            if (authorization)
            {
                _log.Notice("Reloaded: authorization users");
                _log.Notice("Reloaded: accounts");
            }
            foreach (var (name, _, @new) in changes)
            {
                if (name is nameof(BrokerOptions.Users) or nameof(BrokerOptions.Accounts)) continue;
                if (BrokerServer.AuthorizationReloadable.TryGetValue(name, out var authKey))
                {
                    _log.Notice($"Reloaded: {authKey}");
                    continue;
                }
                if (name == nameof(BrokerOptions.Cluster))
                {
                    _log.Notice("Reloaded: cluster routes");
                    continue;
                }
                if (name == nameof(BrokerOptions.Tls))
                {
                    _log.Notice($"Reloaded: tls = {(@new is null ? "disabled" : "enabled")}");
                    continue;
                }
                var key = BrokerServer.LiveReloadable.GetValueOrDefault(name) ?? ReloadedNames.GetValueOrDefault(name, name.ToLowerInvariant());
                _log.Notice($"Reloaded: {key} = {Describe(@new)}");
            }
            // After the "Reloaded:" lines, as nats-server: what the new rules do to live clients is logged next.
            Server?.ApplyReload(new ReloadPlan(updated, authorization, ImportChanges.Between(Current, updated)));
        }
        Current = updated;
        _log.Notice("Reloaded server configuration");
        return null;
    }

    /// <summary>Every user name (an NKey user's is its key) of a configuration.</summary>
    private static HashSet<string> Users(BrokerOptions options) =>
        options.Users.Concat(options.Accounts.SelectMany(a => a.Users)).Select(u => u.Name).ToHashSet(StringComparer.Ordinal);

    private static string Describe(object? value) => value switch
    {
        null => "<nil>",
        bool b => b ? "true" : "false",
        TimeSpan t => GoDuration.Format(t),
        string or int or long or double => value.ToString()!,
        _ => "{...}",
    };
}
