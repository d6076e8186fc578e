using DnnOpt.Optimization.Surrogates;

namespace DnnOpt.Optimization.Baselines;

/// <summary>Settings of <see cref="Gaspad"/>.</summary>
public sealed record GaspadOptions
{
    /// <summary>Population size lambda (also the initial Latin-hypercube sample); null (default) picks <c>clamp(5 d, 20, 50)</c>.</summary>
    public int? PopulationSize { get; init; }

    /// <summary>DE differential weight F; default 0.8 (Liu et al. 2014).</summary>
    public double DifferentialWeight { get; init; } = 0.8;

    /// <summary>DE crossover probability CR; default 0.8 (Liu et al. 2014).</summary>
    public double CrossoverProbability { get; init; } = 0.8;

    /// <summary>Lower-confidence-bound multiplier omega in <c>mu - omega sigma</c>; default 2 (Liu et al. 2014).</summary>
    public double ConfidenceMultiplier { get; init; } = 2.0;

    /// <summary>How many of the most recent evaluations train the Gaussian processes; default 100.</summary>
    public int TrainingWindow { get; init; } = 100;

    /// <summary>Gaussian-process bounds and fit effort.</summary>
    public GaussianProcessOptions Process { get; init; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> for an out-of-range setting.</summary>
    public void Validate()
    {
        if (PopulationSize is < 4)
        {
            throw new ArgumentException($"GASPAD needs a population of at least 4 (got {PopulationSize}).", nameof(PopulationSize));
        }

        if (!(DifferentialWeight > 0 && DifferentialWeight <= 2) || !(CrossoverProbability >= 0 && CrossoverProbability <= 1))
        {
            throw new ArgumentException("Differential weight must be in (0, 2] and crossover probability in [0, 1].", nameof(DifferentialWeight));
        }

        if (!(ConfidenceMultiplier >= 0) || TrainingWindow < 4)
        {
            throw new ArgumentException("The confidence multiplier must be non-negative and the training window at least 4.", nameof(ConfidenceMultiplier));
        }

        ArgumentNullException.ThrowIfNull(Process);
        Process.Validate();
    }

    internal int ResolvePopulation(int dimension) => PopulationSize ?? Math.Clamp(5 * dimension, 20, 50);
}

/// <summary>
/// GASPAD (Liu, Zhao, Yu, Gielen, TCAD 2014): a surrogate-assisted DE. Each iteration ranks every evaluated design by
/// feasibility rules, takes the best lambda as the population, makes one DE/current-to-best/1/bin child per member, and
/// prescreens the children with Gaussian-process lower confidence bounds (objective <c>mu - omega sigma</c>, each
/// constraint likewise, compared by the same rules); only the best child is simulated (the k best in batch mode).
/// The processes are trained on the most recent <see cref="GaspadOptions.TrainingWindow"/> evaluations, a simpler
/// stand-in for the paper's locality-based training set.
/// </summary>
public sealed class Gaspad : IOptimizer
{
    private readonly GaspadOptions _options;
    private OptimizationContext? _context;
    private OutputModels? _models;
    private readonly List<Observation> _data = [];
    private readonly DesignQueue _initial = new();

    /// <summary>Creates a GASPAD optimiser.</summary>
    public Gaspad(GaspadOptions? options = null)
    {
        _options = options ?? new GaspadOptions();
        _options.Validate();
    }

    /// <inheritdoc/>
    public string Name => "GASPAD";

    /// <inheritdoc/>
    public void Start(OptimizationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _models = new OutputModels(context.Dimension, context.ConstraintCount, _options.Process);
        _data.Clear();
        _initial.Reset(LatinHypercube.Sample(Math.Min(_options.ResolvePopulation(context.Dimension), context.Budget), context.Dimension, context.Random));
    }

    /// <inheritdoc/>
    public IReadOnlyList<double[]> Ask(int maxCount)
    {
        var context = _context ?? throw new InvalidOperationException("Start was not called.");
        if (!_initial.IsEmpty)
        {
            return _initial.Take(maxCount);
        }

        var random = context.Random;
        int d = context.Dimension, m = context.ConstraintCount;
        var population = _data
            .OrderBy(o => o, Comparer<Observation>.Create(FeasibilityRules.Compare)).ThenBy(o => o.Index)
            .Take(_options.ResolvePopulation(d)).Select(o => o.Unit.ToArray()).ToArray();
        int np = population.Length;
        var best = population[0];
        var children = new double[np][];
        for (int i = 0; i < np; i++)
        {
            int r1, r2;
            do
            {
                r1 = random.Next(np);
            }
            while (r1 == i && np > 1);

            do
            {
                r2 = random.Next(np);
            }
            while ((r2 == i || r2 == r1) && np > 2);

            var child = new double[d];
            int jRand = random.Next(d);
            for (int j = 0; j < d; j++)
            {
                if (j == jRand || random.NextDouble() < _options.CrossoverProbability)
                {
                    double v = population[i][j] + (_options.DifferentialWeight * (best[j] - population[i][j]))
                        + (_options.DifferentialWeight * (population[r1][j] - population[r2][j]));
                    child[j] = v < 0 ? population[i][j] / 2 : v > 1 ? (population[i][j] + 1) / 2 : v;
                }
                else
                {
                    child[j] = population[i][j];
                }
            }

            children[i] = child;
        }

        var window = _data.Count > _options.TrainingWindow ? _data.GetRange(_data.Count - _options.TrainingWindow, _options.TrainingWindow) : _data;
        var models = _models!;
        if (!models.Update(window, _data.Count))
        {
            return children.Take(maxCount).ToArray();
        }

        // Prescreen: rank children by feasibility rules on lower confidence bounds of every output.
        var fom = context.Fom;
        var means = new double[np * (m + 1)];
        var sds = new double[np * (m + 1)];
        models.PredictBatch(children, means, sds);
        var scored = new (double Violation, double Objective, int Index)[np];
        for (int i = 0; i < np; i++)
        {
            var mean = means.AsSpan(i * (m + 1), m + 1);
            var sd = sds.AsSpan(i * (m + 1), m + 1);
            double violation = 0;
            for (int c = 1; c <= m; c++)
            {
                violation += Math.Max(0, fom.ConstraintCoefficients[c - 1] * (mean[c] - (_options.ConfidenceMultiplier * sd[c])));
            }

            scored[i] = (violation, mean[0] - (_options.ConfidenceMultiplier * sd[0]), i);
        }

        return scored
            .OrderBy(s => s, Comparer<(double Violation, double Objective, int Index)>.Create((a, b) =>
            {
                int c = FeasibilityRules.Compare(a.Violation, a.Objective, b.Violation, b.Objective);
                return c != 0 ? c : a.Index.CompareTo(b.Index);
            }))
            .Take(maxCount).Select(s => children[s.Index]).ToArray();
    }

    /// <inheritdoc/>
    public void Tell(IReadOnlyList<Observation> observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        _data.AddRange(observations);
    }
}
