namespace DnnOpt.Optimization;

/// <summary>
/// An optimiser that can learn from designs evaluated before its own search began (a designer's nominal design and
/// the sensitivity analysis around it, Section II-C of the DNN-Opt paper), so those simulations are not wasted.
/// </summary>
public interface ISeedableOptimizer : IOptimizer
{
    /// <summary>
    /// Hands the optimiser <paramref name="prior"/> observations, in its own space, after <see cref="IOptimizer.Start"/>
    /// and before the first <see cref="IOptimizer.Ask"/>. They are not part of the optimiser's budget: the caller
    /// already spent them. Deterministic like <see cref="IOptimizer.Tell"/>.
    /// </summary>
    void Seed(IReadOnlyList<Observation> prior);
}
