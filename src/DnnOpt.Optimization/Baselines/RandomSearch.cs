namespace DnnOpt.Optimization.Baselines;

/// <summary>
/// Random search by Latin hypercube: the whole budget is drawn as one Latin hypercube sample at start and proposed in
/// order, so any prefix is a well-spread random sample. The reference point for "how hard is this problem".
/// </summary>
public sealed class RandomSearch : IOptimizer
{
    private readonly DesignQueue _queue = new();

    /// <inheritdoc/>
    public string Name => "Random";

    /// <inheritdoc/>
    public void Start(OptimizationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _queue.Reset(LatinHypercube.Sample(context.Budget, context.Dimension, context.Random));
    }

    /// <inheritdoc/>
    public IReadOnlyList<double[]> Ask(int maxCount) => _queue.Take(maxCount);

    /// <inheritdoc/>
    public void Tell(IReadOnlyList<Observation> observations)
    {
    }
}
