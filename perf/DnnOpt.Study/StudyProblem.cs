using DnnOpt.Optimization;
using DnnOpt.Optimization.Benchmarks;
using DnnOpt.Sizing.Benchmarks;

namespace DnnOpt.Study;

/// <summary>
/// A problem the study can run: an analytic benchmark (<see cref="BenchmarkSuite"/>) or a built-in circuit benchmark
/// (<see cref="BuiltinBenchmarks"/>, evaluated in-process by the simulator). <see cref="Create"/> makes a fresh
/// instance per run, so runs share nothing.
/// </summary>
public sealed record StudyProblem(string Name, string Kind, int Dimension, int ConstraintCount, string ObjectiveName, KnownOptimum? Optimum, Func<IProblem> Create)
{
    /// <summary>Success is "a feasible design was found" unless the problem is unconstrained with a success threshold.</summary>
    public double? SuccessThreshold => ConstraintCount == 0 ? Optimum?.SuccessThreshold : null;

    /// <summary>An analytic problem of the suite.</summary>
    public static StudyProblem From(FunctionProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        string name = problem.Name;
        return new StudyProblem(name, "analytic", problem.Space.Dimension, problem.Constraints.Count, problem.Objective.Name, problem.Optimum, () => BenchmarkSuite.ByName(name)!);
    }

    /// <summary>A built-in circuit benchmark; each run parses its decks anew.</summary>
    public static StudyProblem From(BuiltinBenchmark benchmark)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        var probe = benchmark.CreateProblem();
        return new StudyProblem(benchmark.Name, "circuit", probe.Space.Dimension, probe.Constraints.Count, probe.Objective.Name, null, benchmark.CreateProblem);
    }

    /// <summary>
    /// Resolves a problem name: a suite problem, a built-in circuit, or a group (<c>constrained</c>: the five constrained
    /// analytic problems; <c>sparse</c>: the CEC 2006 problems random sampling rarely makes feasible, G1, G7, G9, G10;
    /// <c>circuits</c>: every built-in circuit).
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static IReadOnlyList<StudyProblem> Resolve(string name)
    {
        if (string.Equals(name, "constrained", StringComparison.OrdinalIgnoreCase))
        {
            return [.. BenchmarkSuite.Constrained().Select(From)];
        }

        if (string.Equals(name, "sparse", StringComparison.OrdinalIgnoreCase))
        {
            return [.. BenchmarkSuite.SparseFeasible().Select(From)];
        }

        if (string.Equals(name, "circuits", StringComparison.OrdinalIgnoreCase))
        {
            return [.. BuiltinBenchmarks.All.Select(From)];
        }

        if (BenchmarkSuite.ByName(name) is { } analytic)
        {
            return [From(analytic)];
        }

        if (BuiltinBenchmarks.TryGet(name, out var circuit))
        {
            return [From(circuit)];
        }

        throw new ArgumentException($"Unknown problem '{name}' (see --list).");
    }
}
