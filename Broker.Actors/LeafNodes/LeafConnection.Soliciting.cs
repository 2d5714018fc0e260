using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Broker.Protocol;
using Broker.Subjects;

namespace Broker.LeafNodes;

public sealed partial class LeafConnection
{
    private static readonly TimeSpan InfoWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ConnectInfoWait = TimeSpan.FromSeconds(2);


    /// <summary>True if the handshake ever completed (a remote resets its back-off after such a link).</summary>
    public bool WasEstablished => IsEstablished;

    /// <summary>
    /// Leaf side, as nats-server 2.9: the hub's INFO within 1 s (one without <c>client_id</c> or
    /// leaf URLs is some other port), TLS when either side asks for it, CONNECT with the URL's
    /// user and password or the creds file's JWT and nonce signature, then the INFO with
    /// <c>connect_info</c> within 2 s, which completes the link.
    /// </summary>
    internal async Task RunSolicitedAsync(LeafRemote remote, Uri url)
    {
        _remote = remote;
        IsSpoke = !remote.Options.Hub;
        byte[] json, leftover;
        try
        {
            (json, leftover) = await ReadInfoLineAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
            Close("Read Error");
            throw new IOException($"no INFO from the hub: {e.Message}", e);
        }
        var info = LeafInfo.TryParse(json);
        if (info is null || info.ClientId == 0 || (info.LeafNodeUrls is null && !info.InfoOnConnect))
        {
            _server.Log.Error($"{Description} - {LeafErrors.WrongPortSolicit}");
            Close("Wrong Port", LeafErrors.WrongPortSolicit);
            return;
        }
        RemoteServerId = info.ServerId;
        RemoteName = string.IsNullOrEmpty(info.ServerName) ? info.ServerId : info.ServerName;
        if (info.LeafNodeUrls is { } urls) remote.Learn(urls);
        var tls = remote.Options.Tls;
        if (tls is not null || info.TlsRequired)
        {
            if (leftover.Length > 0)
            {
                Close("Protocol Violation");
                return;
            }
            if (!await UpgradeAsClientAsync(url.Host, tls).ConfigureAwait(false)) return;
        }
        var connect = new LeafConnect
        {
            Version = ReportedVersion.Value,
            TlsRequired = tls is not null || info.TlsRequired,
            ServerId = _server.ServerId,
            Name = _server.ServerName,
            Headers = true,
            IsHub = remote.Options.Hub,
            Cluster = _server.Options.Cluster?.Name is { Length: > 0 } cluster ? cluster : null,
            DenyPublish = remote.Options.DenyImports.Count > 0 ? [.. remote.Options.DenyImports] : null,
        };
        if (!Credentials(remote, url, info.Nonce, connect)) return;
        SendProtocol(connect.ToFrame());
        _ = CloseUnlessEstablishedAsync(ConnectInfoWait, "Stale Connection", LeafErrors.StaleConnection);
        _ = Task.Run(() => ReadLoopAsync(leftover));
    }

    /// <summary>The creds file's JWT and its seed's signature of the nonce; else the URL's userinfo.</summary>
    private bool Credentials(LeafRemote remote, Uri url, string nonce, LeafConnect connect)
    {
        if (remote.Options.Credentials is { } path)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _server.Log.Error($"{Description} - can't read leafnode credentials file {path}: {e.Message}");
                Close("Missing Credentials");
                return false;
            }
            if (!Jwt.CredsFile.TryParse(text, out var creds, out var error))
            {
                _server.Log.Error($"{Description} - leafnode credentials file {path}: {error}");
                Close("Missing Credentials");
                return false;
            }
            using var pair = NKeys.NKeyPair.FromSeed(creds.Seed);
            connect.Jwt = creds.Jwt;
            connect.Sig = System.Buffers.Text.Base64Url.EncodeToString(pair.Sign(Encoding.ASCII.GetBytes(nonce ?? "")));
            return true;
        }
        if (url.UserInfo.Length > 0)
        {
            var colon = url.UserInfo.IndexOf(':');
            connect.User = Uri.UnescapeDataString(colon < 0 ? url.UserInfo : url.UserInfo[..colon]);
            if (colon >= 0) connect.Pass = Uri.UnescapeDataString(url.UserInfo[(colon + 1)..]);
        }
        return true;
    }

    /// <summary>Reads up to the INFO line's end; bytes after it are the read loop's.</summary>
    private async Task<(byte[] Json, byte[] Leftover)> ReadInfoLineAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
        timeout.CancelAfter(InfoWait);
        var buffer = new byte[4096];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length >= 1024 * 1024) throw new IOException("INFO too long");
                Array.Resize(ref buffer, length * 2);
            }
            var read = await _stream.ReadAsync(buffer.AsMemory(length), timeout.Token).ConfigureAwait(false);
            if (read == 0) throw new IOException("closed before INFO");
            length += read;
            var newline = buffer.AsSpan(0, length).IndexOf((byte)'\n');
            if (newline < 0) continue;
            var line = buffer.AsSpan(0, newline).TrimEnd((byte)'\r');
            if (!line.StartsWith("INFO "u8)) throw new IOException("the first line is not INFO");
            return (line[5..].ToArray(), buffer.AsSpan(newline + 1, length - newline - 1).ToArray());
        }
    }

    private async Task<bool> UpgradeAsClientAsync(string host, Configuration.LeafRemoteTls? tls)
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            ClientCertificates = tls?.Certificate is { } certificate ? [certificate] : null,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => HubCertificateValid(tls, certificate, errors),
        };
        try
        {
            using var timeout = new CancellationTokenSource(tls?.Timeout ?? TimeSpan.FromSeconds(2));
            await ssl.AuthenticateAsClientAsync(options, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or System.Security.Authentication.AuthenticationException)
        {
            _server.Log.Error($"{Description} - TLS handshake error: {(e is OperationCanceledException ? "timeout" : e.Message)}");
            Close("TLS Handshake Error");
            return false;
        }
        _stream = ssl;
        return true;
    }

    /// <summary>The hub's certificate chains to the remote's CA (or to the system's roots without one), unless <c>insecure</c>.</summary>
    private static bool HubCertificateValid(Configuration.LeafRemoteTls? tls, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (tls?.Insecure == true) return true;
        if (certificate is null) return false;
        if (tls?.Authorities is not { Count: > 0 } authorities) return errors == SslPolicyErrors.None;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var hub = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(hub) && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
    }
}
