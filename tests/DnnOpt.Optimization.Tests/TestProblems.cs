namespace DnnOpt.Optimization.Tests;

/// <summary>
/// Small problems for runner tests: minimise sum (x_i - 0.3)^2 on [-1, 2]^d subject to x_0 + x_1 >= 1 (scale 2).
/// Designs with x_0 &lt; -0.9 fail (to exercise failure handling); x_0 &gt; 1.9 throws.
/// </summary>
internal sealed class ShiftedSphere : IProblem
{
    private int _calls;

    public ShiftedSphere(int dimension = 3)
    {
        Space = new DesignSpace(Enumerable.Range(0, dimension).Select(i => new DesignVariable($"x{i}", -1, 2)));
    }

    public string Name => "shifted-sphere";

    public DesignSpace Space { get; }

    public MetricInfo Objective { get; } = new("sumsq");

    public IReadOnlyList<MetricInfo> Constraints { get; } = [new("sum01", 2.0)];

    public int Calls => _calls;

    public Evaluation Evaluate(ReadOnlySpan<double> physicalX)
    {
        Interlocked.Increment(ref _calls);
        if (physicalX[0] < -0.9)
        {
            return Evaluation.Failure("x0 below -0.9: \"simulated\" non-convergence, with a comma");
        }

        if (physicalX[0] > 1.9)
        {
            throw new InvalidOperationException("evaluator crashed");
        }

        double f0 = 0;
        foreach (double x in physicalX)
        {
            f0 += (x - 0.3) * (x - 0.3);
        }

        return Evaluation.Success(f0, [1.0 - (physicalX[0] + physicalX[1])]);
    }
}

/// <summary>
/// A tiny stateful optimiser for runner tests: a (1+1) evolution strategy whose proposals depend on what it was told,
/// so a replay that served wrong results would diverge.
/// </summary>
internal sealed class OnePlusOneEs : IOptimizer
{
    private OptimizationContext? _context;
    private double[] _parent = [];
    private double _parentFom = double.PositiveInfinity;
    private double _sigma = 0.3;
    private double[][] _last = [];

    public string Name => "(1+1)-ES";

    public void Start(OptimizationContext context)
    {
        _context = context;
        _parent = Enumerable.Range(0, context.Dimension).Select(_ => context.Random.NextDouble()).ToArray();
        _parentFom = double.PositiveInfinity;
        _sigma = 0.3;
    }

    public IReadOnlyList<double[]> Ask(int maxCount)
    {
        var rng = _context!.Random;
        _last = new double[maxCount][];
        for (int k = 0; k < maxCount; k++)
        {
            _last[k] = _parent.Select(p => Math.Clamp(p + (_sigma * ((2 * rng.NextDouble()) - 1)), 0, 1)).ToArray();
        }

        return _last;
    }

    public void Tell(IReadOnlyList<Observation> observations)
    {
        bool improved = false;
        foreach (var o in observations)
        {
            if (o.Fom < _parentFom)
            {
                _parentFom = o.Fom;
                _parent = o.Unit.ToArray();
                improved = true;
            }
        }

        _sigma = improved ? Math.Min(0.5, _sigma * 1.5) : Math.Max(0.01, _sigma * 0.9);
    }
}

/// <summary>A problem that reports extra metrics: the Euclidean norm always, and x0 even when it fails (x0 &gt; 0.9).</summary>
internal sealed class MetricProblem(bool wrongCount = false) : IProblem
{
    public string Name => "metric-problem";

    public DesignSpace Space { get; } = new([new DesignVariable("a", 0, 1), new DesignVariable("b", 0, 1)]);

    public MetricInfo Objective { get; } = new("f");

    public IReadOnlyList<MetricInfo> Constraints { get; } = [new("g")];

    public IReadOnlyList<string> MetricNames => ["norm", "a_raw"];

    public Evaluation Evaluate(ReadOnlySpan<double> physicalX)
    {
        double norm = Math.Sqrt((physicalX[0] * physicalX[0]) + (physicalX[1] * physicalX[1]));
        if (wrongCount)
        {
            return Evaluation.Success(norm, [0.0], [norm]);
        }

        if (physicalX[0] > 0.9)
        {
            return Evaluation.Failure("a too large", [double.NaN, physicalX[0]]);
        }

        return Evaluation.Success(norm, [0.5 - physicalX[1]], [norm, physicalX[0]]);
    }
}
