using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Broker.Configuration;
using Broker.Security;
using Broker.Tests.EndToEnd;
using Broker.Tests.Infrastructure;
using NATS.Client.Core;

namespace Broker.Tests.Security;

/// <summary>TLS for clients with certificates the test makes: a CA, the server's certificate and two client certificates.</summary>
public sealed class TlsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"broker-tls-{Guid.NewGuid():N}");

    public TlsTests()
    {
        Directory.CreateDirectory(_directory);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Broker Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        Write("ca.pem", ca.ExportCertificatePem());
        Issue(ca, "server", "CN=localhost", server: true);
        Issue(ca, "alice", "CN=alice,O=Acme", server: false);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = new CertificateRequest("CN=Other CA", otherKey, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        Write("mallory.pem", other.ExportCertificatePem());
        Write("mallory-key.pem", otherKey.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string File(string name) => Path.Combine(_directory, name);

    private void Write(string name, string pem) => System.IO.File.WriteAllText(File(name), pem);

    private void Issue(X509Certificate2 ca, string name, string subject, bool server)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        // Ends an hour before the CA does: "now + 1 day" read a moment after the CA's own could pass its end (a flaky ArgumentException).
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(23), RandomNumberGenerator.GetBytes(8));
        Write($"{name}.pem", issued.ExportCertificatePem());
        Write($"{name}-key.pem", key.ExportPkcs8PrivateKeyPem());
    }

    private Task<TestBroker> StartAsync(string extra = "") => TestBroker.StartAsync(o => BrokerConfigLoader.Parse($$"""
        tls { cert_file: "{{File("server.pem")}}", key_file: "{{File("server-key.pem")}}", ca_file: "{{File("ca.pem")}}", timeout: 5s {{extra}} }
        """) with { Host = o.Host, Port = o.Port });

    private Task<NatsConnection> ConnectAsync(TestBroker broker, string? certificate = null, string? user = null) =>
        NatsClients.ConnectAsync($"tls://127.0.0.1:{broker.Port}", o => o with
        {
            TlsOpts = new NatsTlsOpts
            {
                Mode = TlsMode.Require,
                CaFile = File("ca.pem"),
                CertFile = certificate is null ? null : File($"{certificate}.pem"),
                KeyFile = certificate is null ? null : File($"{certificate}-key.pem"),
            },
            AuthOpts = user is null ? NatsAuthOpts.Default : NatsAuthOpts.Default with { Username = user, Password = "unused" },
            MaxReconnectRetry = 0,
        });

    [Fact]
    public async Task Info_requires_tls_and_NATS_Net_talks_over_it()
    {
        await using var broker = await StartAsync();
        await using var raw = await RawClient.ConnectAsync(broker.Port, readInfo: false);
        Assert.Contains("\"tls_required\":true", await raw.ReadLineAsync());

        await using var client = await ConnectAsync(broker);
        await using var sub = await client.SubscribeCoreAsync<string>("secure");
        await client.PingAsync();
        await client.PublishAsync("secure", "encrypted");
        Assert.Equal("encrypted", (await NatsClients.ReadAsync(sub, 1)).Single().Data);
        Assert.Contains(broker.Server.Context.Connections.Values, c => c.IsTls && c.Options.Lang is not null);
    }

    [Fact]
    public async Task A_client_that_does_not_start_the_handshake_is_dropped_after_the_timeout()
    {
        await using var broker = await TestBroker.StartAsync(o => BrokerConfigLoader.Parse($$"""
            tls { cert_file: "{{File("server.pem")}}", key_file: "{{File("server-key.pem")}}", timeout: "300ms" }
            """) with { Host = o.Host, Port = o.Port });
        await using var raw = await RawClient.ConnectAsync(broker.Port);
        await raw.SendAsync("CONNECT {}\r\nPING\r\n");
        await raw.ReadToCloseAsync(TimeSpan.FromSeconds(20));
        Assert.True(raw.RemoteClosed);
        Assert.Contains(broker.Log.Lines, l => l.Contains("TLS handshake error"));
    }

    [Fact]
    public async Task With_verify_a_client_needs_a_certificate_from_the_configured_ca()
    {
        await using var broker = await StartAsync(", verify: true");
        await using var alice = await ConnectAsync(broker, "alice");
        await alice.PingAsync();

        await Assert.ThrowsAnyAsync<Exception>(async () => await (await ConnectAsync(broker)).PingAsync());
        await Assert.ThrowsAnyAsync<Exception>(async () => await (await ConnectAsync(broker, "mallory")).PingAsync());
        await broker.Log.WaitForAsync(l => l.Contains("TLS handshake error"));
    }

    [Fact]
    public async Task Verify_and_map_names_the_user_by_the_certificate_subject()
    {
        using var alice = X509Certificate2.CreateFromPem(System.IO.File.ReadAllText(File("alice.pem")));
        var subject = CertificateIdentities.Of(alice).First();
        Assert.Equal("CN=alice,O=Acme", subject);
        await using var broker = await StartAsync($", verify_and_map: true }}\nauthorization {{ users: [ {{ user: \"{subject}\", password: \"\" }} ]");
        await using var client = await ConnectAsync(broker, "alice");
        await client.PingAsync();
        Assert.Equal(subject, Assert.Single(broker.Server.Context.Connections.Values).User);
    }

    /// <summary>The certificate a new TLS connection is shown, read off a raw handshake after INFO (which comes in the clear).</summary>
    private static async Task<X509Certificate2> PresentedCertificateAsync(int port)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        var buffer = new byte[4096];
        var read = 0;
        while (!System.Text.Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n")) read += await stream.ReadAsync(buffer.AsMemory(read));
        X509Certificate2? presented = null;
        using var ssl = new System.Net.Security.SslStream(stream, false, (_, certificate, _, _) =>
        {
            presented = X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData());
            return true;
        });
        await ssl.AuthenticateAsClientAsync("localhost");
        return presented!;
    }

    [Fact]
    public async Task A_reload_rotates_the_certificate_for_new_connections_and_keeps_the_connected_ones()
    {
        await using var broker = await StartAsync();
        await using var before = await ConnectAsync(broker);
        await before.PingAsync();
        var first = await PresentedCertificateAsync(broker.Port);

        // A new self-signed server certificate: the raw handshake only reads which one is presented.
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rotated = new CertificateRequest("CN=localhost", caKey, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(23));
        Write("rotated.pem", rotated.ExportCertificatePem());
        Write("rotated-key.pem", caKey.ExportPkcs8PrivateKeyPem());
        var updated = BrokerConfigLoader.Parse($$"""
            tls { cert_file: "{{File("rotated.pem")}}", key_file: "{{File("rotated-key.pem")}}", ca_file: "{{File("ca.pem")}}", timeout: 5s }
            """) with { Host = broker.Server.Context.Options.Host, Port = broker.Server.Context.Options.Port };
        broker.Server.ApplyReload(updated);

        var second = await PresentedCertificateAsync(broker.Port);
        Assert.NotEqual(first.SerialNumber, second.SerialNumber);
        Assert.Equal(rotated.SerialNumber, second.SerialNumber);
        // The connection made before the reload keeps its session and is served on.
        await before.PingAsync();
        Assert.Equal(NatsConnectionState.Open, before.ConnectionState);
    }

    [Fact]
    public void Unreadable_certificates_are_refused_at_start_with_the_key()
    {
        var error = Assert.Throws<ConfigurationException>(() => BrokerConfigLoader.Parse($"tls {{ cert_file: \"{File("nope.pem")}\", key_file: \"{File("server-key.pem")}\" }}"));
        Assert.Equal("tls", error.Key);
        Assert.Contains("cannot load the certificate", error.Message);
        // As nats-server: verify without ca_file checks client certificates against the system's roots.
        var noCa = BrokerConfigLoader.Parse($"tls {{ cert_file: \"{File("server.pem")}\", key_file: \"{File("server-key.pem")}\", verify: true }}");
        Assert.True(noCa.Tls!.Verify);
        Assert.Null(noCa.Tls.Authorities);
    }
}
