using DnnOpt.Optimization.Surrogates;

namespace DnnOpt.Optimization.Baselines;

/// <summary>Settings of <see cref="BayesianOptimization"/> (BO-wEI).</summary>
public sealed record BayesianOptimizationOptions
{
    /// <summary>Latin-hypercube designs before the first model; null (default) means <c>max(10, 2 d)</c>.</summary>
    public int? InitialSamples { get; init; }

    /// <summary>
    /// Weight w of the weighted expected improvement <c>w (tau - mu) Phi(z) + (1 - w) sigma phi(z)</c> (Sobester et al.
    /// 2005), in (0, 1); 0.5 (default) is plain EI up to a factor; larger exploits more.
    /// </summary>
    public double ImprovementWeight { get; init; } = 0.5;

    /// <summary>Uniform random candidates scored per acquisition maximisation; default 500.</summary>
    public int RandomCandidates { get; init; } = 500;

    /// <summary>Distinct best candidates refined locally; default 5.</summary>
    public int LocalStarts { get; init; } = 5;

    /// <summary>Acquisition evaluations per local refinement; default 40.</summary>
    public int LocalSteps { get; init; } = 40;

    /// <summary>Gaussian-process bounds and fit effort.</summary>
    public GaussianProcessOptions Process { get; init; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> for an out-of-range setting.</summary>
    public void Validate()
    {
        if (InitialSamples is < 2)
        {
            throw new ArgumentException($"At least 2 initial samples are needed (got {InitialSamples}).", nameof(InitialSamples));
        }

        if (!(ImprovementWeight > 0 && ImprovementWeight < 1))
        {
            throw new ArgumentException($"Improvement weight must be in (0, 1) (got {ImprovementWeight}).", nameof(ImprovementWeight));
        }

        if (RandomCandidates < 1 || LocalStarts < 1 || LocalSteps < 0)
        {
            throw new ArgumentException("Acquisition search needs at least one random candidate and one local start.", nameof(RandomCandidates));
        }

        ArgumentNullException.ThrowIfNull(Process);
        Process.Validate();
    }

    internal int ResolveInitial(int dimension) => InitialSamples ?? Math.Max(10, 2 * dimension);
}

/// <summary>
/// BO-wEI, the constrained Bayesian optimisation of Lyu et al. ("An efficient Bayesian optimization approach for
/// automated optimization of analog circuits", TCAS-I 2018): one Gaussian process per objective and constraint
/// (<see cref="GaussianProcess"/>); once a feasible design exists the acquisition is weighted EI over the best feasible
/// objective times the probability of feasibility <c>prod_i Phi(-mu_i / sigma_i)</c>; until then it is the probability
/// of feasibility alone. Maximised in logs by <c>AcquisitionMaximizer</c> (random + local multi-start). In batch
/// mode the k best distinct local maxima are proposed.
/// </summary>
public sealed class BayesianOptimization : IOptimizer
{
    private readonly BayesianOptimizationOptions _options;
    private OptimizationContext? _context;
    private OutputModels? _models;
    private readonly List<Observation> _data = [];
    private readonly DesignQueue _initial = new();

    /// <summary>Creates a BO-wEI optimiser.</summary>
    public BayesianOptimization(BayesianOptimizationOptions? options = null)
    {
        _options = options ?? new BayesianOptimizationOptions();
        _options.Validate();
    }

    /// <inheritdoc/>
    public string Name => "BO-wEI";

    /// <inheritdoc/>
    public void Start(OptimizationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _models = new OutputModels(context.Dimension, context.ConstraintCount, _options.Process);
        _data.Clear();
        _initial.Reset(LatinHypercube.Sample(Math.Min(_options.ResolveInitial(context.Dimension), context.Budget), context.Dimension, context.Random));
    }

    /// <inheritdoc/>
    public IReadOnlyList<double[]> Ask(int maxCount)
    {
        var context = _context ?? throw new InvalidOperationException("Start was not called.");
        if (!_initial.IsEmpty)
        {
            return _initial.Take(maxCount);
        }

        var models = _models!;
        if (!models.Update(_data, _data.Count))
        {
            // Nothing has succeeded yet: keep exploring at random.
            return [RandomPoint(context)];
        }

        int m = context.ConstraintCount;
        double best = double.PositiveInfinity;
        foreach (var o in _data)
        {
            if (o.IsFeasible)
            {
                best = Math.Min(best, o.Evaluation.Objective);
            }
        }

        bool haveFeasible = double.IsFinite(best);
        double w = _options.ImprovementWeight;
        var mean = new double[m + 1];
        var sd = new double[m + 1];
        double Score(ReadOnlySpan<double> mean, ReadOnlySpan<double> sd)
        {
            double log = 0;
            for (int i = 1; i <= m; i++)
            {
                log += NormalDistribution.LogCdf(-mean[i] / sd[i]);
            }

            if (haveFeasible)
            {
                log += LogWeightedImprovement(best, mean[0], sd[0], w);
            }

            return log;
        }

        double Acquisition(double[] x)
        {
            models.Predict(x, mean, sd);
            return Score(mean, sd);
        }

        double[] BatchAcquisition(double[][] points)
        {
            int count = points.Length;
            var means = new double[count * (m + 1)];
            var sds = new double[count * (m + 1)];
            models.PredictBatch(points, means, sds);
            var scores = new double[count];
            for (int p = 0; p < count; p++)
            {
                scores[p] = Score(means.AsSpan(p * (m + 1), m + 1), sds.AsSpan(p * (m + 1), m + 1));
            }

            return scores;
        }

        var anchors = _data.Where(o => o.Evaluation.Succeeded)
            .OrderBy(o => o.Violation).ThenBy(o => o.Evaluation.Objective).ThenBy(o => o.Index)
            .Take(5).Select(o => o.Unit.ToArray()).ToList();
        var proposals = AcquisitionMaximizer.Maximize(
            Acquisition, BatchAcquisition, context.Dimension, anchors, maxCount, context.Random, _options.RandomCandidates, _options.LocalStarts, _options.LocalSteps);

        // A proposal that repeats an evaluated design would waste a simulation on a deterministic problem.
        for (int i = 0; i < proposals.Count; i++)
        {
            if (_data.Exists(o => AcquisitionMaximizer.Distance(o.Unit, proposals[i]) < 1e-9))
            {
                proposals[i] = RandomPoint(context);
            }
        }

        return proposals;
    }

    /// <inheritdoc/>
    public void Tell(IReadOnlyList<Observation> observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        _data.AddRange(observations);
    }

    /// <summary>
    /// log of <c>sigma [w z Phi(z) + (1 - w) phi(z)]</c>, z = (tau - mu) / sigma, computed so that the far tail
    /// (z &lt; -8) still ranks candidates instead of underflowing to log 0.
    /// </summary>
    internal static double LogWeightedImprovement(double tau, double mu, double sigma, double w)
    {
        double z = (tau - mu) / sigma;
        if (z > -8)
        {
            double h = (w * z * NormalDistribution.Cdf(z)) + ((1 - w) * NormalDistribution.Pdf(z));
            if (h > 1e-300)
            {
                return Math.Log(sigma) + Math.Log(h);
            }
        }

        // Mills ratio: Phi(z) ~ phi(z) / (-z) (1 - 1/z^2 + 3/z^4 - 15/z^6), so
        // h ~ phi(z) ((1 - 2w) + w (1/z^2 - 3/z^4 + 15/z^6)); floored so the log stays finite.
        double iz2 = 1 / (z * z);
        double factor = Math.Max(1 - (2 * w) + (w * iz2 * (1 - (3 * iz2) + (15 * iz2 * iz2))), 1e-300);
        return Math.Log(sigma) + NormalDistribution.LogPdf(z) + Math.Log(factor);
    }

    private static double[] RandomPoint(OptimizationContext context)
    {
        var x = new double[context.Dimension];
        for (int j = 0; j < x.Length; j++)
        {
            x[j] = context.Random.NextDouble();
        }

        return x;
    }
}
