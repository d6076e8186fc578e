using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;
using MathNet.Numerics.Providers.LinearAlgebra;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DnnOpt.Optimization.Surrogates;

/// <summary>Hyperparameters of a <see cref="GaussianProcess"/>, in log space (the space they are optimised in).</summary>
/// <param name="LogLengthScales">log l_j per input dimension (inputs are unit-cube coordinates).</param>
/// <param name="LogSignalVariance">log sigma_f^2, relative to the standardised targets.</param>
/// <param name="LogNoiseVariance">log sigma_n^2, relative to the standardised targets.</param>
public sealed record GaussianProcessHyperparameters(IReadOnlyList<double> LogLengthScales, double LogSignalVariance, double LogNoiseVariance);

/// <summary>Bounds and effort of the marginal-likelihood fit of a <see cref="GaussianProcess"/>.</summary>
public sealed record GaussianProcessOptions
{
    /// <summary>Smallest length scale (unit-cube units); default 0.01.</summary>
    public double MinLengthScale { get; init; } = 0.01;

    /// <summary>Largest length scale; default 20 (an input that hardly matters).</summary>
    public double MaxLengthScale { get; init; } = 20;

    /// <summary>Smallest signal variance of the standardised targets; default 0.01.</summary>
    public double MinSignalVariance { get; init; } = 0.01;

    /// <summary>Largest signal variance of the standardised targets; default 100.</summary>
    public double MaxSignalVariance { get; init; } = 100;

    /// <summary>Smallest noise variance (standardised); default 1e-6, a jitter that keeps K positive definite for a deterministic simulator.</summary>
    public double MinNoiseVariance { get; init; } = 1e-6;

    /// <summary>Largest noise variance (standardised); default 0.1.</summary>
    public double MaxNoiseVariance { get; init; } = 0.1;

    /// <summary>Iteration limit of the bounded BFGS fit; default 40.</summary>
    public int MaxIterations { get; init; } = 40;

    /// <summary>
    /// Most points the likelihood fit uses (the most recent ones); the model is then conditioned on all points.
    /// Default 150: each likelihood evaluation is O(n^3), and hyperparameters settle long before n does.
    /// </summary>
    public int MaxFitPoints { get; init; } = 150;

    /// <summary>Throws <see cref="ArgumentException"/> for empty or inverted bounds.</summary>
    public void Validate()
    {
        if (!(MinLengthScale > 0 && MinLengthScale < MaxLengthScale) || !(MinSignalVariance > 0 && MinSignalVariance < MaxSignalVariance)
            || !(MinNoiseVariance > 0 && MinNoiseVariance < MaxNoiseVariance) || MaxIterations < 1 || MaxFitPoints < 2)
        {
            throw new ArgumentException("Gaussian-process bounds must be positive with min < max, the iteration limit at least 1 and the fit size at least 2.");
        }
    }
}

/// <summary>
/// Gaussian-process regression (Rasmussen and Williams 2006, Alg. 2.1) with an ARD Matern-5/2 kernel
/// <c>k(x, x') = sf2 (1 + sqrt5 r + 5 r^2 / 3) exp(-sqrt5 r)</c>, <c>r^2 = sum_j (x_j - x'_j)^2 / l_j^2</c>, plus
/// noise sn2 on the diagonal. Targets are standardised; hyperparameters maximise the log marginal likelihood (eq. 5.8)
/// with its analytic gradient (eq. 5.9) by bounded BFGS from MathNet; the factorisation is MathNet's Cholesky.
/// Immutable once built; prediction is thread-safe.
/// </summary>
public sealed class GaussianProcess
{
    private static readonly double Sqrt5 = Math.Sqrt(5.0);

    private readonly double[] _x;        // n x d, row-major
    private readonly double[][] _lower;  // Cholesky factor L of K by rows; row i holds L[i, 0..i] (shared by updates)
    private readonly double[] _alpha;    // K^-1 y (standardised)
    private readonly double[] _inverseLengthSquared;
    private readonly double _signal;
    private readonly double _yMean;
    private readonly double _yScale;

    private GaussianProcess(double[] x, int n, int d, double[][] lower, double[] alpha, GaussianProcessHyperparameters hyper, double yMean, double yScale, double logLikelihood)
    {
        _x = x;
        Count = n;
        Dimension = d;
        _lower = lower;
        _alpha = alpha;
        Hyperparameters = hyper;
        _inverseLengthSquared = hyper.LogLengthScales.Select(l => Math.Exp(-2 * l)).ToArray();
        _signal = Math.Exp(hyper.LogSignalVariance);
        _yMean = yMean;
        _yScale = yScale;
        LogMarginalLikelihood = logLikelihood;
    }

    /// <summary>Number of training points n.</summary>
    public int Count { get; }

    /// <summary>Input dimension d.</summary>
    public int Dimension { get; }

    /// <summary>The hyperparameters in use.</summary>
    public GaussianProcessHyperparameters Hyperparameters { get; }

    /// <summary>Log marginal likelihood of the standardised targets under <see cref="Hyperparameters"/>.</summary>
    public double LogMarginalLikelihood { get; }

    /// <summary>
    /// Fits hyperparameters by maximum marginal likelihood, starting from <paramref name="start"/> (or a default of
    /// l = 0.3, sf2 = 1, sn2 = 1e-4 when null), and conditions on the data.
    /// </summary>
    /// <param name="x">n x d inputs, row-major, unit-cube coordinates.</param>
    /// <param name="dimension">d.</param>
    /// <param name="y">n targets.</param>
    /// <param name="start">Warm start (e.g. the previous fit), or null.</param>
    /// <param name="options">Bounds and effort; null for defaults.</param>
    public static GaussianProcess Fit(ReadOnlySpan<double> x, int dimension, ReadOnlySpan<double> y, GaussianProcessHyperparameters? start = null, GaussianProcessOptions? options = null)
    {
        options ??= new GaussianProcessOptions();
        options.Validate();
        var data = Prepare(x, dimension, y, out double yMean, out double yScale);
        int n = y.Length, d = dimension;

        var lo = Vector<double>.Build.Dense(d + 2);
        var hi = Vector<double>.Build.Dense(d + 2);
        for (int j = 0; j < d; j++)
        {
            lo[j] = Math.Log(options.MinLengthScale);
            hi[j] = Math.Log(options.MaxLengthScale);
        }

        lo[d] = Math.Log(options.MinSignalVariance);
        hi[d] = Math.Log(options.MaxSignalVariance);
        lo[d + 1] = Math.Log(options.MinNoiseVariance);
        hi[d + 1] = Math.Log(options.MaxNoiseVariance);

        var theta0 = Vector<double>.Build.Dense(d + 2);
        for (int j = 0; j < d; j++)
        {
            theta0[j] = start is { } s && s.LogLengthScales.Count == d ? s.LogLengthScales[j] : Math.Log(0.3);
        }

        theta0[d] = start?.LogSignalVariance ?? 0.0;
        theta0[d + 1] = start?.LogNoiseVariance ?? Math.Log(1e-4);
        for (int j = 0; j < d + 2; j++)
        {
            theta0[j] = Math.Clamp(theta0[j], lo[j], hi[j]);
        }

        var best = theta0.Clone();
        double bestValue = double.PositiveInfinity;
        var fitData = data;
        int fitN = n;
        if (n > options.MaxFitPoints)
        {
            // Standardise the subset on its own, as the likelihood assumes zero-mean unit-scale targets.
            fitN = options.MaxFitPoints;
            fitData = Prepare(x[((n - fitN) * d)..], d, y[(n - fitN)..], out _, out _);
        }

        var workspace = new LikelihoodWorkspace(fitN);
        var objective = ObjectiveFunction.Gradient(theta =>
        {
            var gradient = Vector<double>.Build.Dense(d + 2);
            double lml = LogLikelihood(fitData, fitN, d, fitData.Y, theta, gradient, workspace);
            if (-lml < bestValue)
            {
                bestValue = -lml;
                theta.CopyTo(best);
            }

            return (-lml, -gradient);
        });

        if (n >= 2)
        {
            try
            {
                new BfgsBMinimizer(1e-5, 1e-6, 1e-7, options.MaxIterations).FindMinimum(objective, lo, hi, theta0);
            }
#pragma warning disable CA1031 // MathNet's minimisers report iteration limits and line-search breakdown by exceptions of several types; the best point seen is kept either way.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        return Build(data, n, d, yMean, yScale, ToHyper(best, d));
    }

    /// <summary>Conditions on data with fixed hyperparameters (no fit): O(n^3) once.</summary>
    public static GaussianProcess Condition(ReadOnlySpan<double> x, int dimension, ReadOnlySpan<double> y, GaussianProcessHyperparameters hyperparameters)
    {
        ArgumentNullException.ThrowIfNull(hyperparameters);
        if (hyperparameters.LogLengthScales.Count != dimension)
        {
            throw new ArgumentException($"{hyperparameters.LogLengthScales.Count} length scales for dimension {dimension}.", nameof(hyperparameters));
        }

        var data = Prepare(x, dimension, y, out double yMean, out double yScale);
        return Build(data, y.Length, dimension, yMean, yScale, hyperparameters);
    }

    /// <summary>
    /// The same model (same hyperparameters) conditioned on <paramref name="x"/>, <paramref name="y"/>, where the first
    /// <see cref="Count"/> rows of <paramref name="x"/> are this model's inputs unchanged and the rest are new. The
    /// Cholesky factor is extended row by row, O(n^2) per new point instead of O(n^3); the targets may all change (they
    /// are re-standardised and alpha is recomputed in O(n^2)). Falls back to a full <see cref="Condition"/> if the
    /// extension is numerically unsafe (a new point nearly duplicates an old one).
    /// </summary>
    /// <exception cref="ArgumentException">The leading rows differ from this model's inputs, or lengths disagree.</exception>
    public GaussianProcess Update(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int d = Dimension, n = y.Length;
        if (x.Length != n * d || n < Count)
        {
            throw new ArgumentException($"Need at least the model's {Count} points, as n x {d} inputs and n targets.");
        }

        if (!x[..(Count * d)].SequenceEqual(_x))
        {
            throw new ArgumentException("The leading inputs differ from the model's: use Condition for new data.", nameof(x));
        }

        var data = Prepare(x, d, y, out double yMean, out double yScale);
        var rows = new double[n][];
        Array.Copy(_lower, rows, Count);
        double noise = Math.Exp(Hyperparameters.LogNoiseVariance);
        for (int i = Count; i < n; i++)
        {
            var xi = data.X.AsSpan(i * d, d);
            var row = new double[i + 1];
            double ss = 0;
            for (int j = 0; j < i; j++)
            {
                var rj = rows[j];
                row[j] = (Kernel(xi, data.X.AsSpan(j * d, d)) - DotProduct.Compute(rj.AsSpan(0, j), row.AsSpan(0, j))) / rj[j];
                ss += row[j] * row[j];
            }

            double diag = _signal + noise - ss;
            if (!(diag > 1e-10 * (_signal + noise)))
            {
                return Condition(x, d, y, Hyperparameters);
            }

            row[i] = Math.Sqrt(diag);
            rows[i] = row;
        }

        return FromFactor(data.X, n, d, rows, data.Y, Hyperparameters, yMean, yScale);
    }

    /// <summary>Posterior mean and variance of the latent function at <paramref name="point"/>, in the targets' units.</summary>
    /// <param name="point">d unit-cube coordinates.</param>
    /// <param name="work">Scratch of length at least n.</param>
    /// <param name="mean">Posterior mean.</param>
    /// <param name="variance">Posterior variance (floored at a tiny positive value).</param>
    public void Predict(ReadOnlySpan<double> point, Span<double> work, out double mean, out double variance)
    {
        if (point.Length != Dimension || work.Length < Count)
        {
            throw new ArgumentException($"Expected a point of length {Dimension} and scratch of at least {Count}.");
        }

        int n = Count;
        var k = work[..n];
        double m = 0;
        for (int i = 0; i < n; i++)
        {
            k[i] = Kernel(point, _x.AsSpan(i * Dimension, Dimension));
            m += k[i] * _alpha[i];
        }

        // v = L^-1 k* by forward substitution, in place; var = sf2 - v.v.
        double vv = 0;
        for (int i = 0; i < n; i++)
        {
            var row = _lower[i];
            double s = (k[i] - DotProduct.Compute(row.AsSpan(0, i), k[..i])) / row[i];
            k[i] = s;
            vv += s * s;
        }

        mean = _yMean + (_yScale * m);
        variance = Math.Max(_signal - vv, 1e-12 * _signal) * _yScale * _yScale;
    }

    /// <summary>Points a batched prediction carries through the factor together (see <see cref="PredictBatch"/>).</summary>
    public const int BatchBlock = 16;

    /// <summary>
    /// Posterior means and variances of <paramref name="count"/> points at once, bit for bit what
    /// <see cref="Predict(ReadOnlySpan{double}, Span{double}, out double, out double)"/> gives for each: the same
    /// arithmetic in the same order, but each row of the Cholesky factor is read once per block of
    /// <see cref="BatchBlock"/> points instead of once per point. The factor holds n^2/2 doubles (1 MB at n = 500), so
    /// a point-at-a-time forward substitution streams it from memory for every point; blocked, it stays in cache.
    /// </summary>
    /// <param name="points">count x d unit-cube coordinates, row-major.</param>
    /// <param name="count">Number of points.</param>
    /// <param name="work">Scratch of length at least <c>BatchBlock * n</c>.</param>
    /// <param name="mean">count posterior means.</param>
    /// <param name="variance">count posterior variances (floored as in Predict).</param>
    public void PredictBatch(ReadOnlySpan<double> points, int count, Span<double> work, Span<double> mean, Span<double> variance)
    {
        int n = Count, d = Dimension;
        if (points.Length < count * d || work.Length < BatchBlock * n || mean.Length < count || variance.Length < count)
        {
            throw new ArgumentException($"Expected {count} points of length {d}, scratch of at least {BatchBlock * n} and {count} outputs.");
        }

        Span<double> means = stackalloc double[BatchBlock];
        Span<double> squares = stackalloc double[BatchBlock];
        for (int start = 0; start < count; start += BatchBlock)
        {
            int block = Math.Min(BatchBlock, count - start);
            for (int c = 0; c < block; c++)
            {
                var point = points.Slice((start + c) * d, d);
                var k = work.Slice(c * n, n);
                double m = 0;
                for (int i = 0; i < n; i++)
                {
                    k[i] = Kernel(point, _x.AsSpan(i * d, d));
                    m += k[i] * _alpha[i];
                }

                means[c] = m;
                squares[c] = 0;
            }

            for (int i = 0; i < n; i++)
            {
                var row = _lower[i];
                var head = row.AsSpan(0, i);
                double pivot = row[i];
                for (int c = 0; c < block; c++)
                {
                    var k = work.Slice(c * n, n);
                    double s = (k[i] - DotProduct.Compute(head, k[..i])) / pivot;
                    k[i] = s;
                    squares[c] += s * s;
                }
            }

            for (int c = 0; c < block; c++)
            {
                mean[start + c] = _yMean + (_yScale * means[c]);
                variance[start + c] = Math.Max(_signal - squares[c], 1e-12 * _signal) * _yScale * _yScale;
            }
        }
    }

    /// <summary>Allocating convenience form of <see cref="Predict(ReadOnlySpan{double}, Span{double}, out double, out double)"/>.</summary>
    public (double Mean, double Variance) Predict(ReadOnlySpan<double> point)
    {
        var work = new double[Count];
        Predict(point, work, out double mean, out double variance);
        return (mean, variance);
    }

    /// <summary>
    /// Log marginal likelihood of the standardised <paramref name="y"/> at theta = (log l_1..d, log sf2, log sn2), and
    /// its gradient into <paramref name="gradient"/> (length d + 2). Exposed for the finite-difference test.
    /// </summary>
    internal static double LogMarginalLikelihoodAt(ReadOnlySpan<double> x, int dimension, ReadOnlySpan<double> y, ReadOnlySpan<double> theta, Span<double> gradient)
    {
        var data = Prepare(x, dimension, y, out _, out _);
        var t = Vector<double>.Build.Dense(theta.ToArray());
        var g = Vector<double>.Build.Dense(dimension + 2);
        double lml = LogLikelihood(data, y.Length, dimension, data.Y, t, g);
        g.AsArray().CopyTo(gradient);
        return lml;
    }

    private double Kernel(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double r2 = 0;
        for (int j = 0; j < a.Length; j++)
        {
            double diff = a[j] - b[j];
            r2 += diff * diff * _inverseLengthSquared[j];
        }

        double r = Math.Sqrt(r2);
        return _signal * (1 + (Sqrt5 * r) + (5.0 / 3.0 * r2)) * Math.Exp(-Sqrt5 * r);
    }

    private sealed record Data(double[] X, double[] Y);

    private static Data Prepare(ReadOnlySpan<double> x, int dimension, ReadOnlySpan<double> y, out double yMean, out double yScale)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (y.Length == 0 || x.Length != y.Length * dimension)
        {
            throw new ArgumentException($"Need n >= 1 targets and n x d = {y.Length} x {dimension} inputs, got {x.Length} inputs.");
        }

        double mean = 0;
        foreach (double v in y)
        {
            if (!double.IsFinite(v))
            {
                throw new ArgumentException("Gaussian-process targets must be finite.", nameof(y));
            }

            mean += v;
        }

        mean /= y.Length;
        double variance = 0;
        foreach (double v in y)
        {
            variance += (v - mean) * (v - mean);
        }

        double scale = y.Length > 1 ? Math.Sqrt(variance / (y.Length - 1)) : 0;
        if (!(scale > 1e-300))
        {
            scale = 1; // constant targets: any positive scale gives the same model
        }

        var ys = new double[y.Length];
        for (int i = 0; i < y.Length; i++)
        {
            ys[i] = (y[i] - mean) / scale;
        }

        yMean = mean;
        yScale = scale;
        return new Data(x.ToArray(), ys);
    }

    private static GaussianProcessHyperparameters ToHyper(Vector<double> theta, int d) =>
        new(Enumerable.Range(0, d).Select(j => theta[j]).ToArray(), theta[d], theta[d + 1]);

    private static GaussianProcess Build(Data data, int n, int d, double yMean, double yScale, GaussianProcessHyperparameters hyper)
    {
        var theta = Vector<double>.Build.Dense(d + 2);
        for (int j = 0; j < d; j++)
        {
            theta[j] = hyper.LogLengthScales[j];
        }

        theta[d] = hyper.LogSignalVariance;
        theta[d + 1] = hyper.LogNoiseVariance;
        var (chol, jitter) = Factor(data.X, n, d, theta);
        var factor = chol.Factor;
        var rows = new double[n][];
        for (int i = 0; i < n; i++)
        {
            rows[i] = new double[i + 1];
            for (int j = 0; j <= i; j++)
            {
                rows[i][j] = factor[i, j];
            }
        }

        var usedHyper = jitter > 0 ? hyper with { LogNoiseVariance = Math.Log(Math.Exp(hyper.LogNoiseVariance) + jitter) } : hyper;
        return FromFactor(data.X, n, d, rows, data.Y, usedHyper, yMean, yScale);
    }

    // alpha = L^-T L^-1 y by two triangular solves on the row-stored factor; LML from the same quantities.
    private static GaussianProcess FromFactor(double[] x, int n, int d, double[][] rows, double[] ys, GaussianProcessHyperparameters hyper, double yMean, double yScale)
    {
        var z = new double[n];
        double logDet = 0;
        for (int i = 0; i < n; i++)
        {
            var row = rows[i];
            z[i] = (ys[i] - DotProduct.Compute(row.AsSpan(0, i), z.AsSpan(0, i))) / row[i];
            logDet += 2 * Math.Log(row[i]);
        }

        var alpha = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double s = z[i];
            for (int k = i + 1; k < n; k++)
            {
                s -= rows[k][i] * alpha[k];
            }

            alpha[i] = s / rows[i][i];
        }

        double yAlpha = 0;
        for (int i = 0; i < n; i++)
        {
            yAlpha += ys[i] * alpha[i];
        }

        double lml = (-0.5 * yAlpha) - (0.5 * logDet) - (0.5 * n * Math.Log(2 * Math.PI));
        return new GaussianProcess(x, n, d, rows, alpha, hyper, yMean, yScale, lml);
    }

    // K = sf2 * matern(r) + (sn2 + jitter) I. Jitter is added only if the factorisation fails (near-duplicate inputs).
    private static (MathNet.Numerics.LinearAlgebra.Factorization.Cholesky<double> Chol, double Jitter) Factor(double[] x, int n, int d, Vector<double> theta)
    {
        var k = Covariance(x, n, d, theta);
        double jitter = 0;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return (k.Cholesky(), jitter);
            }
            catch (ArgumentException) when (attempt < 8)
            {
                double add = attempt == 0 ? 1e-8 : jitter * 9;
                for (int i = 0; i < n; i++)
                {
                    k[i, i] += add;
                }

                jitter += add;
            }
        }
    }

    private static Matrix<double> Covariance(double[] x, int n, int d, Vector<double> theta)
    {
        var values = new double[n * n];
        CovarianceInto(values, x, n, d, theta, null);
        return Matrix<double>.Build.Dense(n, n, values); // symmetric, so the column-major storage reads the same
    }

    private static void CovarianceInto(double[] k, double[] x, int n, int d, Vector<double> theta, double[]? distanceTerms)
    {
        Span<double> invL2 = stackalloc double[d];
        for (int j = 0; j < d; j++)
        {
            invL2[j] = Math.Exp(-2 * theta[j]);
        }

        double sf2 = Math.Exp(theta[d]), sn2 = Math.Exp(theta[d + 1]);
        for (int a = 0; a < n; a++)
        {
            k[(a * n) + a] = sf2 + sn2;
            for (int b = 0; b < a; b++)
            {
                double r2 = 0;
                for (int j = 0; j < d; j++)
                {
                    double diff = x[(a * d) + j] - x[(b * d) + j];
                    r2 += diff * diff * invL2[j];
                }

                double r = Math.Sqrt(r2);
                double e = Math.Exp(-Sqrt5 * r);
                double v = sf2 * (1 + (Sqrt5 * r) + (5.0 / 3.0 * r2)) * e;
                k[(a * n) + b] = v;
                k[(b * n) + a] = v;
                if (distanceTerms is not null)
                {
                    // dk/dlog l_j = sf2 (5/3) (1 + sqrt5 r) e^{-sqrt5 r} (x_j - x'_j)^2 / l_j^2: the common factor is kept here.
                    distanceTerms[(a * n) + b] = sf2 * (5.0 / 3.0) * (1 + (Sqrt5 * r)) * e;
                }
            }
        }
    }

    /// <summary>
    /// Buffers of one likelihood fit, reused by every evaluation of it: each is n x n (180 KB at the fit's 150 points),
    /// so allocating them per evaluation put several large-object-heap arrays per BFGS step on the garbage collector.
    /// </summary>
    private sealed class LikelihoodWorkspace(int n)
    {
        public readonly double[] Covariance = new double[n * n];   // K, both triangles (column- and row-major alike)
        public readonly double[] Factor = new double[n * n];       // MathNet's in-place Cholesky, column-major
        public readonly double[] Lower = new double[n * n];        // the same L, row-major
        public readonly double[] Common = new double[n * n];
        public readonly double[][] InverseColumns = CreateColumns(n);
        public readonly double[] Alpha = new double[n];

        private static double[][] CreateColumns(int n)
        {
            var columns = new double[n][];
            for (int j = 0; j < n; j++)
            {
                columns[j] = new double[n];
            }

            return columns;
        }
    }

    /// <summary>Log marginal likelihood and its gradient w.r.t. theta = (log l, log sf2, log sn2).</summary>
    private static double LogLikelihood(Data data, int n, int d, double[] y, Vector<double> theta, Vector<double> gradient, LikelihoodWorkspace? workspace = null)
    {
        var ws = workspace ?? new LikelihoodWorkspace(n);
        var k = ws.Covariance;
        var common = ws.Common;
        CovarianceInto(k, data.X, n, d, theta, common);

        // MathNet's Cholesky (the provider's in-place factorisation and solve, as DenseCholesky runs them) on a copy,
        // since K itself is needed for the gradient.
        var provider = LinearAlgebraControl.Provider;
        var factor = ws.Factor;
        Array.Copy(k, factor, n * n);
        try
        {
            provider.CholeskyFactor(factor, n);
        }
        catch (ArgumentException)
        {
            gradient.Clear();
            return -1e10; // not positive definite at these hyperparameters: a wall the minimiser backs away from
        }

        var alpha = ws.Alpha;
        Array.Copy(y, alpha, n);
        provider.CholeskySolveFactored(factor, n, alpha, 1);
        double logDet = 0;
        for (int j = 0; j < n; j++)
        {
            logDet += 2.0 * Math.Log(factor[(j * n) + j]);
        }

        double lml = (-0.5 * provider.DotProduct(y, alpha)) - (0.5 * logDet) - (0.5 * n * Math.Log(2 * Math.PI));

        // dLML/dtheta_p = 1/2 tr((alpha alpha^T - K^-1) dK/dtheta_p); W is symmetric, so sum over a > b twice.
        // K^-1 = L^-T L^-1 from the columns of L^-1 (n^3/3 multiply-adds) instead of n solves against I (2 n^3).
        var l = ws.Lower;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                l[(i * n) + j] = factor[(j * n) + i];
            }
        }

        var inverseColumns = ws.InverseColumns;
        for (int j = 0; j < n; j++)
        {
            var col = inverseColumns[j];
            col[j] = 1 / l[(j * n) + j];
            for (int i = j + 1; i < n; i++)
            {
                col[i] = -DotProduct.Compute(l.AsSpan((i * n) + j, i - j), col.AsSpan(j, i - j)) / l[(i * n) + i];
            }
        }

        double KInv(int a, int b) => DotProduct.Compute(inverseColumns[a].AsSpan(a, n - a), inverseColumns[b].AsSpan(a, n - a)); // a >= b
        double sf2 = Math.Exp(theta[d]), sn2 = Math.Exp(theta[d + 1]);
        Span<double> gl = stackalloc double[d];
        gl.Clear();
        Span<double> invL2 = stackalloc double[d];
        for (int j = 0; j < d; j++)
        {
            invL2[j] = Math.Exp(-2 * theta[j]);
        }

        double gs = 0, gn = 0;
        var x = data.X;
        for (int a = 0; a < n; a++)
        {
            double waa = (alpha[a] * alpha[a]) - KInv(a, a);
            gs += 0.5 * waa * sf2;
            gn += 0.5 * waa * sn2;
            var xa = x.AsSpan(a * d, d);
            for (int b = 0; b < a; b++)
            {
                double w = (alpha[a] * alpha[b]) - KInv(a, b);
                gs += w * k[(a * n) + b];
                AccumulateLengthGradient(gl, w * common[(a * n) + b], xa, x.AsSpan(b * d, d), invL2);
            }
        }

        for (int j = 0; j < d; j++)
        {
            gradient[j] = gl[j];
        }

        gradient[d] = gs;
        gradient[d + 1] = gn;
        return lml;
    }

    // gl_j += c (x_aj - x_bj)^2 / l_j^2, four dimensions per vector: each lane does the scalar loop's multiplications
    // in the scalar loop's order (((c diff) diff) invL2, no fused multiply-add), so the sums are bit for bit the same.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccumulateLengthGradient(Span<double> gl, double c, ReadOnlySpan<double> xa, ReadOnlySpan<double> xb, ReadOnlySpan<double> invL2)
    {
        int d = gl.Length, j = 0;
        if (d >= 4)
        {
            var cv = Vector256.Create(c);
            ref double rg = ref MemoryMarshal.GetReference(gl);
            ref double ra = ref MemoryMarshal.GetReference(xa);
            ref double rb = ref MemoryMarshal.GetReference(xb);
            ref double rl = ref MemoryMarshal.GetReference(invL2);
            for (; j <= d - 4; j += 4)
            {
                var diff = Vector256.LoadUnsafe(ref ra, (nuint)j) - Vector256.LoadUnsafe(ref rb, (nuint)j);
                var term = cv * diff * diff * Vector256.LoadUnsafe(ref rl, (nuint)j);
                (Vector256.LoadUnsafe(ref rg, (nuint)j) + term).StoreUnsafe(ref rg, (nuint)j);
            }
        }

        for (; j < d; j++)
        {
            double diff = xa[j] - xb[j];
            gl[j] += c * diff * diff * invL2[j];
        }
    }
}
