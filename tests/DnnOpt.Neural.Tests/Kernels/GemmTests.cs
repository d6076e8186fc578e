using DnnOpt.Neural.Kernels;

namespace DnnOpt.Neural.Tests.Kernels;

public sealed class GemmTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 }, { 1, 7, 3 }, { 3, 5, 17 }, { 4, 8, 16 }, { 5, 9, 33 }, { 7, 40, 128 }, { 13, 128, 30 },
        { 64, 3, 15 }, { 17, 31, 9 }, { 6, 300, 13 }, { 256, 20, 128 }, { 9, 0, 4 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float_product_matches_scalar_reference(int m, int k, int n)
    {
        var rng = new Random((m * 1000) + (k * 10) + n);
        float[] a = Enumerable.Range(0, m * k).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        float[] b = Enumerable.Range(0, k * n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        float[] c = Enumerable.Range(0, m * n).Select(_ => (float)rng.NextDouble()).ToArray();
        float[] initial = (float[])c.Clone();

        Gemm.Multiply<float>(a, b, c, m, k, n, accumulate: false);
        double[] reference = Reference(a.Select(x => (double)x).ToArray(), b.Select(x => (double)x).ToArray(), m, k, n);
        Tolerance.AllClose(reference, c.Select(x => (double)x).ToArray(), 1e-5, 1e-5 * Math.Sqrt(k + 1), "C");

        Array.Copy(initial, c, c.Length);
        Gemm.Multiply<float>(a, b, c, m, k, n, accumulate: true);
        double[] accumulated = reference.Select((x, i) => x + initial[i]).ToArray();
        Tolerance.AllClose(accumulated, c.Select(x => (double)x).ToArray(), 1e-5, 1e-5 * Math.Sqrt(k + 1), "C+");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Double_product_matches_scalar_reference(int m, int k, int n)
    {
        var rng = new Random(7 + m + k + n);
        double[] a = Enumerable.Range(0, m * k).Select(_ => rng.NextDouble() - 0.5).ToArray();
        double[] b = Enumerable.Range(0, k * n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        double[] c = new double[m * n];
        Gemm.Multiply<double>(a, b, c, m, k, n, accumulate: false);
        Tolerance.AllClose(Reference(a, b, m, k, n), c, 1e-13, 1e-14, "C");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Transposed_left_operand_matches_explicit_transpose(int m, int k, int n)
    {
        var rng = new Random(m + (31 * k) + (17 * n));
        double[] at = Enumerable.Range(0, k * m).Select(_ => rng.NextDouble() - 0.5).ToArray();
        double[] a = new double[m * k];
        Gemm.Transpose<double>(at, a, k, m);
        double[] b = Enumerable.Range(0, k * n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        double[] c = new double[m * n];
        Gemm.MultiplyTransposedA<double>(at, b, c, m, k, n, accumulate: false);
        Tolerance.AllClose(Reference(a, b, m, k, n), c, 1e-13, 1e-14, "AᵀB");
    }

    [Fact]
    public void Row_range_computes_only_those_rows()
    {
        const int m = 11, k = 6, n = 19;
        var rng = new Random(3);
        double[] a = Enumerable.Range(0, m * k).Select(_ => rng.NextDouble()).ToArray();
        double[] b = Enumerable.Range(0, k * n).Select(_ => rng.NextDouble()).ToArray();
        double[] whole = new double[m * n];
        double[] parts = new double[m * n];
        Gemm.Multiply<double>(a, b, whole, m, k, n, false);
        Gemm.Multiply<double>(a, b, parts, m, k, n, false, 0, 5);
        Assert.All(parts.Skip(5 * n), x => Assert.Equal(0.0, x));
        Gemm.Multiply<double>(a, b, parts, m, k, n, false, 5, m);
        Assert.Equal(whole, parts);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 17)]
    [InlineData(33, 5)]
    [InlineData(40, 128)]
    public void Transpose_swaps_indices(int m, int n)
    {
        double[] source = Enumerable.Range(0, m * n).Select(i => (double)i).ToArray();
        double[] destination = new double[m * n];
        Gemm.Transpose<double>(source, destination, m, n);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                Assert.Equal(source[(i * n) + j], destination[(j * m) + i]);
            }
        }
    }

    private static double[] Reference(double[] a, double[] b, int m, int k, int n)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                {
                    s += a[(i * k) + p] * b[(p * n) + j];
                }

                c[(i * n) + j] = s;
            }
        }

        return c;
    }
}
