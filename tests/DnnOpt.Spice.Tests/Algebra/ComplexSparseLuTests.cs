using System.Numerics;
using DnnOpt.Spice.Algebra;

namespace DnnOpt.Spice.Tests.Algebra;

/// <summary>
/// The complex LU solves A x = b and Aᵀ x = b (residual below 1e-10 of the largest product: threshold pivoting at 1e-3, as SPICE's, allows element growth, the same
/// allowance the real LU's tests make) on seeded random sparse matrices of odd
/// and even sizes, starting from the real LU's order and, when the imaginary parts dominate, after its own reordering.
/// </summary>
public sealed class ComplexSparseLuTests
{
    public static TheoryData<int, int, double> Cases() => new()
    {
        { 1, 1, 0.1 }, { 7, 2, 0.1 }, { 16, 3, 1.0 }, { 33, 4, 1e3 }, { 101, 5, 1e6 }, { 64, 6, 0.0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Solves_the_system_and_its_transpose(int n, int seed, double imagScale)
    {
        var rng = new Random(seed);
        var entries = new Dictionary<(int, int), (double Re, double Im)>();
        for (int i = 0; i < n; i++)
        {
            // Diagonally dominant in modulus, as MNA rows of G + jwC are, so the error bound is the plain one.
            double d = 2 + rng.NextDouble();
            entries[(i, i)] = (d, d * imagScale * (1 + rng.NextDouble()));
            for (int k = 0; k < 3; k++)
            {
                int j = rng.Next(n);
                (double re, double im) = entries.GetValueOrDefault((i, j));
                entries[(i, j)] = (re + (0.5 * (rng.NextDouble() - 0.5)), im + (0.5 * imagScale * (rng.NextDouble() - 0.5)));
            }
        }

        int[] rows = [.. entries.Keys.Select(k => k.Item1)];
        int[] cols = [.. entries.Keys.Select(k => k.Item2)];
        double[] real = [.. entries.Values.Select(v => v.Re)];
        Complex[] values = [.. entries.Values.Select(v => new Complex(v.Re, v.Im))];

        var realLu = new SparseLu(n, rows, cols);
        Assert.Equal(LuStatus.Ok, realLu.Factor(real).Status);
        var lu = new ComplexSparseLu(realLu);
        Assert.Equal(LuStatus.Ok, lu.Factor(values).Status);
        Complex[] b = [.. Enumerable.Range(0, n).Select(_ => new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5))];

        Complex[] x = (Complex[])b.Clone();
        lu.Solve(x);
        AssertResidual(rows, cols, values, x, b, transpose: false);

        Complex[] xt = (Complex[])b.Clone();
        lu.SolveTransposed(xt);
        AssertResidual(rows, cols, values, xt, b, transpose: true);

        // A second factorisation with the same pattern reuses the order (no new ordering for unchanged values).
        int orderings = lu.OrderingCount;
        Assert.Equal(LuStatus.Ok, lu.Factor(values).Status);
        Assert.Equal(orderings, lu.OrderingCount);
    }

    [Fact]
    public void Reorders_when_the_real_pivots_become_too_small()
    {
        // Real part makes (0,0) the natural pivot; the imaginary part then dwarfs it in row 0.
        int[] rows = [0, 0, 1, 1];
        int[] cols = [0, 1, 0, 1];
        var realLu = new SparseLu(2, rows, cols);
        Assert.Equal(LuStatus.Ok, realLu.Factor([1.0, 0.0, 0.0, 1.0]).Status);
        var lu = new ComplexSparseLu(realLu);
        Complex[] values = [new(1e-9, 0), new(0, 1), new(0, 1), new(1e-9, 0)];
        Assert.Equal(LuStatus.Ok, lu.Factor(values).Status);
        Assert.Equal(1, lu.OrderingCount);
        Complex[] x = [Complex.One, new(0, 2)];
        lu.Solve(x);
        AssertResidual(rows, cols, values, x, [Complex.One, new(0, 2)], transpose: false);
    }

    private static void AssertResidual(int[] rows, int[] cols, Complex[] values, Complex[] x, Complex[] b, bool transpose)
    {
        var ax = new Complex[b.Length];
        double scale = 0;
        for (int e = 0; e < rows.Length; e++)
        {
            int r = transpose ? cols[e] : rows[e];
            int c = transpose ? rows[e] : cols[e];
            ax[r] += values[e] * x[c];
            scale = Math.Max(scale, Complex.Abs(values[e]) * Complex.Abs(x[c]));
        }

        for (int i = 0; i < b.Length; i++)
        {
            Assert.True(Complex.Abs(ax[i] - b[i]) <= 1e-10 * Math.Max(scale, 1), $"row {i}: residual {Complex.Abs(ax[i] - b[i]):E3} (transpose {transpose})");
        }
    }
}
