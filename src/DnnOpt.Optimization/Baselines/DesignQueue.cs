namespace DnnOpt.Optimization.Baselines;

/// <summary>Designs fixed in advance (an initial Latin hypercube, a sensitivity stencil) handed out in order, batch by batch.</summary>
internal sealed class DesignQueue
{
    private double[][] _designs = [];
    private int _next;

    /// <summary>True once every design has been handed out.</summary>
    public bool IsEmpty => _next >= _designs.Length;

    /// <summary>Replaces the queue's contents and starts from the first design.</summary>
    public void Reset(double[][] designs)
    {
        _designs = designs;
        _next = 0;
    }

    /// <summary>The next designs, at most <paramref name="maxCount"/> (copies: callers may not alter the queue).</summary>
    public double[][] Take(int maxCount)
    {
        int count = Math.Min(maxCount, _designs.Length - _next);
        var batch = new double[Math.Max(0, count)][];
        for (int i = 0; i < batch.Length; i++)
        {
            batch[i] = (double[])_designs[_next++].Clone();
        }

        return batch;
    }
}
