namespace DnnOpt.Optimization.Baselines;

/// <summary>
/// Random search by Latin hypercube: the whole budget is drawn as one Latin hypercube sample at start and proposed in
/// order, so any prefix is a well-spread random sample. The reference point for "how hard is this problem".
/// </summary>
public sealed class RandomSearch : IOptimizer
{
    private double[][] _points = [];
    private int _next;

    /// <inheritdoc/>
    public string Name => "Random";

    /// <inheritdoc/>
    public void Start(OptimizationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _points = LatinHypercube.Sample(context.Budget, context.Dimension, context.Random);
        _next = 0;
    }

    /// <inheritdoc/>
    public IReadOnlyList<double[]> Ask(int maxCount)
    {
        int count = Math.Min(maxCount, _points.Length - _next);
        var batch = new double[count][];
        for (int i = 0; i < count; i++)
        {
            batch[i] = _points[_next++];
        }

        return batch;
    }

    /// <inheritdoc/>
    public void Tell(IReadOnlyList<Observation> observations)
    {
    }
}
