namespace DnnOpt.Optimization;

/// <summary>
/// An optimiser in ask/tell form. The <see cref="OptimizationRunner"/> owns the loop: it asks for up to k candidates,
/// evaluates them (in parallel if allowed, or replays them from a history when resuming), records them, and tells the
/// optimiser the results in the same order. An optimiser never calls the problem itself.
/// </summary>
/// <remarks>
/// Determinism contract: with the same <see cref="OptimizationContext"/> (same seeded <see cref="Random"/>) and the same
/// observations told, an optimiser proposes bit-identical candidates. Resume from a history relies on it: the run is
/// replayed with the same seed and evaluations already in the history are served from it.
/// </remarks>
public interface IOptimizer
{
    /// <summary>Short name used in reports (e.g. "DE", "BO-wEI").</summary>
    string Name { get; }

    /// <summary>Called once before the first <see cref="Ask"/>; resets all state.</summary>
    void Start(OptimizationContext context);

    /// <summary>
    /// Proposes between 1 and <paramref name="maxCount"/> candidates in unit-cube coordinates (each of length d;
    /// coordinates outside [0, 1] are clamped by the runner). An empty list means the optimiser has nothing more to
    /// propose and the run ends with <see cref="StopReason.OptimizerFinished"/>.
    /// </summary>
    IReadOnlyList<double[]> Ask(int maxCount);

    /// <summary>Results for every candidate of the last <see cref="Ask"/>, in the order proposed.</summary>
    void Tell(IReadOnlyList<Observation> observations);
}

/// <summary>What an optimiser knows about the run it is part of.</summary>
/// <param name="Space">The design space (dimension d = <c>Space.Dimension</c>).</param>
/// <param name="Objective">The objective's name and scale.</param>
/// <param name="Constraints">The constraints' names and scales (m = Count).</param>
/// <param name="Fom">The figure of merit g of this run (eq. 4).</param>
/// <param name="Random">The run's seeded random source: the only randomness an optimiser may use.</param>
/// <param name="Budget">Total number of evaluations the run may make (including initial samples).</param>
/// <param name="BatchSize">Maximum number of candidates asked for per iteration (k).</param>
public sealed record OptimizationContext(
    DesignSpace Space,
    MetricInfo Objective,
    IReadOnlyList<MetricInfo> Constraints,
    FigureOfMerit Fom,
    Random Random,
    int Budget,
    int BatchSize)
{
    /// <summary>Number of design variables d.</summary>
    public int Dimension => Space.Dimension;

    /// <summary>Number of constraints m.</summary>
    public int ConstraintCount => Constraints.Count;
}
