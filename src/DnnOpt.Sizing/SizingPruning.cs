using DnnOpt.Optimization;
using DnnOpt.Optimization.Sensitivity;

namespace DnnOpt.Sizing;

/// <summary>
/// Section II-C of the paper for a sizing problem, as <c>dnnopt size --prune</c> and the study harness both run it:
/// a sensitivity analysis around the designer's nominal design, then the inner optimiser on the critical variables.
/// </summary>
public static class SizingPruning
{
    /// <summary>
    /// Whether the sensitivity analysis uses central differences: they are second-order accurate, so they are spent when
    /// their 2d + 1 simulations take at most a fifth of the budget; otherwise forward differences (d + 1).
    /// </summary>
    /// <param name="dimension">Number of variables d.</param>
    /// <param name="budget">Simulations of the whole run.</param>
    /// <returns>True for central differences.</returns>
    public static bool Central(int dimension, int budget) => (5 * ((2 * dimension) + 1)) <= budget;

    /// <summary>The group of every variable for per-device pruning: its device, or itself when it sizes no single device.</summary>
    /// <param name="problem">The problem.</param>
    /// <returns>One group name per variable.</returns>
    public static string[] DeviceGroups(CircuitProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return [.. problem.Definition.Variables.Select(v => v.Device ?? v.Name)];
    }

    /// <summary>A physical design in unit-cube coordinates, clamped into the cube (a deck default may lie outside a range).</summary>
    /// <param name="problem">The problem.</param>
    /// <param name="physical">The design in SI units.</param>
    /// <returns>The unit-cube point.</returns>
    public static double[] Unit(CircuitProblem problem, IReadOnlyList<double> physical)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return [.. problem.Space.ToUnit([.. physical]).Select(u => Math.Clamp(u, 0, 1))];
    }

    /// <summary>Wraps <paramref name="inner"/> in the sensitivity pruning of Section II-C.</summary>
    /// <param name="problem">The problem (its variables, devices and nominal).</param>
    /// <param name="inner">The optimiser for the kept variables (e.g. DNN-Opt).</param>
    /// <param name="threshold">Relevance threshold (<see cref="SensitivityResult.CriticalFor"/>).</param>
    /// <param name="budget">The run's budget (decides central vs forward differences).</param>
    /// <param name="byDevice">Keep or freeze a device's variables together.</param>
    /// <param name="nominal">The nominal design in SI units; null for the decks' own values.</param>
    /// <returns>The pruning optimiser.</returns>
    public static PrunedOptimizer Create(CircuitProblem problem, IOptimizer inner, double threshold, int budget, bool byDevice, IReadOnlyList<double>? nominal = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var options = new SensitivityOptions
        {
            Nominal = Unit(problem, nominal ?? problem.DefaultDesign),
            Central = Central(problem.Space.Dimension, budget),
            Groups = byDevice ? DeviceGroups(problem) : null,
        };
        return new PrunedOptimizer(inner, options, threshold);
    }
}
