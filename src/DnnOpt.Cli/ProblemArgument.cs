using DnnOpt.Sizing;
using DnnOpt.Sizing.Problems;

namespace DnnOpt.Cli;

/// <summary>The PROBLEM argument of <c>size</c>, <c>evaluate</c>, <c>sensitivity</c> and <c>benchmarks difficulty</c>.</summary>
internal static class ProblemArgument
{
    /// <summary>A problem file (by its extension, or because the file exists) rather than a built-in benchmark name.</summary>
    public static bool IsFile(string problem) =>
        problem.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || problem.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || File.Exists(problem);

    /// <summary>Loads a problem file or a built-in benchmark and builds the problem (decks parsed once).</summary>
    /// <exception cref="SizingProblemException">The file or its decks are invalid (file:line in the message).</exception>
    /// <exception cref="UsageException">No built-in of that name.</exception>
    public static CircuitProblem Create(string problem) =>
        CircuitProblem.Create(IsFile(problem) ? ProblemFile.Load(problem) : BenchmarksCommand.Find(problem).Definition);
}
