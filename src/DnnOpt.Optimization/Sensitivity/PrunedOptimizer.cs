namespace DnnOpt.Optimization.Sensitivity;

/// <summary>
/// Section II-C of the paper as one optimiser: first the sensitivity analysis of eq. 7 around a nominal design
/// (its d + 1 or 2d + 1 simulations count in the run's budget and history like any other), then the inner optimiser
/// (DNN-Opt) on the critical variables only, the others frozen at their nominal values.
/// </summary>
/// <remarks>
/// The critical variables are those whose normalised sensitivity to the outputs the nominal design fails exceeds the
/// threshold (<see cref="SensitivityResult.CriticalFor"/>); if none does, every variable is kept. The inner optimiser
/// sees a reduced unit cube; its candidates are expanded with the nominal's coordinates before the runner evaluates
/// them, and its observations are reduced back. An inner optimiser that is an <see cref="ISeedableOptimizer"/> (DNN-Opt)
/// is seeded with the sensitivity designs that lie in the kept subspace (the nominal and the perturbations of kept
/// variables), so it starts from the nominal instead of ignoring it. Deterministic like its parts, so runs resume
/// from their history.
/// </remarks>
public sealed class PrunedOptimizer : IOptimizer
{
    private readonly IOptimizer _inner;
    private readonly SensitivityOptions _options;
    private readonly double _threshold;
    private readonly List<Observation> _sensitivityObservations = [];
    private OptimizationContext? _context;
    private double[][] _designs = [];
    private int _asked;
    private int[]? _free;
    private double[] _nominalUnit = [];

    /// <summary>Creates the optimiser.</summary>
    /// <param name="inner">Optimiser for the reduced problem (e.g. DNN-Opt).</param>
    /// <param name="options">Sensitivity settings, including the nominal design.</param>
    /// <param name="threshold">Relevance threshold of <see cref="SensitivityResult.CriticalFor"/> (positive).</param>
    public PrunedOptimizer(IOptimizer inner, SensitivityOptions options, double threshold)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threshold);
        _inner = inner;
        _options = options;
        _threshold = threshold;
    }

    /// <inheritdoc/>
    public string Name => _inner.Name + "+pruning";

    /// <summary>The sensitivity settings (nominal, step, central or forward, groups).</summary>
    public SensitivityOptions Options => _options;

    /// <summary>The sensitivity matrix, once its simulations are done (null before).</summary>
    public SensitivityResult? Sensitivity { get; private set; }

    /// <summary>The variables kept for the inner optimiser, once chosen (null before).</summary>
    public IReadOnlyList<int>? KeptVariables => _free;

    /// <inheritdoc/>
    public void Start(OptimizationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _designs = SensitivityAnalysis.Designs(context.Space, _options);
        _asked = 0;
        _free = null;
        Sensitivity = null;
        _sensitivityObservations.Clear();
        _nominalUnit = _designs[0];
    }

    /// <inheritdoc/>
    public IReadOnlyList<double[]> Ask(int maxCount)
    {
        _ = _context ?? throw new InvalidOperationException("Start the optimiser first.");
        if (_free is null)
        {
            int n = Math.Min(maxCount, _designs.Length - _asked);
            var batch = new double[n][];
            for (int i = 0; i < n; i++)
            {
                batch[i] = (double[])_designs[_asked + i].Clone();
            }

            _asked += n;
            return batch;
        }

        IReadOnlyList<double[]> reduced = _inner.Ask(maxCount);
        var full = new double[reduced.Count][];
        for (int k = 0; k < reduced.Count; k++)
        {
            double[] x = (double[])_nominalUnit.Clone();
            for (int j = 0; j < _free.Length; j++)
            {
                x[_free[j]] = reduced[k][j];
            }

            full[k] = x;
        }

        return full;
    }

    /// <inheritdoc/>
    public void Tell(IReadOnlyList<Observation> observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        OptimizationContext context = _context ?? throw new InvalidOperationException("Start the optimiser first.");
        if (_free is null)
        {
            _sensitivityObservations.AddRange(observations);
            if (_sensitivityObservations.Count >= _designs.Length)
            {
                Choose(context);
            }

            return;
        }

        int[] free = _free;
        _inner.Tell([.. observations.Select(o => Reduce(o, free))]);
    }

    private void Choose(OptimizationContext context)
    {
        int[] free;
        if (_sensitivityObservations[0].Evaluation.Succeeded)
        {
            // The nominal must be the first design (it is: Designs puts it first), so FromObservations can difference.
            Sensitivity = SensitivityResult.FromObservations(new SpaceOnly(context), _options, _sensitivityObservations);
            free = Sensitivity.CriticalFor(_threshold);
        }
        else
        {
            // No reference to difference against: nothing can be pruned.
            free = [];
        }

        _free = free.Length > 0 ? free : [.. Enumerable.Range(0, context.Space.Dimension)];
        var subspace = new DesignSpace(_free.Select(j => context.Space[j]));
        int remaining = Math.Max(1, context.Budget - _sensitivityObservations.Count);
        _inner.Start(context with { Space = subspace, Budget = remaining });
        if (_inner is ISeedableOptimizer seedable)
        {
            seedable.Seed(InSubspace(_sensitivityObservations));
        }
    }

    /// <summary>
    /// The sensitivity designs that lie in the kept subspace (every frozen variable at its nominal value: the nominal
    /// and the perturbations of kept variables), reduced to the kept coordinates. The others moved a frozen variable,
    /// so the inner optimiser could never propose them and must not learn from them.
    /// </summary>
    private List<Observation> InSubspace(IEnumerable<Observation> observations)
    {
        int[] free = _free ?? throw new InvalidOperationException("No variables chosen yet.");
        var frozen = new bool[_nominalUnit.Length];
        Array.Fill(frozen, true);
        foreach (int j in free)
        {
            frozen[j] = false;
        }

        var kept = new List<Observation>();
        foreach (Observation o in observations)
        {
            bool inside = true;
            for (int j = 0; j < frozen.Length && inside; j++)
            {
                inside = !frozen[j] || o.Unit[j] == _nominalUnit[j];
            }

            if (inside)
            {
                kept.Add(Reduce(o, free));
            }
        }

        return kept;
    }

    private static Observation Reduce(Observation o, int[] free)
    {
        var unit = new double[free.Length];
        var physical = new double[free.Length];
        for (int j = 0; j < free.Length; j++)
        {
            unit[j] = o.Unit[free[j]];
            physical[j] = o.Physical[free[j]];
        }

        return new Observation(o.Index, o.Batch, unit, physical, o.Evaluation, o.Fom, o.Violation, o.Timing);
    }

    /// <summary>The parts of a problem <see cref="SensitivityResult.FromObservations"/> reads (space, metrics).</summary>
    private sealed class SpaceOnly(OptimizationContext context) : IProblem
    {
        public string Name => "pruned";

        public DesignSpace Space => context.Space;

        public MetricInfo Objective => context.Objective;

        public IReadOnlyList<MetricInfo> Constraints => context.Constraints;

        public Evaluation Evaluate(ReadOnlySpan<double> physicalX) => throw new NotSupportedException("the sensitivity result only reads the problem's description");
    }
}
