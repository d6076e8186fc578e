using System.Globalization;
using Xunit.Sdk;

namespace DnnOpt.Optimization.Tests;

/// <summary>The one tolerance helper (STYLE.md 20): relative + absolute, NaN-aware, shows both numbers.</summary>
internal static class Tolerance
{
    public static void Close(double expected, double actual, double relative = 1e-12, double absolute = 0, string? what = null)
    {
        if (double.IsNaN(expected) && double.IsNaN(actual))
        {
            return;
        }

        if (expected.Equals(actual))
        {
            return;
        }

        double allowed = absolute + (relative * Math.Max(Math.Abs(expected), Math.Abs(actual)));
        if (!(Math.Abs(expected - actual) <= allowed))
        {
            throw new XunitException(string.Create(
                CultureInfo.InvariantCulture,
                $"{what ?? "value"}: expected {expected:R}, actual {actual:R}, |diff| {Math.Abs(expected - actual):R} > allowed {allowed:R} (rel {relative:R}, abs {absolute:R})"));
        }
    }
}
