using Akka.Actor;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Broker.Accounts;
using Broker.Protocol;
using Broker.Subjects;

namespace Broker.LeafNodes;

public sealed partial class LeafConnection
{
    private string? _nonce;
    private LeafRemote? _remote;
    private int _pingsOut;

    /// <summary>
    /// Hub side, as nats-server 2.9: INFO (with a nonce) at once, in the clear; with <c>leafnodes.tls</c>
    /// the leaf then starts the TLS handshake; CONNECT must come within the authorization timeout.
    /// </summary>
    internal void StartAccepted()
    {
        _nonce = Security.Nonce.Create();
        var info = _leafs.CreateInfo(Id, RemoteEndPoint?.Address.ToString(), _nonce).ToFrame();
        _ = Task.Run(() => RunAcceptedAsync(info));
    }

    private async Task RunAcceptedAsync(byte[] info)
    {
        try
        {
            await _stream.WriteAsync(info, _closing.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            Close("Write Error");
            return;
        }
        if (_leafs.Options.Tls is { } tls && !await UpgradeAsServerAsync(tls).ConfigureAwait(false)) return;
        _ = CloseUnlessEstablishedAsync(_leafs.Options.AuthTimeout, "Authentication Timeout", ProtocolErrors.AuthenticationTimeout);
        await ReadLoopAsync().ConfigureAwait(false);
    }

    private async Task<bool> UpgradeAsServerAsync(Configuration.TlsOptions tls)
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificate = tls.Certificate,
            ClientCertificateRequired = tls.Verify,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => !tls.Verify || Clients.ClientConnection.ClientCertificateValid(tls, certificate, errors),
        };
        try
        {
            using var timeout = new CancellationTokenSource(tls.Timeout);
            await ssl.AuthenticateAsServerAsync(options, timeout.Token).ConfigureAwait(false);
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

    private async Task CloseUnlessEstablishedAsync(TimeSpan after, string why, string error)
    {
        try
        {
            await Task.Delay(after, _closing.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (!IsEstablished) Close(why, error);
    }

    /// <summary>The leaf's CONNECT, on the hub: who it is, whether it may connect, which account it binds to.</summary>
    private void OnConnect(ReadOnlySpan<byte> json)
    {
        if (IsSolicited || IsEstablished)
        {
            Close("Protocol Violation", ProtocolErrors.UnknownOperation);
            return;
        }
        var connect = LeafConnect.TryParse(json);
        if (connect is null)
        {
            Close("Protocol Violation", ProtocolErrors.UnknownOperation);
            return;
        }
        if (!string.IsNullOrEmpty(connect.Lang))
        {
            Close("Wrong Port", LeafErrors.WrongPort);
            return;
        }
        if (!string.IsNullOrEmpty(connect.Gateway))
        {
            Close("Wrong Gateway", LeafErrors.GatewayOnLeafPort(connect.Gateway));
            return;
        }
        if (!string.IsNullOrEmpty(connect.Cluster) && connect.Cluster == _server.Options.Cluster?.Name)
        {
            Close("Cluster Names Identical", LeafErrors.SameCluster);
            return;
        }
        var bound = LeafAuthorizer.Authorize(connect, _leafs.Options, _server.Options, _server.Authenticator, _nonce);
        if (bound is null || !_server.Accounts.TryGet(bound.Account, out var account))
        {
            _server.Log.Error($"{Description} - authentication error");
            Close("Authentication Failure", ProtocolErrors.AuthorizationViolation);
            return;
        }
        IsSpoke = connect.IsHub;
        RemoteServerId = connect.ServerId ?? "";
        RemoteName = string.IsNullOrEmpty(connect.Name) ? RemoteServerId : connect.Name;
        RemoteCluster = string.IsNullOrEmpty(connect.Cluster) ? null : connect.Cluster;
        // The same leaf server again on this account: the new link replaces the old (nats-server keeps the newer too).
        foreach (var old in _leafs.Connections)
        {
            if (!ReferenceEquals(old, this) && !old.IsSolicited && old.IsEstablished && old.RemoteName == RemoteName && old.RemoteCluster == RemoteCluster && old.Account == account)
            {
                _server.Log.Warn($"{Description} - Replacing connection from same server");
                old.Close("Duplicate Remote LeafNode Connection", LeafErrors.Duplicate);
            }
        }
        if (OverAccountLeafLimit(account))
        {
            Close("Maximum Account Connections Exceeded", ProtocolErrors.MaxAccountConnectionsExceeded);
            return;
        }
        // Hub side, nats-server's swap: the leaf receives what its user may subscribe to (less the
        // leaf's own deny_imports, sent as deny_pub) and sends what its user may publish.
        _outgoingRule = LeafSubjectRule.From(bound.Permissions?.Subscribe, connect.DenyPublish);
        _incomingRule = LeafSubjectRule.From(bound.Permissions?.Publish);
        var info = _leafs.CreateInfo(Id, RemoteEndPoint?.Address.ToString(), _nonce!);
        info.Import = bound.Permissions?.Subscribe is { } import ? LeafSubjectRule.From(import)?.ToWire() : null;
        info.Export = bound.Permissions?.Publish is { } export ? LeafSubjectRule.From(export)?.ToWire() : null;
        info.ConnectInfo = true;
        info.RemoteAccount = account.Name;
        info.InfoOnConnect = false;
        Establish(account, info.ToFrame());
        if (bound.Jwt is { } user) StartExpiry(user, _server.OperatorAccounts?.Find(account.Name));
    }

    /// <summary>An INFO from the hub, on the leaf: the one with <c>connect_info</c> completes the handshake; later ones are updates.</summary>
    private void OnInfo(ReadOnlySpan<byte> json)
    {
        if (!IsSolicited) return;
        var info = LeafInfo.TryParse(json);
        if (info is null) return;
        if (info.LeafNodeUrls is { } urls) _remote?.Learn(urls);
        if (IsEstablished || !info.ConnectInfo) return;
        // The hub's word on what this leaf may import and export, merged with the remote's own deny lists.
        var options = _remote!.Options;
        _incomingRule = LeafSubjectRule.From(info.Import?.Allow, info.Import?.Deny, options.DenyImports);
        _outgoingRule = LeafSubjectRule.From(info.Export?.Allow, info.Export?.Deny, options.DenyExports);
        if (!_server.Accounts.TryGet(_remote!.Options.LocalAccount, out var account))
        {
            Close("Missing Account");
            return;
        }
        Establish(account, null);
    }

    /// <summary>The link is trusted from here on: the peer learns the account's interest and may send its own and messages.</summary>
    private void Establish(Account account, byte[]? info)
    {
        Account = account;
        _changes = new PendingChanges();
        _delivery = new DeliveryContext(this) { Echo = false, FromOtherNode = IsSpoke, PausesForRoom = true };
        if (info is not null) SendProtocol(info);
        IsEstablished = true;
        _leafs.InterestOf(account).Attach(this);
        _leafs.Established(this);
        _server.Log.Notice($"{Description} - Leafnode connection created for account: {account.Name}");
        if (!IsSolicited) _server.SystemEvents?.Tell(new LeafNodeConnected(account.Name));
        // A first PING measures the round trip (/leafz rtt), as nats-server does at connect.
        SendPing();
        _ = PingLoopAsync();
    }

    private long _pingSentAt;
    private long _rttTicks;

    /// <summary>The last measured round trip to the peer (PING to PONG).</summary>
    public TimeSpan Rtt => TimeSpan.FromTicks(Interlocked.Read(ref _rttTicks));

    private void SendPing()
    {
        Interlocked.CompareExchange(ref _pingSentAt, System.Diagnostics.Stopwatch.GetTimestamp(), 0);
        SendProtocol(ProtocolBytes.Ping);
    }

    private void OnPong()
    {
        _pingsOut = 0;
        var sent = Interlocked.Exchange(ref _pingSentAt, 0);
        if (sent != 0) Interlocked.Exchange(ref _rttTicks, System.Diagnostics.Stopwatch.GetElapsedTime(sent).Ticks);
    }

    /// <summary>PING every ping_interval; a peer that answers none of ping_max of them is stale.</summary>
    private async Task PingLoopAsync()
    {
        var interval = _server.Options.PingInterval;
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_closing.Token).ConfigureAwait(false))
            {
                if (Environment.TickCount64 - Volatile.Read(ref _lastReceived) < interval.TotalMilliseconds) _pingsOut = 0;
                if (++_pingsOut > _server.Options.PingMax)
                {
                    Close("Stale Connection", ProtocolErrors.StaleConnection);
                    return;
                }
                SendPing();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
