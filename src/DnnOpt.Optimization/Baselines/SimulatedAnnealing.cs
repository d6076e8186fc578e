namespace DnnOpt.Optimization.Baselines;

/// <summary>Settings of <see cref="SimulatedAnnealing"/>.</summary>
public sealed record SimulatedAnnealingOptions
{
    /// <summary>Random designs drawn before the chain starts; the best becomes the start and their FoM spread sets T0. Default 10.</summary>
    public int WarmupSamples { get; init; } = 10;

    /// <summary>Final temperature as a fraction of the initial one, reached when the budget is spent; default 1e-3.</summary>
    public double FinalTemperatureRatio { get; init; } = 1e-3;

    /// <summary>Initial neighbour step (standard deviation per unit-cube coordinate); default 0.2.</summary>
    public double InitialStep { get; init; } = 0.2;

    /// <summary>Smallest neighbour step; default 0.005.</summary>
    public double MinimumStep { get; init; } = 0.005;

    /// <summary>
    /// A design to start from (unit-cube coordinates), e.g. the designer's nominal when fine-tuning (the paper's
    /// Table V setting): the first warm-up design is this point and the others are neighbours of it at the initial step,
    /// so T0 reflects the landscape around it. Null (default): random warm-up designs over the whole cube.
    /// </summary>
    public IReadOnlyList<double>? Start { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> for an out-of-range setting.</summary>
    public void Validate()
    {
        if (WarmupSamples < 1)
        {
            throw new ArgumentException($"Warm-up samples must be at least 1 (got {WarmupSamples}).", nameof(WarmupSamples));
        }

        if (!(FinalTemperatureRatio > 0 && FinalTemperatureRatio < 1))
        {
            throw new ArgumentException($"Final temperature ratio must be in (0, 1) (got {FinalTemperatureRatio}).", nameof(FinalTemperatureRatio));
        }

        if (!(InitialStep > 0 && InitialStep <= 1) || !(MinimumStep > 0 && MinimumStep <= InitialStep))
        {
            throw new ArgumentException($"Steps must satisfy 0 < minimum ({MinimumStep}) <= initial ({InitialStep}) <= 1.", nameof(InitialStep));
        }

        if (Start is { } s && s.Any(u => !(u >= 0 && u <= 1)))
        {
            throw new ArgumentException("The start design must lie in the unit cube.", nameof(Start));
        }
    }
}

/// <summary>
/// Simulated annealing on the figure of merit g (eq. 4), the kind of commercial baseline of the paper's Table V.
/// Metropolis acceptance <c>exp(-(g_new - g_cur) / T)</c>; geometric cooling from T0 (the robust spread of the
/// warm-up FoMs) to <c>T0 * FinalTemperatureRatio</c> over the budget; Gaussian neighbours in the unit cube whose step
/// shrinks with <c>sqrt(T / T0)</c>, reflected at the faces. Failed designs (g = +inf) are never accepted. In batch mode
/// the k neighbours of one iteration are drawn around the same current design and accepted in order.
/// </summary>
public sealed class SimulatedAnnealing : IOptimizer
{
    private readonly SimulatedAnnealingOptions _options;
    private Random _random = new(0);
    private int _d;
    private int _budget;
    private int _evaluations;
    private int _warmup;
    private double[] _current = [];
    private double _currentFom = double.PositiveInfinity;
    private double _t0 = 1;
    private readonly List<double> _warmupFoms = [];

    /// <summary>Creates a simulated-annealing optimiser.</summary>
    public SimulatedAnnealing(SimulatedAnnealingOptions? options = null)
    {
        _options = options ?? new SimulatedAnnealingOptions();
        _options.Validate();
    }

    /// <inheritdoc/>
    public string Name => "SA";

    /// <inheritdoc/>
    public void Start(OptimizationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _random = context.Random;
        _d = context.Dimension;
        _budget = context.Budget;
        _warmup = Math.Min(_options.WarmupSamples, context.Budget);
        _evaluations = 0;
        _current = [];
        _currentFom = double.PositiveInfinity;
        _t0 = 1;
        _warmupFoms.Clear();
        if (_options.Start is { } start && start.Count != _d)
        {
            throw new ArgumentException($"The start design has {start.Count} coordinates for {_d} variables.", nameof(context));
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<double[]> Ask(int maxCount)
    {
        if (_evaluations < _warmup)
        {
            int n = Math.Min(maxCount, _warmup - _evaluations);
            var warm = new double[n][];
            for (int i = 0; i < n; i++)
            {
                warm[i] = new double[_d];
                IReadOnlyList<double>? start = _options.Start;
                for (int j = 0; j < _d; j++)
                {
                    warm[i][j] = start is null ? _random.NextDouble()
                        : _evaluations + i == 0 ? start[j]
                        : RandomExtensions.Reflect(start[j] + (_options.InitialStep * _random.NextGaussian()));
                }
            }

            return warm;
        }

        double step = Math.Max(_options.MinimumStep, _options.InitialStep * Math.Sqrt(Temperature() / _t0));
        var batch = new double[maxCount][];
        for (int i = 0; i < maxCount; i++)
        {
            batch[i] = new double[_d];
            for (int j = 0; j < _d; j++)
            {
                batch[i][j] = RandomExtensions.Reflect(_current[j] + (step * _random.NextGaussian()));
            }
        }

        return batch;
    }

    /// <inheritdoc/>
    public void Tell(IReadOnlyList<Observation> observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        foreach (var o in observations)
        {
            if (_evaluations < _warmup)
            {
                if (double.IsFinite(o.Fom))
                {
                    _warmupFoms.Add(o.Fom);
                }

                if (_current.Length == 0 || o.Fom < _currentFom)
                {
                    _current = o.Unit.ToArray();
                    _currentFom = o.Fom;
                }

                _evaluations++;
                if (_evaluations == _warmup)
                {
                    _t0 = InitialTemperature();
                }

                continue;
            }

            double t = Temperature();
            double delta = o.Fom - _currentFom;
            bool accept = delta <= 0 || (double.IsFinite(delta) && _random.NextDouble() < Math.Exp(-delta / t));
            if (accept)
            {
                _current = o.Unit.ToArray();
                _currentFom = o.Fom;
            }

            _evaluations++;
        }
    }

    // T0 is the robust spread (1.4826 x median absolute deviation) of the warm-up FoMs: a few wild designs (a huge
    // objective far from the optimum) would otherwise set a temperature at which every later move is accepted.
    private double InitialTemperature()
    {
        if (_warmupFoms.Count < 2)
        {
            return 1.0;
        }

        double median = Median(_warmupFoms);
        double mad = Median(_warmupFoms.Select(f => Math.Abs(f - median)).ToList());
        return mad > 0 ? 1.4826 * mad : 1.0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[(n / 2) - 1] + sorted[n / 2]);
    }

    private double Temperature()
    {
        double progress = Math.Clamp((double)(_evaluations - _warmup) / Math.Max(1, _budget - _warmup), 0, 1);
        return _t0 * Math.Pow(_options.FinalTemperatureRatio, progress);
    }
}
