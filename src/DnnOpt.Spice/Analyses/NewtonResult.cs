namespace DnnOpt.Spice.Analyses;

/// <summary>Why a Newton-Raphson solve stopped.</summary>
public enum NewtonExit
{
    /// <summary>Every unknown and every device current met the SPICE tolerances.</summary>
    Converged,

    /// <summary>The iteration limit (itl1 or itl2) was reached.</summary>
    IterationLimit,

    /// <summary>The matrix had no usable pivot (floating node, source loop, or a device with zero conductance).</summary>
    Singular,

    /// <summary>The solution contained NaN or infinity.</summary>
    NotFinite,
}

/// <summary>
/// Outcome of one Newton solve: exit reason, iterations used, and the unknown to blame (the one furthest from
/// convergence, or the pivot that failed), by index and by name (<c>out</c>, <c>v1#branch</c>).
/// </summary>
/// <param name="Exit">Why it stopped.</param>
/// <param name="Iterations">Newton iterations performed.</param>
/// <param name="WorstUnknown">Index of the unknown that failed; -1 when converged.</param>
/// <param name="WorstUnknownName">Name of that unknown; null when converged.</param>
public readonly record struct NewtonResult(NewtonExit Exit, int Iterations, int WorstUnknown, string? WorstUnknownName)
{
    /// <summary>True when <see cref="Exit"/> is <see cref="NewtonExit.Converged"/>.</summary>
    public bool Converged => Exit == NewtonExit.Converged;
}
