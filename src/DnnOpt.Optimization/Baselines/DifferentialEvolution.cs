namespace DnnOpt.Optimization.Baselines;

/// <summary>Settings of <see cref="DifferentialEvolution"/>.</summary>
public sealed record DifferentialEvolutionOptions
{
    /// <summary>
    /// Population size NP; null (default) picks <c>clamp(5 d, 20, 50)</c>: Storn and Price suggest 5-10 d, capped
    /// because the budgets compared here are hundreds of evaluations, not tens of thousands.
    /// </summary>
    public int? PopulationSize { get; init; }

    /// <summary>Differential weight F in (0, 2]; default 0.5.</summary>
    public double DifferentialWeight { get; init; } = 0.5;

    /// <summary>Crossover probability CR in [0, 1]; default 0.9.</summary>
    public double CrossoverProbability { get; init; } = 0.9;

    /// <summary>Throws <see cref="ArgumentException"/> for an out-of-range setting.</summary>
    public void Validate()
    {
        if (PopulationSize is < 4)
        {
            throw new ArgumentException($"DE needs a population of at least 4 (got {PopulationSize}).", nameof(PopulationSize));
        }

        if (!(DifferentialWeight > 0 && DifferentialWeight <= 2))
        {
            throw new ArgumentException($"Differential weight must be in (0, 2] (got {DifferentialWeight}).", nameof(DifferentialWeight));
        }

        if (!(CrossoverProbability >= 0 && CrossoverProbability <= 1))
        {
            throw new ArgumentException($"Crossover probability must be in [0, 1] (got {CrossoverProbability}).", nameof(CrossoverProbability));
        }
    }

    internal int ResolvePopulation(int dimension) => PopulationSize ?? Math.Clamp(5 * dimension, 20, 50);
}

/// <summary>
/// Differential evolution DE/rand/1/bin (Storn and Price 1997) with Deb's feasibility rules for constraints
/// (<see cref="FeasibilityRules"/>). Generational: the initial population is a Latin hypercube; each generation makes
/// one trial per member and the trial replaces its target when it is not worse. A coordinate that leaves the cube is
/// set midway between the base vector and the violated face (Price, Storn, Lampinen 2005, "bounce-back"). Batches
/// take consecutive trials of the current generation.
/// </summary>
public sealed class DifferentialEvolution : IOptimizer
{
    private readonly DifferentialEvolutionOptions _options;
    private Random _random = new(0);
    private int _d;
    private double[][] _population = [];
    private double[] _violation = [];
    private double[] _objective = [];
    private double[][] _trials = [];
    private double[] _trialViolation = [];
    private double[] _trialObjective = [];
    private bool _initialised;
    private int _asked;
    private int _told;

    /// <summary>Creates a DE optimiser.</summary>
    public DifferentialEvolution(DifferentialEvolutionOptions? options = null)
    {
        _options = options ?? new DifferentialEvolutionOptions();
        _options.Validate();
    }

    /// <inheritdoc/>
    public string Name => "DE";

    /// <inheritdoc/>
    public void Start(OptimizationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _random = context.Random;
        _d = context.Dimension;
        int np = _options.ResolvePopulation(_d);
        _population = LatinHypercube.Sample(np, _d, _random);
        _violation = new double[np];
        _objective = new double[np];
        _trials = _population; // the first "generation" evaluates the initial population itself
        _trialViolation = new double[np];
        _trialObjective = new double[np];
        _initialised = false;
        _asked = 0;
        _told = 0;
    }

    /// <inheritdoc/>
    public IReadOnlyList<double[]> Ask(int maxCount)
    {
        int count = Math.Min(maxCount, _trials.Length - _asked);
        var batch = new double[count][];
        for (int i = 0; i < count; i++)
        {
            batch[i] = (double[])_trials[_asked++].Clone();
        }

        return batch;
    }

    /// <inheritdoc/>
    public void Tell(IReadOnlyList<Observation> observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        foreach (var o in observations)
        {
            _trialViolation[_told] = o.Violation;
            _trialObjective[_told] = o.Evaluation.Objective;
            _told++;
        }

        if (_told < _trials.Length)
        {
            return;
        }

        if (!_initialised)
        {
            Array.Copy(_trialViolation, _violation, _violation.Length);
            Array.Copy(_trialObjective, _objective, _objective.Length);
            _initialised = true;
        }
        else
        {
            for (int i = 0; i < _population.Length; i++)
            {
                if (FeasibilityRules.Compare(_trialViolation[i], _trialObjective[i], _violation[i], _objective[i]) <= 0)
                {
                    _population[i] = _trials[i];
                    _violation[i] = _trialViolation[i];
                    _objective[i] = _trialObjective[i];
                }
            }
        }

        NextGeneration();
    }

    private void NextGeneration()
    {
        int np = _population.Length;
        var trials = new double[np][];
        for (int i = 0; i < np; i++)
        {
            int r1, r2, r3;
            do
            {
                r1 = _random.Next(np);
            }
            while (r1 == i);

            do
            {
                r2 = _random.Next(np);
            }
            while (r2 == i || r2 == r1);

            do
            {
                r3 = _random.Next(np);
            }
            while (r3 == i || r3 == r1 || r3 == r2);

            var target = _population[i];
            var baseVector = _population[r1];
            var trial = new double[_d];
            int jRand = _random.Next(_d);
            for (int j = 0; j < _d; j++)
            {
                if (j == jRand || _random.NextDouble() < _options.CrossoverProbability)
                {
                    double v = baseVector[j] + (_options.DifferentialWeight * (_population[r2][j] - _population[r3][j]));
                    if (v < 0)
                    {
                        v = baseVector[j] / 2;
                    }
                    else if (v > 1)
                    {
                        v = (baseVector[j] + 1) / 2;
                    }

                    trial[j] = v;
                }
                else
                {
                    trial[j] = target[j];
                }
            }

            trials[i] = trial;
        }

        _trials = trials;
        _asked = 0;
        _told = 0;
    }
}
