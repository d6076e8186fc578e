namespace DnnOpt.Optimization.Baselines;

/// <summary>
/// Deb's feasibility rules (Deb 2000, "An efficient constraint handling method for genetic algorithms"): a feasible
/// design beats an infeasible one; two feasible designs compare by objective; two infeasible ones by total normalised
/// violation (<see cref="FigureOfMerit.Violation(ReadOnlySpan{double})"/>). A failed evaluation has infinite violation.
/// </summary>
public static class FeasibilityRules
{
    /// <summary>
    /// Negative when the design with (<paramref name="violationA"/>, <paramref name="objectiveA"/>) is better than the
    /// one with (<paramref name="violationB"/>, <paramref name="objectiveB"/>), positive when worse, 0 when tied.
    /// </summary>
    public static int Compare(double violationA, double objectiveA, double violationB, double objectiveB)
    {
        if (violationA == 0 && violationB == 0)
        {
            return objectiveA.CompareTo(objectiveB);
        }

        // Both infeasible (or one feasible, whose violation 0 is smaller): violation decides.
        return violationA.CompareTo(violationB);
    }

    /// <summary><see cref="Compare(double, double, double, double)"/> of two observations.</summary>
    public static int Compare(Observation a, Observation b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Compare(a.Violation, a.Evaluation.Objective, b.Violation, b.Evaluation.Objective);
    }
}
