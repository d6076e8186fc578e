using DnnOpt.Optimization;
using DnnOpt.Optimization.ActorCritic;
using DnnOpt.Optimization.Baselines;

namespace DnnOpt.Cli;

/// <summary>The optimisers <c>dnnopt size --algorithm</c> offers, with their default settings.</summary>
internal static class Algorithms
{
    public static readonly IReadOnlyList<string> Names = ["dnnopt", "de", "bo-wei", "gaspad", "sa", "random"];

    public static IOptimizer Create(string name) => name switch
    {
        "dnnopt" => new DnnOptimizer(),
        "de" => new DifferentialEvolution(),
        "bo-wei" => new BayesianOptimization(),
        "gaspad" => new Gaspad(),
        "sa" => new SimulatedAnnealing(),
        "random" => new RandomSearch(),
        _ => throw new UsageException($"unknown algorithm '{name}' (choose one of: {string.Join(", ", Names)})"),
    };
}
