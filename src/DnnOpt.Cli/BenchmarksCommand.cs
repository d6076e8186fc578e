using System.Text;
using DnnOpt.Sizing;
using DnnOpt.Sizing.Benchmarks;

namespace DnnOpt.Cli;

/// <summary><c>dnnopt benchmarks list</c> and <c>dnnopt benchmarks export NAME DIR</c>.</summary>
internal static class BenchmarksCommand
{
    public const string Help = """
        usage: dnnopt benchmarks list
               dnnopt benchmarks export NAME DIR
               dnnopt benchmarks difficulty NAME|PROBLEM.yaml [--samples N] [--seed S] [--jobs K] [--progress P]

        list        prints the built-in benchmark circuits, one per line: name and summary
        export      writes NAME's decks (ready for ngspice or 'dnnopt simulate'), its problem file and technology
                    library when it has them, and its description (NAME.md) to DIR
        difficulty  simulates N designs drawn uniformly at random from the design space (default 10000, seed 1, K
                    threads) and prints how many are feasible and how many failed: the benchmark's measured difficulty;
                    then, per constraint, how many of the measured designs miss it; --progress P prints running
                    totals on stderr every P designs

        examples:
          dnnopt benchmarks list
          dnnopt benchmarks export ota5-dc ./ota5
          dnnopt benchmarks difficulty inverter-chain --samples 2000 --jobs 2
        """;

    public static int Run(List<string> args, TextWriter output)
    {
        if (args.Count == 0)
        {
            throw new UsageException("benchmarks: missing subcommand (list or export NAME DIR)");
        }

        switch (args[0])
        {
            case "list":
                if (args.Count > 1)
                {
                    throw new UsageException($"benchmarks list: unexpected argument '{args[1]}'");
                }

                foreach (BuiltinBenchmark b in BuiltinBenchmarks.All)
                {
                    output.WriteLine($"{b.Name,-14} {b.Summary}");
                }

                return ExitCodes.Ok;
            case "export":
                if (args.Count != 3)
                {
                    throw new UsageException("benchmarks export: expected NAME DIR (usage: dnnopt benchmarks export NAME DIR)");
                }

                BuiltinBenchmark benchmark = Find(args[1]);
                string dir = args[2];
                Directory.CreateDirectory(dir);
                var utf8 = new UTF8Encoding(false);
                foreach (DeckDefinition d in benchmark.Definition.Decks)
                {
                    string deck = Path.Combine(dir, d.FileName);
                    File.WriteAllText(deck, d.Text, utf8);
                    output.WriteLine($"wrote {deck}");
                }

                var extra = new List<(string File, string Text)>(benchmark.IncludedFiles.Select(kv => (kv.Key, kv.Value)));
                if (benchmark.ProblemFileText is { } yaml)
                {
                    extra.Add((benchmark.Name + ".yaml", yaml));
                }

                if (benchmark.ImprovedDesignText is { } improved)
                {
                    extra.Add((benchmark.Name + ".improved.json", improved));
                }

                foreach ((string file, string text) in extra)
                {
                    string path = Path.Combine(dir, file);
                    File.WriteAllText(path, text, utf8);
                    output.WriteLine($"wrote {path}");
                }

                string description = Path.Combine(dir, benchmark.Name + ".md");
                File.WriteAllText(description, benchmark.Description, utf8);
                output.WriteLine($"wrote {description}");
                return ExitCodes.Ok;
            case "difficulty":
                return Difficulty(args, output);
            default:
                throw new UsageException($"benchmarks: unknown subcommand '{args[0]}' (list, export NAME DIR, difficulty NAME)");
        }
    }

    /// <summary>
    /// The fraction of feasible designs among uniformly random ones (issue 7's difficulty measure). Each design's
    /// uniform draws come from its own seeded stream (seed + index), so the count does not depend on the threads.
    /// </summary>
    private static int Difficulty(List<string> args, TextWriter output)
    {
        string? name = null;
        int samples = 10_000, seed = 1, jobs = 1, progress = 0;
        for (int i = 1; i < args.Count; i++)
        {
            string a = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new UsageException($"benchmarks difficulty: {a} needs a value");
            switch (a)
            {
                case "--samples":
                    samples = Positive(a, Value());
                    break;
                case "--seed":
                    seed = Positive(a, Value());
                    break;
                case "--jobs":
                    jobs = Positive(a, Value());
                    break;
                case "--progress":
                    progress = Positive(a, Value());
                    break;
                default:
                    name = a.StartsWith("--", StringComparison.Ordinal) || name is not null
                        ? throw new UsageException($"benchmarks difficulty: unexpected argument '{a}'")
                        : a;
                    break;
            }
        }

        if (name is null)
        {
            throw new UsageException("benchmarks difficulty: expected NAME (usage: dnnopt benchmarks difficulty NAME [--samples N] [--seed S] [--jobs K] [--progress P])");
        }

        using CircuitProblem problem = ProblemArgument.Create(name);
        int feasible = 0, failed = 0;
        var violated = new int[problem.Constraints.Count];
        int completed = 0;
        var gate = new object();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Parallel.For(0, samples, new ParallelOptions { MaxDegreeOfParallelism = jobs }, k =>
        {
            var random = new Random(unchecked((seed * 1_000_003) + k));
            var u = new double[problem.Space.Dimension];
            for (int j = 0; j < u.Length; j++)
            {
                u[j] = random.NextDouble();
            }

            Optimization.Evaluation e = problem.Evaluate(problem.Space.ToPhysical(u));
            if (e.IsFeasible)
            {
                Interlocked.Increment(ref feasible);
            }

            if (!e.Succeeded)
            {
                Interlocked.Increment(ref failed);
            }
            else
            {
                for (int c = 0; c < violated.Length; c++)
                {
                    if (e.Constraints[c] > 0)
                    {
                        Interlocked.Increment(ref violated[c]);
                    }
                }
            }

            // A long run (minutes to hours on a loaded machine) reports running totals on stderr when asked to.
            int n = Interlocked.Increment(ref completed);
            if (progress > 0 && n % progress == 0)
            {
                lock (gate)
                {
                    Console.Error.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{n}/{samples}: {Volatile.Read(ref feasible)} feasible, {Volatile.Read(ref failed)} failed, {clock.Elapsed.TotalSeconds:F0} s"));
                }
            }
        });
        output.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{problem.Name}: {feasible} feasible of {samples} random designs ({100.0 * feasible / samples:G3} %), {failed} failed to simulate or measure; seed {seed}, {clock.Elapsed.TotalSeconds:F1} s on {jobs} thread(s)"));

        // Which specs make the benchmark hard: how many of the measured designs miss each one.
        if (violated.Length > 0 && failed < samples)
        {
            output.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"constraints missed by the {samples - failed} measured designs:"));
            for (int c = 0; c < violated.Length; c++)
            {
                output.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"  {problem.Constraints[c].Name}: {violated[c]}"));
            }
        }
        return ExitCodes.Ok;
    }

    private static int Positive(string option, string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int v) && v >= 1
            ? v
            : throw new UsageException($"benchmarks difficulty: {option} must be a positive integer (got '{text}')");

    public static BuiltinBenchmark Find(string name) =>
        BuiltinBenchmarks.TryGet(name, out BuiltinBenchmark? b)
            ? b
            : throw new UsageException($"no built-in benchmark '{name}' (available: {string.Join(", ", BuiltinBenchmarks.All.Select(x => x.Name))})");
}
