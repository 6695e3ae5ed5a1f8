using EksSecurity.Engine.PodSecurity;

namespace EksSecurity.Tests.PodSecurity;

public class PodSecurityVersionTests
{
    [Theory]
    [InlineData("v1.0", 0)]
    [InlineData("v1.9", 9)]
    [InlineData("v1.10", 10)]
    [InlineData("v1.37", 37)]
    [InlineData("v1.99", 99)]
    [InlineData("v1.2147483647", int.MaxValue)]
    public void Parses_v1_minor(string text, int minor)
    {
        Assert.True(PodSecurityVersion.TryParse(text, out var v));
        Assert.False(v.IsLatest);
        Assert.Equal(1, v.Major);
        Assert.Equal(minor, v.Minor);
        Assert.Equal(text, v.ToString());
        Assert.Equal(v, PodSecurityVersion.Parse(text));
    }

    [Fact]
    public void Parses_latest()
    {
        Assert.True(PodSecurityVersion.TryParse("latest", out var v));
        Assert.True(v.IsLatest);
        Assert.Equal(PodSecurityVersion.Latest, v);
        Assert.Equal("latest", v.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("Latest")]
    [InlineData("LATEST")]
    [InlineData(" latest")]
    [InlineData("latest ")]
    [InlineData("v1.01")]
    [InlineData("v1.00")]
    [InlineData("v1.")]
    [InlineData("v1")]
    [InlineData("1.29")]
    [InlineData("V1.29")]
    [InlineData("v2.0")]
    [InlineData("v1.-1")]
    [InlineData("v1.+1")]
    [InlineData("v1.29.0")]
    [InlineData("v1.29 ")]
    [InlineData("v1.٣")] // a non-ASCII digit is not [0-9]
    [InlineData("v1.2147483648")] // overflows, as Go's strconv.Atoi on a 32-bit int
    public void Rejects_anything_else(string text)
    {
        Assert.False(PodSecurityVersion.TryParse(text, out _));
        var e = Assert.Throws<FormatException>(() => PodSecurityVersion.Parse(text));
        Assert.Contains($"\"{text}\"", e.Message);
        Assert.Contains("latest", e.Message);
        Assert.Contains("v1.<minor>", e.Message);
    }

    [Fact]
    public void Rejects_null() => Assert.False(PodSecurityVersion.TryParse(null, out _));

    [Fact]
    public void Compares_with_latest_above_every_minor()
    {
        var v0 = PodSecurityVersion.V1(0);
        var v9 = PodSecurityVersion.V1(9);
        var v10 = PodSecurityVersion.V1(10);
        var v99 = PodSecurityVersion.V1(99);
        Assert.True(v0 < v9 && v9 < v10 && v10 < v99 && v99 < PodSecurityVersion.Latest);
        Assert.True(PodSecurityVersion.Latest >= PodSecurityVersion.Latest);
        Assert.Equal(0, PodSecurityVersion.Latest.CompareTo(PodSecurityVersion.Latest));
        Assert.Equal(PodSecurityVersion.V1_0, default);
        Assert.NotEqual(PodSecurityVersion.Newest, PodSecurityVersion.Latest);
        var sorted = new[] { PodSecurityVersion.Latest, v10, v0, v99, v9 }.Order().Select(v => v.ToString());
        Assert.Equal(["v1.0", "v1.9", "v1.10", "v1.99", "latest"], sorted);
    }

    [Theory]
    [InlineData("v1.0", 0)]
    [InlineData("v1.36", 36)]
    [InlineData("v1.37", 37)]
    [InlineData("v1.38", 37)]
    [InlineData("v1.99", 37)]
    [InlineData("latest", 37)]
    public void Clamps_to_the_newest_check_version(string text, int effective)
    {
        var v = PodSecurityVersion.Parse(text);
        Assert.Equal(effective, v.EffectiveMinor);
        Assert.Equal(PodSecurityVersion.V1(effective), v.Clamp());
    }

    [Fact]
    public void Newest_minor_is_the_registry_maximum()
    {
        Assert.Equal(37, PodSecurityVersion.NewestMinor);
        Assert.Equal(PodSecurityVersion.NewestMinor, PodSecurityCheckRegistry.Default.MaxMinor);
        Assert.Equal(PodSecurityVersion.Newest, PodSecurityEvaluator.NewestVersion);
    }

    [Fact]
    public void Negative_minor_is_refused() => Assert.Throws<ArgumentOutOfRangeException>(() => PodSecurityVersion.V1(-1));
}

public class SafeSysctlsTests
{
    private static readonly string[] V1_0 =
        ["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start"];
    private static readonly string[] V1_27 = [.. V1_0, "net.ipv4.ip_local_reserved_ports"];
    private static readonly string[] V1_29 = [.. V1_27, "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"];
    private static readonly string[] V1_32 = [.. V1_29, "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"];
    private static readonly string[] V1_37 = [.. V1_32, "net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"];

    public static IEnumerable<object[]> Versions()
    {
        for (var minor = 0; minor <= 40; minor++) yield return [$"v1.{minor}"];
        yield return ["latest"];
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Allowed_set_per_version(string version)
    {
        var v = PodSecurityVersion.Parse(version);
        var m = v.EffectiveMinor;
        var expected = m >= 37 ? V1_37 : m >= 32 ? V1_32 : m >= 29 ? V1_29 : m >= 27 ? V1_27 : V1_0;
        var actual = SafeSysctls.AllowedAt(v);
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
        foreach (var name in expected) Assert.True(SafeSysctls.IsAllowed(name, v));
    }

    [Theory]
    [InlineData("net/ipv4/tcp_syncookies")] // no '/' normalisation
    [InlineData("net.ipv4")] // no prefix match
    [InlineData("net.ipv4.tcp_syncookies.x")]
    [InlineData("KERNEL.SHM_RMID_FORCED")] // case-sensitive
    [InlineData("")]
    [InlineData(null)]
    public void Matches_names_exactly(string? name) => Assert.False(SafeSysctls.IsAllowed(name, PodSecurityVersion.Latest));
}
