using System.Globalization;
using Xunit.Sdk;

#pragma warning disable IDE0130 // One file linked into every test project: one namespace for all of them.
namespace DnnOpt.Testing;
#pragma warning restore IDE0130

/// <summary>
/// The one tolerance helper of the test suites (STYLE.md 20): |actual − expected| ≤ absolute + relative·|expected|,
/// NaN-aware (NaN matches only NaN), exact for infinities, and a failure message that shows both numbers. Linked into
/// each test project from tests/Shared.
/// </summary>
internal static class Tolerance
{
    /// <summary>Whether <paramref name="actual"/> is within the tolerance of <paramref name="expected"/>.</summary>
    public static bool Within(double actual, double expected, double relative, double absolute)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            return double.IsNaN(expected) && double.IsNaN(actual);
        }

        return expected.Equals(actual) || Math.Abs(actual - expected) <= absolute + (relative * Math.Abs(expected));
    }

    /// <summary>Fails unless <paramref name="actual"/> is within the tolerance of <paramref name="expected"/>.</summary>
    public static void Close(double expected, double actual, double relative = 1e-12, double absolute = 0, string? what = null)
    {
        if (!Within(actual, expected, relative, absolute))
        {
            throw new XunitException(string.Format(
                CultureInfo.InvariantCulture,
                "{0}expected {1:R}, actual {2:R} (|diff| {3:E3}; allowed {4:E3} = {5:E1} + {6:E1}·|expected|)",
                what is null ? string.Empty : what + ": ",
                expected,
                actual,
                Math.Abs(actual - expected),
                absolute + (relative * Math.Abs(expected)),
                absolute,
                relative));
        }
    }

    /// <summary>Fails unless the two sequences hold the same doubles bit for bit (signed zeros and NaN payloads included).</summary>
    public static void SameBits(IReadOnlyList<double> expected, IReadOnlyList<double> actual, string what)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: {expected.Count} vs {actual.Count} values");
        for (int i = 0; i < expected.Count; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
            {
                Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"{what}[{i}]: {expected[i]:R} vs {actual[i]:R}"));
            }
        }
    }

    /// <summary><see cref="Close"/> element by element, after checking the lengths agree.</summary>
    public static void AllClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double relative, double absolute, string? what = null)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Close(expected[i], actual[i], relative, absolute, $"{what}[{i}]");
        }
    }
}
