using DnnOpt.Optimization.Surrogates;

namespace DnnOpt.Optimization.Tests.Surrogates;

public class DotProductTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(64)]
    [InlineData(301)]
    public void Matches_a_scalar_reference(int n)
    {
        var rng = new Random(n);
        var a = Enumerable.Range(0, n).Select(_ => (2 * rng.NextDouble()) - 1).ToArray();
        var b = Enumerable.Range(0, n).Select(_ => (2 * rng.NextDouble()) - 1).ToArray();
        double reference = 0, magnitude = 0;
        for (int i = 0; i < n; i++)
        {
            reference += a[i] * b[i];
            magnitude += Math.Abs(a[i] * b[i]);
        }

        // Different summation order: agreement to rounding of the sum of magnitudes.
        Tolerance.Close(reference, DotProduct.Compute(a, b), relative: 0, absolute: 1e-15 * (magnitude + 1));
    }
}
