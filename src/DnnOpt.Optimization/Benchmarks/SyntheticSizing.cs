using System.Globalization;

namespace DnnOpt.Optimization.Benchmarks;

/// <summary>
/// A synthetic, circuit-shaped sizing problem of any size with a known optimum, for measuring optimisers (and their
/// modeling time) at the scale of the paper's folded-cascode OTA (20 variables, 29 constraints) before real circuits are
/// available.
/// </summary>
/// <remarks>
/// <para>Construction (in unit-cube coordinates z of the design space): a = min(d, m) "performance" constraints
/// <c>n_k . z &gt;= n_k . z*</c> with positive, diagonally dominant rows n_k, all active at a chosen z*; m - a
/// "limit" constraints <c>q_j . z &lt;= 1.25 q_j . z*</c>, inactive at z*; coordinates beyond a held at their lower
/// bound in z*. The objective ("power") is <c>c . z</c> with <c>c = sum_k lambda_k n_k + sum_i mu_i e_i</c>, lambda,
/// mu &gt; 0, so z* satisfies the KKT conditions of this linear programme and is its global minimum: every feasible z
/// has <c>c . z = sum lambda_k n_k . z + sum mu_i z_i &gt;= c . z*</c>. Half of the performance outputs are reported
/// in decibels, a monotone transform that keeps the feasible set and optimum.</para>
/// <para>The variables look like a sizing problem's: widths (linear), capacitances (log), multipliers (integer, z* on
/// a bin centre), so the physical-to-unit mapping is exercised. The feasible region is small (about 0.7^a of the cube
/// for the performance constraints alone).</para>
/// </remarks>
public static class SyntheticSizing
{
    /// <summary>Creates the problem; the same <paramref name="seed"/> gives the same problem.</summary>
    /// <param name="dimension">Number of variables d (at least 1).</param>
    /// <param name="constraints">Number of constraints m (at least 1).</param>
    /// <param name="seed">Seed of the problem's construction (not of any optimiser run).</param>
    public static FunctionProblem Create(int dimension = 20, int constraints = 29, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(constraints, 1);
        var rng = new Random(seed);
        int d = dimension, m = constraints, a = Math.Min(d, m);

        var variables = new DesignVariable[d];
        for (int i = 0; i < d; i++)
        {
            variables[i] = (i % 5) switch
            {
                3 => new DesignVariable(Name("c", i), 100e-15, 10e-12, Scale: VariableScale.Log),
                4 => new DesignVariable(Name("n", i), 1, 20, VariableKind.Integer),
                _ => new DesignVariable(Name("w", i), 0.24e-6, 150e-6),
            };
        }

        var space = new DesignSpace(variables);

        // The optimum: performance coordinates inside the cube, the rest at their lower bound; snapped onto integer bins.
        var zStar = new double[d];
        for (int i = 0; i < d; i++)
        {
            zStar[i] = i < a ? 0.2 + (0.3 * rng.NextDouble()) : 0.0;
        }

        zStar = space.ToUnit(space.ToPhysical(zStar));
        var xStar = space.ToPhysical(zStar);
        zStar = space.ToUnit(xStar);

        var n = new double[a][];
        var target = new double[a];
        var c = new double[d];
        for (int k = 0; k < a; k++)
        {
            n[k] = new double[d];
            for (int i = 0; i < d; i++)
            {
                n[k][i] = (i == k ? 2.0 : 0.0) + (0.5 * rng.NextDouble());
            }

            target[k] = Dot(n[k], zStar);
            double lambda = 0.5 + rng.NextDouble();
            for (int i = 0; i < d; i++)
            {
                c[i] += lambda * n[k][i];
            }
        }

        for (int i = a; i < d; i++)
        {
            c[i] += 0.5 + rng.NextDouble(); // bound multiplier mu_i for the coordinates held at their lower bound
        }

        var q = new double[m - a][];
        var limit = new double[m - a];
        for (int j = 0; j < m - a; j++)
        {
            q[j] = new double[d];
            for (int i = 0; i < d; i++)
            {
                q[j][i] = rng.NextDouble();
            }

            limit[j] = 1.25 * Dot(q[j], zStar);
        }

        const double powerUnit = 1e-3; // the objective reads as watts: c . z milliwatts
        double fStar = powerUnit * Dot(c, zStar);

        var metrics = new List<MetricInfo>(m);
        for (int k = 0; k < a; k++)
        {
            // Decibel outputs: a miss by a factor 2 is a full unit of the clipped FoM term.
            metrics.Add(k % 2 == 0 ? new MetricInfo(Name("perf", k), target[k]) : new MetricInfo(Name("gain_db", k), 20 * Math.Log10(2)));
        }

        for (int j = 0; j < m - a; j++)
        {
            metrics.Add(new MetricInfo(Name("limit", j), limit[j]));
        }

        return new FunctionProblem(
            string.Create(CultureInfo.InvariantCulture, $"synthetic-{d}x{m}"),
            space,
            new MetricInfo("power", fStar),
            metrics,
            (x, g) =>
            {
                Span<double> z = x.Length <= 64 ? stackalloc double[x.Length] : new double[x.Length];
                space.ToUnit(x, z);
                for (int k = 0; k < a; k++)
                {
                    double perf = Dot(n[k], z);
                    g[k] = k % 2 == 0 ? target[k] - perf : 20 * Math.Log10(target[k] / perf);
                }

                for (int j = 0; j < m - a; j++)
                {
                    g[a + j] = Dot(q[j], z) - limit[j];
                }

                return powerUnit * Dot(c, z);
            },
            new KnownOptimum(fStar, xStar, "constructed: KKT point of a linear programme in unit coordinates (see remarks)"));
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }

    private static string Name(string prefix, int i) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{i + 1}");
}
