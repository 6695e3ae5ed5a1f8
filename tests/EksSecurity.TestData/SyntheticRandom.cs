namespace EksSecurity.TestData;

/// <summary>
/// A small, fast, deterministic random source (SplitMix64). Unlike <see cref="Random"/> and
/// <see cref="string.GetHashCode()"/>, its sequence is fixed across processes, platforms and
/// .NET versions, so a seed always gives the same cluster. Each object gets its own stream from
/// (seed, stream name, index), so a section can be generated in any order, or twice, and come out
/// the same.
/// </summary>
public sealed class SyntheticRandom
{
    private const string KubernetesSuffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";
    private ulong _state;

    public SyntheticRandom(ulong seed) => _state = seed;

    /// <summary>The random stream of one object: the same (seed, stream, index) always gives the same sequence.</summary>
    public static SyntheticRandom For(int seed, string stream, long index = 0) =>
        new(Mix(Mix((ulong)(uint)seed ^ Fnv1a(stream)) ^ (ulong)index));

    /// <summary>A derived stream, for a part of an object that must not shift when other parts change.</summary>
    public SyntheticRandom Fork(string stream, long index = 0) => new(Mix(NextUInt64() ^ Fnv1a(stream) ^ Mix((ulong)index)));

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>0 ≤ result &lt; max.</summary>
    public int Next(int max) => max <= 1 ? 0 : (int)(NextUInt64() % (ulong)max);

    /// <summary>min ≤ result ≤ max (inclusive).</summary>
    public int Between(int min, int max) => max <= min ? min : min + Next(max - min + 1);

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double probability) => probability > 0 && NextDouble() < probability;

    /// <summary>A standard normal variate (Box–Muller).</summary>
    public double Normal()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Picks by weight; <paramref name="weights"/> need not sum to 1.</summary>
    public int PickWeighted(ReadOnlySpan<double> weights)
    {
        double total = 0;
        foreach (var w in weights) total += w;
        var x = NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0) return i;
        }
        return weights.Length - 1;
    }

    /// <summary>The alphabet Kubernetes uses for generated name suffixes (pod names, ReplicaSet hashes).</summary>
    public string KubeSuffix(int length)
    {
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++) chars[i] = KubernetesSuffixAlphabet[Next(KubernetesSuffixAlphabet.Length)];
        return new string(chars);
    }

    public string Hex(int length)
    {
        const string digits = "0123456789abcdef";
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++) chars[i] = digits[Next(16)];
        return new string(chars);
    }

    public string UpperAlphaNumeric(int length)
    {
        const string digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++) chars[i] = digits[Next(digits.Length)];
        return new string(chars);
    }

    public string Digits(int length)
    {
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++) chars[i] = (char)('0' + Next(10));
        return new string(chars);
    }

    /// <summary>A random (version 4 layout) UUID, as Kubernetes writes metadata.uid.</summary>
    public string Uuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, NextUInt64());
        BitConverter.TryWriteBytes(bytes[8..], NextUInt64());
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 0x100000001B3UL;
        }
        return hash;
    }
}
