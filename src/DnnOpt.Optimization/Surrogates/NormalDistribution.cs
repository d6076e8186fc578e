using MathNet.Numerics;

namespace DnnOpt.Optimization.Surrogates;

/// <summary>Standard normal pdf/cdf in forms that stay finite in the far tails (acquisition functions work in logs).</summary>
internal static class NormalDistribution
{
    private static readonly double LogSqrt2Pi = 0.5 * Math.Log(2 * Math.PI);

    public static double Pdf(double z) => Math.Exp(LogPdf(z));

    public static double LogPdf(double z) => (-0.5 * z * z) - LogSqrt2Pi;

    public static double Cdf(double z) => 0.5 * SpecialFunctions.Erfc(-z / Math.Sqrt(2));

    /// <summary>log Phi(z); below z = -30 the Mills-ratio asymptote log phi(z) - log(-z) replaces an underflowing erfc.</summary>
    public static double LogCdf(double z) => z > -30 ? Math.Log(Cdf(z)) : LogPdf(z) - Math.Log(-z);
}
