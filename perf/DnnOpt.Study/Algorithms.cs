using DnnOpt.Optimization;
using DnnOpt.Optimization.ActorCritic;
using DnnOpt.Optimization.Baselines;

namespace DnnOpt.Study;

/// <summary>
/// The algorithms the study can run, by name. To add one (DNN-Opt), add a line to <see cref="Default"/>: a name and a
/// factory that makes a fresh optimiser per run.
/// </summary>
public sealed class AlgorithmRegistry
{
    private readonly List<(string Name, Func<IOptimizer> Factory)> _entries = [];

    /// <summary>The registry with every algorithm the study knows.</summary>
    public static AlgorithmRegistry Default()
    {
        var registry = new AlgorithmRegistry();
        registry.Add("Random", () => new RandomSearch());
        registry.Add("DE", () => new DifferentialEvolution());
        registry.Add("SA", () => new SimulatedAnnealing());
        registry.Add("BO-wEI", () => new BayesianOptimization());
        registry.Add("GASPAD", () => new Gaspad());
        registry.Add("DNN-Opt", () => new DnnOptimizer());

        // Ablations of the settings the paper leaves open (README, "DNN-Opt settings"): each changes one default.
        registry.Add("DNN-Opt/reinit", () => new DnnOptimizer(new DnnOptOptions { WarmStart = false, CriticSteps = 300, ActorSteps = 150 }));
        registry.Add("DNN-Opt/noise0.05", () => new DnnOptimizer(new DnnOptOptions { ExplorationNoise = 0.05 }));
        registry.Add("DNN-Opt/elite20", () => new DnnOptimizer(new DnnOptOptions { EliteSize = 20 }));
        registry.Add("DNN-Opt/feasible-credit", () => new DnnOptimizer(new DnnOptOptions { InfeasibleObjectiveCredit = false }));
        registry.Add("DNN-Opt/lambda10", () => new DnnOptimizer(new DnnOptOptions { PenaltyLambda = 10 }));
        registry.Add("DNN-Opt/lambda1000", () => new DnnOptimizer(new DnnOptOptions { PenaltyLambda = 1000 }));
        registry.Add("DNN-Opt/w0=1", () => new DnnOptimizer(new DnnOptOptions { ObjectiveWeight = 1 }));
        registry.Add("DNN-Opt/clip", () => new DnnOptimizer(new DnnOptOptions { ViolationTail = 0 }));
        registry.Add("DNN-Opt/tail0.3", () => new DnnOptimizer(new DnnOptOptions { ViolationTail = 0.3 }));
        registry.Add("DNN-Opt/no-impute", () => new DnnOptimizer(new DnnOptOptions { ImputeFailures = false }));
        registry.Add("DNN-Opt/fixed-noise", () => new DnnOptimizer(new DnnOptOptions { StallProposals = 0 }));
        registry.Add("DNN-Opt/widen-always", () => new DnnOptimizer(new DnnOptOptions { WidenAfterFeasible = true }));
        registry.Add("DNN-Opt/stall20", () => new DnnOptimizer(new DnnOptOptions { StallProposals = 20 }));
        registry.Add("DNN-Opt/init5", () => new DnnOptimizer(new DnnOptOptions { InitialSamples = 5 }));
        registry.Add("DNN-Opt/cand4", () => new DnnOptimizer(new DnnOptOptions { CandidatesPerElite = 4, CandidatesPerEliteBeforeFeasible = 4 }));
        registry.Add("DNN-Opt/cand16", () => new DnnOptimizer(new DnnOptOptions { CandidatesPerElite = 16, CandidatesPerEliteBeforeFeasible = 16 }));
        registry.Add("DNN-Opt/cand8-init5", () => new DnnOptimizer(new DnnOptOptions { CandidatesPerElite = 8, CandidatesPerEliteBeforeFeasible = 8, InitialSamples = 5 }));
        registry.Add("DNN-Opt/cand4-8", () => new DnnOptimizer(new DnnOptOptions { CandidatesPerElite = 8, CandidatesPerEliteBeforeFeasible = 4 }));
        registry.Add("DNN-Opt/one-per-elite", () => new DnnOptimizer(new DnnOptOptions { CandidatesPerElite = 1, CandidatesPerEliteBeforeFeasible = 1 }));
        registry.Add("DNN-Opt/box0", () => new DnnOptimizer(new DnnOptOptions { EliteBoxExpansion = 0 }));
        registry.Add("DNN-Opt/box0.5", () => new DnnOptimizer(new DnnOptOptions { EliteBoxExpansion = 0.5 }));
        registry.Add("DNN-Opt/box2", () => new DnnOptimizer(new DnnOptOptions { EliteBoxExpansion = 2 }));
        registry.Add("DNN-Opt/box0.5-always", () => new DnnOptimizer(new DnnOptOptions { EliteBoxExpansion = 0.5, EliteBoxExpansionBeforeFeasible = 0.5 }));
        registry.Add("DNN-Opt/box2-always", () => new DnnOptimizer(new DnnOptOptions { EliteBoxExpansion = 2, EliteBoxExpansionBeforeFeasible = 2 }));
        registry.Add("DNN-Opt/cand8-after", () => new DnnOptimizer(new DnnOptOptions { CandidatesPerElite = 8, CandidatesPerEliteBeforeFeasible = 1 }));
        registry.Add("DNN-Opt/cand8", () => new DnnOptimizer(new DnnOptOptions { CandidatesPerElite = 8, CandidatesPerEliteBeforeFeasible = 8 }));
        registry.Add("DNN-Opt/cand32", () => new DnnOptimizer(new DnnOptOptions { CandidatesPerElite = 32, CandidatesPerEliteBeforeFeasible = 32 }));
        registry.Add("DNN-Opt/small", () => new DnnOptimizer(new DnnOptOptions { CriticHidden = [64, 64], ActorHidden = [64, 64] }));
        return registry;
    }

    public IReadOnlyList<string> Names => _entries.Select(e => e.Name).ToList();

    /// <summary>
    /// The algorithms a study runs when none are named: the six methods (no '/'), not the DNN-Opt ablation variants,
    /// which are asked for by name.
    /// </summary>
    public IReadOnlyList<string> MainNames => _entries.Select(e => e.Name).Where(n => !n.Contains('/', StringComparison.Ordinal)).ToList();

    public void Add(string name, Func<IOptimizer> factory)
    {
        if (_entries.Exists(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"Algorithm '{name}' is registered twice.", nameof(name));
        }

        _entries.Add((name, factory));
    }

    public Func<IOptimizer> Get(string name) =>
        _entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase)).Factory
        ?? throw new ArgumentException($"Unknown algorithm '{name}'. Known: {string.Join(", ", Names)}.", nameof(name));

    public string Canonical(string name) =>
        _entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase)).Name
        ?? throw new ArgumentException($"Unknown algorithm '{name}'. Known: {string.Join(", ", Names)}.", nameof(name));
}
