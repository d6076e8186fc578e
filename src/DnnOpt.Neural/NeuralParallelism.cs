namespace DnnOpt.Neural;

/// <summary>Process-wide threading of the neural kernels.</summary>
public static class NeuralParallelism
{
    private static int _maxDegree = 1;

    /// <summary>
    /// Threads a large batched matrix product may use: 1 (serial) or 2 (the caller plus one persistent helper thread,
    /// rows split in halves). Default 1: the sizing loop keeps the other core busy simulating, and a helper thread that
    /// has to wait for a core turns a 1 ms training step into tens of milliseconds (measured on the 2-core CI machine
    /// under load; the README gives the quiet-machine figures). Results are bit-identical either way.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not 1 or 2.</exception>
    public static int MaxDegreeOfParallelism
    {
        get => Volatile.Read(ref _maxDegree);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 2);
            Volatile.Write(ref _maxDegree, value);
        }
    }
}
