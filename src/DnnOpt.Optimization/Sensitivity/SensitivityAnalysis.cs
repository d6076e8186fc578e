using DnnOpt.Optimization.Baselines;

namespace DnnOpt.Optimization.Sensitivity;

/// <summary>Settings of a <see cref="SensitivityAnalysis"/>.</summary>
public sealed record SensitivityOptions
{
    /// <summary>Perturbation per variable in unit-cube coordinates; default 0.05 (5 % of the range).</summary>
    public double Step { get; init; } = 0.05;

    /// <summary>
    /// Central differences (2 d + 1 evaluations) instead of forward ones (d + 1); default false, the paper's one-sided
    /// perturbation.
    /// </summary>
    public bool Central { get; init; }

    /// <summary>Nominal design in unit-cube coordinates; null (default) is the centre of the cube.</summary>
    public IReadOnlyList<double>? Nominal { get; init; }

    /// <summary>
    /// Group of every variable (e.g. the device it sizes: <c>m12</c> for <c>w_m12</c> and <c>l_m12</c>), so pruning keeps or
    /// freezes a device as a whole, as a designer thinks; null (default) makes every variable its own group.
    /// </summary>
    public IReadOnlyList<string>? Groups { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> for a step outside (0, 0.5] or a nominal point outside the cube.</summary>
    public void Validate()
    {
        if (!(Step > 0 && Step <= 0.5))
        {
            throw new ArgumentException($"Sensitivity step must be in (0, 0.5] (got {Step}).", nameof(Step));
        }

        if (Nominal is { } n && n.Any(u => !(u >= 0 && u <= 1)))
        {
            throw new ArgumentException("The nominal design must lie in the unit cube.", nameof(Nominal));
        }
    }
}

/// <summary>
/// Sensitivity analysis of paper eq. 7, <c>S_ij = d f_i / d x_j</c>, by finite differences around a nominal design,
/// run as an <see cref="IOptimizer"/> so its evaluations go through the <see cref="OptimizationRunner"/> (history,
/// budget, parallel evaluation) and count as simulations. It proposes the nominal design and one (forward) or two
/// (central) perturbations per variable, then finishes; <see cref="SensitivityResult.FromObservations"/> turns the run
/// into the matrix. Integer variables are stepped by at least one integer, and a step that would leave the cube is taken
/// the other way.
/// </summary>
public sealed class SensitivityAnalysis : IOptimizer
{
    private readonly SensitivityOptions _options;
    private readonly DesignQueue _designs = new();

    /// <summary>Creates the analysis.</summary>
    public SensitivityAnalysis(SensitivityOptions? options = null)
    {
        _options = options ?? new SensitivityOptions();
        _options.Validate();
    }

    /// <inheritdoc/>
    public string Name => "Sensitivity";

    /// <summary>Number of evaluations the analysis needs for a space of <paramref name="dimension"/> variables.</summary>
    public int EvaluationCount(int dimension) => 1 + ((_options.Central ? 2 : 1) * dimension);

    /// <inheritdoc/>
    public void Start(OptimizationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _designs.Reset(Designs(context.Space, _options));
    }

    /// <inheritdoc/>
    public IReadOnlyList<double[]> Ask(int maxCount) => _designs.Take(maxCount);

    /// <inheritdoc/>
    public void Tell(IReadOnlyList<Observation> observations)
    {
    }

    /// <summary>
    /// The designs the analysis evaluates, in order: the nominal, then for each variable j its forward (and, when
    /// central, backward) perturbation.
    /// </summary>
    public static double[][] Designs(DesignSpace space, SensitivityOptions options)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int d = space.Dimension;
        if (options.Nominal is { } given && given.Count != d)
        {
            throw new ArgumentException($"Nominal design has {given.Count} coordinates; the space has {d}.", nameof(options));
        }

        // Snap the nominal onto integer bin centres so a perturbation of one bin moves exactly one integer.
        var nominal = space.ToUnit(space.ToPhysical(options.Nominal?.ToArray() ?? Enumerable.Repeat(0.5, d).ToArray()));
        var designs = new List<double[]> { nominal };
        for (int j = 0; j < d; j++)
        {
            double h = Step(space[j], options.Step);
            bool forwardFits = nominal[j] + h <= 1;
            designs.Add(Perturb(nominal, j, forwardFits ? h : -h));
            if (options.Central)
            {
                // At a bound the pair cannot straddle the nominal: the second design is the nominal itself, so the
                // difference stays one-sided over h instead of dividing by zero.
                bool backwardFits = forwardFits && nominal[j] - h >= 0;
                designs.Add(Perturb(nominal, j, backwardFits ? -h : 0));
            }
        }

        return [.. designs];
    }

    internal static double Step(DesignVariable variable, double step) =>
        variable.Kind == VariableKind.Integer ? Math.Max(step, 1.0 / (variable.Upper - variable.Lower + 1)) : step;

    private static double[] Perturb(double[] nominal, int j, double h)
    {
        var x = (double[])nominal.Clone();
        x[j] = Math.Clamp(x[j] + h, 0, 1);
        return x;
    }
}
