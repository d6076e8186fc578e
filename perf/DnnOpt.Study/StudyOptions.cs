using System.Globalization;

namespace DnnOpt.Study;

/// <summary>Command-line settings of a study.</summary>
public sealed record StudyOptions
{
    public IReadOnlyList<string> Problems { get; init; } = [];

    public IReadOnlyList<string> Algorithms { get; init; } = [];

    public int Seeds { get; init; } = 10;

    public int FirstSeed { get; init; }

    public int Budget { get; init; } = 200;

    /// <summary>Per-algorithm budget overrides (the paper gives DE 20x the budget of the model-based methods).</summary>
    public IReadOnlyDictionary<string, int> BudgetOverrides { get; init; } = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

    public int BatchSize { get; init; } = 1;

    public int Parallel { get; init; } = 1;

    public string Output { get; init; } = "study-results";

    public bool StopOnFirstFeasible { get; init; }

    /// <summary>Folder for one run-history CSV per run (problem_algorithm_seed.csv); null writes none (OUT/histories with --resume).</summary>
    public string? Histories { get; init; }

    /// <summary>
    /// Skip runs already recorded in OUT/runs with the same budget and continue unfinished ones from their histories, so
    /// a study can be run in pieces. Batch size and stop-on-feasible must match the earlier pieces (not checked).
    /// </summary>
    public bool Resume { get; init; }

    /// <summary>Run nothing: build the tables from the runs recorded in OUT/runs (missing runs are listed and left out).</summary>
    public bool ReportOnly { get; init; }

    /// <summary>Print a progress line every this many simulations of a run (0: none).</summary>
    public int Progress { get; init; }

    public static string Usage =>
        """
        dotnet run -c Release --project perf/DnnOpt.Study -- [options]
          --problems a,b,...      benchmark problems (default: the nine of the suite; 'constrained' for its five constrained
                                ones; 'sparse' for g01, g07, g09, g10, where random designs are rarely feasible;
                                synthetic-20x29, the OTA-sized synthetic problem, by name; the built-in circuit
                                benchmarks ota5-dc, miller-ota, fc-ota, sa-latch, inverter-chain by name, or 'circuits')
          --algorithms a,b,...    algorithms (default: Random, DE, SA, BO-wEI, GASPAD, DNN-Opt; variants by name)
          --seeds N               runs per algorithm and problem (default 10), seeds first..first+N-1
          --first-seed N          first seed (default 0)
          --budget N              evaluations per run (default 200)
          --budget-for NAME=N     budget override for one algorithm (repeatable), e.g. DE=2000
          --batch K               candidates per iteration (default 1)
          --parallel P            runs executed at once (default 1; timings are per run either way)
          --stop-on-feasible      end each run at its first feasible design (then best-objective columns describe that design)
          --out DIR               output folder for runs.csv, summary.csv, convergence.csv, table.md and SVG plots
          --histories DIR         also write every run's history (one CSV per run; overwritten unless --resume)
          --resume                keep the runs recorded in OUT/runs (same budget), continue unfinished runs from their
                                histories (OUT/histories unless --histories), run the rest; the tables cover all of them
          --report-only           run nothing: tables from the runs recorded in OUT/runs (missing runs left out)
          --progress N            print a line every N simulations of each run (default 0: only at the end of a run)
          --list                  list problems and algorithms
        """;

    public static StudyOptions Parse(string[] args, out bool list)
    {
        list = false;
        var options = new StudyOptions();
        var overrides = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int NextInt() => int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--problems":
                    options = options with { Problems = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) };
                    break;
                case "--algorithms":
                    options = options with { Algorithms = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) };
                    break;
                case "--seeds":
                    options = options with { Seeds = NextInt() };
                    break;
                case "--first-seed":
                    options = options with { FirstSeed = NextInt() };
                    break;
                case "--budget":
                    options = options with { Budget = NextInt() };
                    break;
                case "--budget-for":
                    var parts = Next().Split('=', 2);
                    if (parts.Length != 2)
                    {
                        throw new ArgumentException("--budget-for expects NAME=N.");
                    }

                    overrides[parts[0]] = int.Parse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture);
                    break;
                case "--batch":
                    options = options with { BatchSize = NextInt() };
                    break;
                case "--parallel":
                    options = options with { Parallel = NextInt() };
                    break;
                case "--stop-on-feasible":
                    options = options with { StopOnFirstFeasible = true };
                    break;
                case "--out":
                    options = options with { Output = Next() };
                    break;
                case "--histories":
                    options = options with { Histories = Next() };
                    break;
                case "--resume":
                    options = options with { Resume = true };
                    break;
                case "--report-only":
                    options = options with { Resume = true, ReportOnly = true };
                    break;
                case "--progress":
                    options = options with { Progress = NextInt() };
                    break;
                case "--list":
                    list = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }

        if (options.Seeds < 1 || options.Budget < 1 || options.BatchSize < 1 || options.Parallel < 1 || overrides.Values.Any(v => v < 1) || options.Progress < 0)
        {
            throw new ArgumentException("Seeds, budgets, batch size and parallelism must be positive.");
        }

        return options with { BudgetOverrides = overrides };
    }

    public int BudgetFor(string algorithm) => BudgetOverrides.TryGetValue(algorithm, out int b) ? b : Budget;
}
