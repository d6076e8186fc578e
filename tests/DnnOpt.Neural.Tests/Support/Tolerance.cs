using System.Globalization;
using Xunit.Sdk;

namespace DnnOpt.Neural.Tests.Support;

/// <summary>The one tolerance check of the test suite: |a − e| ≤ abs + rel·|e|, NaN-aware, with both numbers in the failure.</summary>
internal static class Tolerance
{
    public static void Close(double expected, double actual, double relative, double absolute, string? what = null)
    {
        bool ok = double.IsNaN(expected)
            ? double.IsNaN(actual)
            : !double.IsNaN(actual) && Math.Abs(actual - expected) <= absolute + (relative * Math.Abs(expected));
        if (!ok)
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

    public static void AllClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double relative, double absolute, string? what = null)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Close(expected[i], actual[i], relative, absolute, $"{what}[{i}]");
        }
    }
}
