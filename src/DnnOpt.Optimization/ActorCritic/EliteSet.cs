namespace DnnOpt.Optimization.ActorCritic;

/// <summary>
/// The elite population of DNN-Opt: the N_es designs with the smallest figure of merit, and the box they span
/// (lb_rest, ub_rest of eq. 6), which restricts where the actor may move designs.
/// </summary>
public sealed class EliteSet
{
    private readonly int[] _members;
    private readonly double[] _lower;
    private readonly double[] _upper;

    private EliteSet(int[] members, double[] lower, double[] upper)
    {
        _members = members;
        _lower = lower;
        _upper = upper;
    }

    /// <summary>Indices (into the designs given to <see cref="Select"/>) of the elites, best first.</summary>
    public ReadOnlySpan<int> Members => _members;

    /// <summary>lb_rest: per-coordinate minimum over the elites.</summary>
    public ReadOnlySpan<double> Lower => _lower;

    /// <summary>ub_rest: per-coordinate maximum over the elites.</summary>
    public ReadOnlySpan<double> Upper => _upper;

    /// <summary>
    /// Picks the <paramref name="size"/> designs with the smallest finite FoM (ties: earlier design first) and computes
    /// their bounding box. Designs with a non-finite FoM (failures) are never elites.
    /// </summary>
    /// <param name="designs">Designs as rows of length <paramref name="dimension"/> (row-major).</param>
    /// <param name="fom">FoM per design.</param>
    /// <param name="dimension">d.</param>
    /// <param name="size">N_es.</param>
    /// <exception cref="ArgumentException">No design has a finite FoM, or lengths are inconsistent.</exception>
    public static EliteSet Select(ReadOnlySpan<double> designs, ReadOnlySpan<double> fom, int dimension, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        if (designs.Length != fom.Length * dimension)
        {
            throw new ArgumentException($"Expected {fom.Length} designs of {dimension} coordinates, got {designs.Length} values.", nameof(designs));
        }

        var candidates = new List<int>(fom.Length);
        for (int i = 0; i < fom.Length; i++)
        {
            if (double.IsFinite(fom[i]))
            {
                candidates.Add(i);
            }
        }

        if (candidates.Count == 0)
        {
            throw new ArgumentException("No design has a finite figure of merit.", nameof(fom));
        }

        double[] g = fom.ToArray();
        candidates.Sort((a, b) => g[a] != g[b] ? g[a].CompareTo(g[b]) : a.CompareTo(b));
        int[] members = candidates.Take(size).ToArray();
        var lower = new double[dimension];
        var upper = new double[dimension];
        lower.AsSpan().Fill(double.PositiveInfinity);
        upper.AsSpan().Fill(double.NegativeInfinity);
        foreach (int e in members)
        {
            for (int j = 0; j < dimension; j++)
            {
                double x = designs[(e * dimension) + j];
                lower[j] = Math.Min(lower[j], x);
                upper[j] = Math.Max(upper[j], x);
            }
        }

        return new EliteSet(members, lower, upper);
    }

    /// <summary>
    /// The same elites with their box widened by <paramref name="fraction"/> of its width on each side, clipped to the
    /// unit cube; this set itself when <paramref name="fraction"/> is 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is negative or not finite.</exception>
    public EliteSet Expanded(double fraction)
    {
        if (!(fraction >= 0) || !double.IsFinite(fraction))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "Expansion must be non-negative and finite.");
        }

        if (fraction == 0)
        {
            return this;
        }

        var lower = new double[_lower.Length];
        var upper = new double[_upper.Length];
        for (int j = 0; j < lower.Length; j++)
        {
            double margin = fraction * (_upper[j] - _lower[j]);
            lower[j] = Math.Max(0, _lower[j] - margin);
            upper[j] = Math.Min(1, _upper[j] + margin);
        }

        return new EliteSet(_members, lower, upper);
    }

    /// <summary>
    /// viol of eq. 6 for a moved design x + Δx: <c>max(0, lb − (x+Δx)) + max(0, (x+Δx) − ub)</c> per coordinate, written
    /// to <paramref name="violation"/>.
    /// </summary>
    public void Violation(ReadOnlySpan<double> moved, Span<double> violation)
    {
        if (moved.Length != _lower.Length || violation.Length != _lower.Length)
        {
            throw new ArgumentException($"Expected vectors of {_lower.Length} coordinates.", nameof(moved));
        }

        for (int j = 0; j < moved.Length; j++)
        {
            violation[j] = CoordinateViolation(j, moved[j], out _);
        }
    }

    /// <summary>
    /// viol of eq. 6 for coordinate <paramref name="k"/> of a moved design, with the sign of its derivative w.r.t. the
    /// coordinate in <paramref name="direction"/> (−1 below the box, +1 above, 0 inside).
    /// </summary>
    internal double CoordinateViolation(int k, double moved, out float direction)
    {
        double below = _lower[k] - moved;
        double above = moved - _upper[k];
        direction = below > 0 ? -1f : above > 0 ? 1f : 0f;
        return Math.Max(0, below) + Math.Max(0, above);
    }
}
