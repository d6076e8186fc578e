using System.Numerics;
using DnnOpt.Spice.Algebra;

namespace DnnOpt.Spice.Tests.Algebra;

/// <summary>
/// The near-linear Markowitz ordering against its oracle, the former O(n^2) ordering kept in this project
/// (<see cref="ReferenceMarkowitzOrdering{T, TMagnitude}"/>): the same pivot sequence, fill pattern and slot map on
/// seeded random matrices (unsymmetric, MNA-like with many exactly tied candidates, structural zeros, singular ones,
/// real and complex); and the LU it drives solves like dense Gaussian elimination.
/// </summary>
public sealed class MarkowitzOrderingTests
{
    /// <summary>Random unsymmetric pattern, a few entries per row; values from a small set (ties) or continuous.</summary>
    private static (int[] Rows, int[] Cols, double[] Values) Unsymmetric(int n, int seed, bool discrete, double zeroFraction)
    {
        var rng = new Random(seed);
        var entries = new Dictionary<(int, int), double>();
        double[] levels = [1, -1, 2, 0.5, -0.5, 1e-3];
        double Value() => rng.NextDouble() < zeroFraction ? 0 : discrete ? levels[rng.Next(levels.Length)] : rng.NextDouble() - 0.5;
        int[] perm = [.. Enumerable.Range(0, n).OrderBy(_ => rng.Next())];
        for (int i = 0; i < n; i++)
        {
            entries[(i, perm[i])] = discrete ? 2 : 2 + rng.NextDouble();
            int extra = rng.Next(4);
            for (int k = 0; k < extra; k++)
            {
                entries[(i, rng.Next(n))] = Value();
            }
        }

        return ([.. entries.Keys.Select(k => k.Item1)], [.. entries.Keys.Select(k => k.Item2)], [.. entries.Values]);
    }

    /// <summary>
    /// An MNA-like matrix: nodes on a line and a 2-D mesh joined by conductances from a few values (so many candidates
    /// tie exactly), transconductances (unsymmetric), voltage-source branches (±1, zero diagonal), and structural zeros
    /// (capacitor slots at DC).
    /// </summary>
    private static (int[] Rows, int[] Cols, double[] Values) MnaLike(int nodes, int sources, int seed, int zeroSlots)
    {
        var rng = new Random(seed);
        int n = nodes + sources;
        var entries = new Dictionary<(int, int), double>();
        void Add(int r, int c, double v) => entries[(r, c)] = entries.GetValueOrDefault((r, c)) + v;
        void Conductance(int a, int b, double g)
        {
            Add(a, a, g);
            if (b >= 0)
            {
                Add(b, b, g);
                Add(a, b, -g);
                Add(b, a, -g);
            }
        }

        double[] gs = [1e-3, 1e-3, 2e-3, 1, 1e-6];
        int side = Math.Max(1, (int)Math.Sqrt(nodes));
        for (int i = 0; i < nodes; i++)
        {
            if (i + 1 < nodes && rng.Next(3) > 0)
            {
                Conductance(i, i + 1, gs[rng.Next(gs.Length)]);
            }

            if (i + side < nodes && rng.Next(2) == 0)
            {
                Conductance(i, i + side, gs[rng.Next(gs.Length)]);
            }

            if (rng.Next(4) == 0)
            {
                Conductance(i, -1, gs[rng.Next(gs.Length)]);
            }

            if (rng.Next(5) == 0)
            {
                // gm from a controlling node into node i's equation (and out of a third node's).
                int g = rng.Next(nodes);
                int o = rng.Next(nodes);
                double gm = rng.Next(2) == 0 ? 1e-4 : 2e-4;
                Add(i, g, gm);
                Add(o, g, -gm);
            }
        }

        for (int s = 0; s < sources; s++)
        {
            int b = nodes + s;
            int p = rng.Next(nodes);
            Add(p, b, 1);
            Add(b, p, 1);
            if (rng.Next(2) == 0)
            {
                int m = rng.Next(nodes);
                if (m != p)
                {
                    Add(m, b, -1);
                    Add(b, m, -1);
                }
            }
        }

        for (int z = 0; z < zeroSlots; z++)
        {
            int a = rng.Next(nodes);
            int c = rng.Next(nodes);
            Add(a, c, 0);
            Add(c, a, 0);
        }

        // Every node keeps a path to ground, stronger than the transconductances, so the solve is well conditioned.
        for (int i = 0; i < nodes; i++)
        {
            Add(i, i, 1e-3);
        }

        return ([.. entries.Keys.Select(k => k.Item1)], [.. entries.Keys.Select(k => k.Item2)], [.. entries.Values]);
    }

    public static TheoryData<int, int, bool, double, double> UnsymmetricCases() => new()
    {
        { 1, 1, false, 0, 1e-3 },
        { 2, 2, true, 0, 1e-3 },
        { 7, 3, true, 0.2, 1e-3 },
        { 31, 4, false, 0, 1e-3 },
        { 31, 5, true, 0.3, 0.5 },
        { 100, 6, true, 0.1, 1e-3 },
        { 257, 7, false, 0.1, 1e-3 },
        { 257, 8, true, 0, 0.5 },
        { 1000, 9, true, 0.2, 1e-3 },
        { 1001, 10, false, 0, 1e-3 },
    };

    public static TheoryData<int, int, int, int, double> MnaCases() => new()
    {
        { 3, 1, 1, 0, 1e-3 },
        { 16, 2, 2, 4, 1e-3 },
        { 63, 3, 3, 10, 1e-3 },
        { 100, 5, 4, 30, 0.5 },
        { 400, 7, 5, 100, 1e-3 },
        { 1023, 11, 6, 200, 1e-3 },
        { 2500, 20, 7, 500, 1e-3 },
    };

    [Theory]
    [MemberData(nameof(UnsymmetricCases))]
    public void Unsymmetric_matrices_get_the_reference_pivot_sequence(int n, int seed, bool discrete, double zeroFraction, double threshold)
    {
        (int[] rows, int[] cols, double[] values) = Unsymmetric(n, seed, discrete, zeroFraction);
        AssertSameOrdering<double, RealMagnitude>(n, rows, cols, values, threshold);
        AssertSameOrdering<Complex, ComplexMagnitude>(n, rows, cols, Rotate(values, seed), threshold);
    }

    [Theory]
    [MemberData(nameof(MnaCases))]
    public void Mna_like_matrices_get_the_reference_pivot_sequence_and_solve_like_dense(int nodes, int sources, int seed, int zeroSlots, double threshold)
    {
        (int[] rows, int[] cols, double[] values) = MnaLike(nodes, sources, seed, zeroSlots);
        int n = nodes + sources;
        LuResult status = AssertSameOrdering<double, RealMagnitude>(n, rows, cols, values, threshold);
        AssertSameOrdering<Complex, ComplexMagnitude>(n, rows, cols, Rotate(values, seed), threshold);
        if (status.Status == LuStatus.Ok && n <= 1100)
        {
            var lu = new SparseLu(n, rows, cols) { RelativeThreshold = threshold };
            Assert.Equal(LuStatus.Ok, lu.Factor(values).Status);
            var rng = new Random(seed + 1);
            double[] b = [.. Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5)];
            double[] x = (double[])b.Clone();
            lu.Solve(x);
            double[] reference = SparseLuTests.DenseSolve(n, rows, cols, values, b);

            AssertResidual(n, rows, cols, values, b, reference, "dense");
            AssertResidual(n, rows, cols, values, b, x, "sparse");
            for (int i = 0; i < n; i++)
            {
                Tolerance.Close(reference[i], x[i], 1e-6, 1e-9, $"x[{i}]");
            }
        }
    }

    [Fact]
    public void Singular_matrices_name_the_same_column_as_the_reference()
    {
        // Column 3 holds only zeros (structurally present slots with no value); in the second matrix, row 5 is tiny.
        (int[] rows, int[] cols, double[] values) = MnaLike(40, 2, 99, 10);
        double[] v1 = [.. values.Select((v, e) => cols[e] == 3 ? 0 : v)];
        LuResult r1 = AssertSameOrdering<double, RealMagnitude>(42, rows, cols, v1, 1e-3);
        Assert.Equal(LuStatus.Singular, r1.Status);
        double[] v2 = [.. values.Select((v, e) => rows[e] == 5 ? 1e-15 : v)];
        LuResult r2 = AssertSameOrdering<double, RealMagnitude>(42, rows, cols, v2, 1e-3);
        Assert.Equal(LuStatus.Singular, r2.Status);
    }

    [Fact]
    public void Sparse_rows_below_the_absolute_threshold_are_passed_over()
    {
        // Rows 0 and 1 are the sparsest but hold only tiny values (dead rows): the three live rows give the pivots, then
        // only dead rows are left and the matrix is singular at step 3. Both orderings must take the same path.
        int[] rows = [0, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4];
        int[] cols = [0, 1, 0, 2, 3, 1, 3, 4, 2, 3, 4];
        double[] values = [1e-20, 1e-20, 1, 2, 3, 1, 5, 6, 7, 8, 9];
        LuResult r = AssertSameOrdering<double, RealMagnitude>(5, rows, cols, values, 1e-3);
        Assert.Equal(LuStatus.Singular, r.Status);
        var fast = new MarkowitzOrdering<double, RealMagnitude>(5, rows, cols, 1e-13, 1e-3);
        fast.Order(values, out _);
        Assert.Equal(3, fast.StepsDone);
        Assert.Equal([2, 3, 4], fast.LastPivots().Rows.Order());
    }

    [Fact]
    public void A_singular_matrix_with_a_nan_names_the_nan_column()
    {
        // Row 1 holds a NaN (so it is dead) and row 2 only tiny values; after pivot (0,0) no live row is left. Column 1
        // still has a usable entry (in the NaN row); column 2 has the NaN and must be the one named, so the error
        // points at the unknown whose equations broke.
        int[] rows = [0, 1, 1, 2, 2];
        int[] cols = [0, 1, 2, 1, 2];
        double[] values = [1, 1, double.NaN, 1e-20, 1e-20];
        LuResult r = AssertSameOrdering<double, RealMagnitude>(3, rows, cols, values, 1e-3);
        Assert.Equal(new LuResult(LuStatus.Singular, 2), r);
        Assert.Equal(new LuResult(LuStatus.Singular, 2), new SparseLu(3, rows, cols).Factor(values));
    }

    [Theory]
    [InlineData(100, 3, 21)]
    [InlineData(400, 5, 22)]
    [InlineData(1023, 9, 23)]
    public void Mna_like_matrices_with_dead_rows_get_the_reference_pivot_sequence(int nodes, int sources, int seed)
    {
        // One node row in eight scaled under the absolute threshold (a Newton matrix near a floating node): those rows
        // are passed over while dead, and eliminations that add more than 1e-13 to them bring them back.
        (int[] rows, int[] cols, double[] values) = MnaLike(nodes, sources, seed, 20);
        var rng = new Random(seed);
        bool[] dead = [.. Enumerable.Range(0, nodes + sources).Select(r => r < nodes && rng.Next(8) == 0)];
        double[] scaled = [.. values.Select((v, e) => dead[rows[e]] ? v * 1e-14 : v)];
        AssertSameOrdering<double, RealMagnitude>(nodes + sources, rows, cols, scaled, 1e-3);
        AssertSameOrdering<Complex, ComplexMagnitude>(nodes + sources, rows, cols, Rotate(scaled, seed), 1e-3);
    }

    [Theory]
    [InlineData(12, 31)]
    [InlineData(30, 32)]
    [InlineData(100, 33)]
    [InlineData(300, 34)]
    public void Matrices_spanning_nineteen_decades_get_the_reference_pivot_sequence(int n, int seed)
    {
        // Magnitudes log-uniform from 1e-16 to 1e3: many rows start dead and these orderings end singular, so what is
        // compared is the pivot sequence up to that step and the column named (revivals: the MNA cases above).
        (int[] rows, int[] cols, double[] values) = Unsymmetric(n, seed, discrete: false, zeroFraction: 0.05);
        var rng = new Random(seed);
        double[] spread = [.. values.Select(v => v * Math.Pow(10, -16 + (19 * rng.NextDouble())))];
        AssertSameOrdering<double, RealMagnitude>(n, rows, cols, spread, 1e-3);
        AssertSameOrdering<Complex, ComplexMagnitude>(n, rows, cols, Rotate(spread, seed), 1e-3);
    }

    [Fact]
    public void A_dead_row_raised_by_an_elimination_becomes_a_candidate_again()
    {
        // Row 1 starts under the absolute threshold. The first pivot, (0,0) = 1e-10 (the only diagonal of cost 1),
        // subtracts (1e-14 / 1e-10) * 1e-7 = 1e-11 from (1,2): row 1 comes alive as a singleton, cost 0, and must be the
        // second pivot. Column 2 is the densest, so only the row search can find it: a row kept dead would pivot
        // elsewhere (and differ from the reference). Rows 2-6 are a cycle over columns 1, 3-6 plus column 2.
        var entries = new List<(int Row, int Col, double Value)>
        {
            (0, 0, 1e-10), (0, 2, 1e-7), (1, 0, 1e-14), (1, 2, 1e-14), (2, 1, 1), (2, 3, 1), (6, 1, 1), (6, 6, 1),
        };
        for (int r = 3; r <= 5; r++)
        {
            entries.AddRange([(r, r, 1), (r, r + 1, 1)]);
        }

        for (int r = 3; r <= 6; r++)
        {
            entries.Add((r, 2, 1));
        }

        int[] rows = [.. entries.Select(e => e.Row)];
        int[] cols = [.. entries.Select(e => e.Col)];
        double[] values = [.. entries.Select(e => e.Value)];
        LuResult r2 = AssertSameOrdering<double, RealMagnitude>(7, rows, cols, values, 1e-3);
        Assert.Equal(LuStatus.Ok, r2.Status);
        new MarkowitzOrdering<double, RealMagnitude>(7, rows, cols, 1e-13, 1e-3).Order(values, out LuPattern? p);
        Assert.Equal([0, 1], p!.RowOrder[..2]);
        Assert.Equal([0, 2], p.ColOrder[..2]);
        var lu = new SparseLu(7, rows, cols);
        Assert.Equal(LuStatus.Ok, lu.Factor(values).Status);
        double[] b = [1, 2, 3, 4, 5, 6, 7];
        double[] x = (double[])b.Clone();
        lu.Solve(x);
        double[] reference = SparseLuTests.DenseSolve(7, rows, cols, values, b);
        for (int i = 0; i < 7; i++)
        {
            Tolerance.Close(reference[i], x[i], 1e-9, 0, $"x[{i}]");
        }
    }

    [Theory]
    [InlineData(63, 3, 3)]
    [InlineData(1023, 11, 6)]
    public void One_instance_orders_again_like_a_fresh_one(int nodes, int sources, int seed)
    {
        // The ordering keeps its work arrays between calls (a circuit re-orders when kept pivots fall to zero): every
        // call must give what the reference gives for those values, whatever was ordered before.
        (int[] rows, int[] cols, double[] values) = MnaLike(nodes, sources, seed, 50);
        int n = nodes + sources;
        var rng = new Random(seed);
        double[] other = [.. values.Select(v => rng.Next(3) == 0 ? 0 : v * (0.5 + rng.NextDouble()))];
        var reused = new MarkowitzOrdering<double, RealMagnitude>(n, rows, cols, 1e-13, 1e-3);
        foreach (double[] v in new[] { values, other, values, other })
        {
            LuResult r = reused.Order(v, out LuPattern? p);
            LuResult expected = new ReferenceMarkowitzOrdering<double, RealMagnitude>(n, rows, cols, 1e-13, 1e-3).Order(v, out LuPattern? q);
            Assert.Equal(expected, r);
            Assert.Equal(q is null, p is null);
            if (p is not null && q is not null)
            {
                Assert.Equal(q.RowOrder, p.RowOrder);
                Assert.Equal(q.ColOrder, p.ColOrder);
                Assert.Equal(q.ColIdx, p.ColIdx);
                Assert.Equal(q.ElementPos, p.ElementPos);
            }
        }
    }

    private static Complex[] Rotate(double[] values, int seed)
    {
        var rng = new Random(seed + 7);
        return [.. values.Select(v => v == 0 ? Complex.Zero : new Complex(v, rng.Next(3) == 0 ? v : v * (rng.NextDouble() - 0.5)))];
    }

    private static LuResult AssertSameOrdering<T, TMagnitude>(int n, int[] rows, int[] cols, T[] values, double threshold)
        where T : struct, INumberBase<T>
        where TMagnitude : IPivotMagnitude<T>
    {
        var fast = new MarkowitzOrdering<T, TMagnitude>(n, rows, cols, 1e-13, threshold);
        var reference = new ReferenceMarkowitzOrdering<T, TMagnitude>(n, rows, cols, 1e-13, threshold);
        LuResult r = fast.Order(values, out LuPattern? p);
        LuResult expected = reference.Order(values, out LuPattern? q);
        Assert.Equal(expected, r);

        // Step by step, also when the matrix turns out singular (then the pivots up to that step are all there is).
        Assert.Equal(reference.StepsDone, fast.StepsDone);
        Assert.Equal(reference.LastPivots.Rows, fast.LastPivots().Rows);
        Assert.Equal(reference.LastPivots.Cols, fast.LastPivots().Cols);
        Assert.Equal(q is null, p is null);
        if (p is not null && q is not null)
        {
            Assert.Equal(q.RowOrder, p.RowOrder);
            Assert.Equal(q.ColOrder, p.ColOrder);
            Assert.Equal(q.RowPtr, p.RowPtr);
            Assert.Equal(q.ColIdx, p.ColIdx);
            Assert.Equal(q.Diag, p.Diag);
            Assert.Equal(q.ElementPos, p.ElementPos);
        }

        return r;
    }

    private static void AssertResidual(int n, int[] rows, int[] cols, double[] values, double[] b, double[] x, string what)
    {
        var r = (double[])b.Clone();
        double[] scale = [.. b.Select(Math.Abs)];
        for (int e = 0; e < rows.Length; e++)
        {
            r[rows[e]] -= values[e] * x[cols[e]];
            scale[rows[e]] += Math.Abs(values[e] * x[cols[e]]);
        }

        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(r[i]) <= 1e-9 * scale[i], $"{what} row {i}: residual {r[i]} vs scale {scale[i]}");
        }
    }
}
