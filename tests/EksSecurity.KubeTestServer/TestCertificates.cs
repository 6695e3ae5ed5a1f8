using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EksSecurity.KubeTestServer;

/// <summary>
/// A throwaway certificate authority and a server certificate it signed, for 127.0.0.1, ::1 and
/// localhost, made in memory (ECDSA P-256). Clients trust <see cref="CaPem"/>, the way a
/// kubeconfig's certificate-authority-data names the cluster CA.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private TestCertificates(X509Certificate2 ca, X509Certificate2 server)
    {
        Ca = ca;
        Server = server;
        CaPem = ca.ExportCertificatePem() + "\n";
    }

    /// <summary>The CA certificate (public part only).</summary>
    public X509Certificate2 Ca { get; }
    /// <summary>The server certificate with its private key.</summary>
    public X509Certificate2 Server { get; }
    /// <summary>The CA certificate in PEM, as certificate-authority-data carries it (base64 of this text).</summary>
    public string CaPem { get; }

    public static TestCertificates Create(string commonName = "kube-test-server")
    {
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        var notAfter = DateTimeOffset.UtcNow.AddDays(30);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={commonName}-ca, O=EksSecurity tests", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        var caSki = new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false);
        caRequest.CertificateExtensions.Add(caSki);
        using var caWithKey = caRequest.CreateSelfSigned(notBefore, notAfter.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", serverKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(caSki));
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        san.AddDnsName("localhost");
        san.AddDnsName("kubernetes");
        san.AddDnsName("kubernetes.default.svc");
        request.CertificateExtensions.Add(san.Build());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var signed = request.Create(caWithKey, notBefore, notAfter, serial);
        using var withKey = signed.CopyWithPrivateKey(serverKey);
        // Round-trip through PKCS#12 so the key is usable by the TLS stack on every platform.
        var server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        var ca = X509CertificateLoader.LoadCertificate(caWithKey.RawData);
        return new TestCertificates(ca, server);
    }

    /// <summary>A TLS validation callback that trusts exactly this CA (for HttpClient in tests).</summary>
    public RemoteCertificateValidationCallback Validator => (_, certificate, _, errors) =>
    {
        if (certificate is null) return false;
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    };

    public void Dispose()
    {
        Server.Dispose();
        Ca.Dispose();
    }
}
