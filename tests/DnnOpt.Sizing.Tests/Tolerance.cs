using System.Globalization;

namespace DnnOpt.Sizing.Tests;

/// <summary>The one comparison helper: |actual - expected| ≤ abs + rel·|expected|, NaN-aware, message shows both.</summary>
internal static class Tolerance
{
    public static bool Within(double actual, double expected, double rel, double abs)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            return double.IsNaN(expected) && double.IsNaN(actual);
        }

        return Math.Abs(actual - expected) <= abs + (rel * Math.Abs(expected));
    }

    public static void Equal(double expected, double actual, double rel, double abs, string what)
    {
        if (!Within(actual, expected, rel, abs))
        {
            Assert.Fail(string.Create(CultureInfo.InvariantCulture,
                $"{what}: expected {expected:R}, actual {actual:R}, |diff| {Math.Abs(actual - expected):R} > {abs:R} + {rel:R}*|expected|"));
        }
    }
}
