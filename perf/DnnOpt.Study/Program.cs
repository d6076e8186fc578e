using System.Collections.Concurrent;
using System.Globalization;
using DnnOpt.Optimization;
using DnnOpt.Optimization.Benchmarks;
using DnnOpt.Sizing.Benchmarks;
using DnnOpt.Study;

StudyOptions options;
bool list;
try
{
    options = StudyOptions.Parse(args, out list);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(StudyOptions.Usage);
    return 2;
}

var registry = AlgorithmRegistry.Default();
if (list)
{
    Console.WriteLine("problems:   " + string.Join(", ", BenchmarkSuite.All().Select(p => p.Name)) + " (default set; 'constrained' for the constrained five)");
    Console.WriteLine("sparse:     " + string.Join(", ", BenchmarkSuite.SparseFeasible().Select(p => p.Name)) + " (by name or 'sparse': feasibility rare in random samples)");
    Console.WriteLine("large:      " + string.Join(", ", BenchmarkSuite.Large().Select(p => p.Name)) + " (by name only)");
    Console.WriteLine("circuits:   " + string.Join(", ", BuiltinBenchmarks.All.Select(b => b.Name)) + " (built-in circuit benchmarks, by name or 'circuits')");
    Console.WriteLine("algorithms: " + string.Join(", ", registry.Names));
    return 0;
}

IReadOnlyList<StudyProblem> problems;
try
{
    problems = options.Problems.Count == 0 ? [.. BenchmarkSuite.All().Select(StudyProblem.From)]
        : [.. options.Problems.SelectMany(StudyProblem.Resolve)];
    var algorithms = (options.Algorithms.Count == 0 ? registry.MainNames : options.Algorithms.Select(registry.Canonical)).ToList();
    options = options with { Algorithms = algorithms };
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

// Every finished run leaves a record under OUT/runs; with --resume those runs are not run again, and an unfinished run
// continues from its history (deterministic replay, RunOptions.Resume), so a long study can be run in pieces.
string recordFolder = Path.Combine(options.Output, "runs");
Directory.CreateDirectory(recordFolder);
string? historyFolder = options.Histories ?? (options.Resume ? Path.Combine(options.Output, "histories") : null);
if (historyFolder is not null)
{
    Directory.CreateDirectory(historyFolder);
}

var jobs = (from p in problems from a in options.Algorithms from s in Enumerable.Range(options.FirstSeed, options.Seeds) select (Problem: p, Algorithm: a, Seed: s)).ToList();
var records = new ConcurrentDictionary<(string, string, int), RunRecord>();
var pending = new List<(StudyProblem Problem, string Algorithm, int Seed, bool Continue)>();
foreach (var job in jobs)
{
    string path = Path.Combine(recordFolder, RunRecord.Stem(job.Problem.Name, job.Algorithm, job.Seed) + ".json");
    int budget = options.BudgetFor(job.Algorithm);
    if (options.Resume && File.Exists(path))
    {
        var old = RunRecord.Load(path);
        if (old.Budget == budget && old.Problem == job.Problem.Name && old.Algorithm == job.Algorithm && old.Seed == job.Seed)
        {
            records[(job.Problem.Name, job.Algorithm, job.Seed)] = old;
            continue;
        }

        // Another budget is another run (SA's schedule and DE's population depend on it): start it afresh.
        Console.Error.WriteLine($"{path}: recorded with budget {old.Budget}; run again from the start.");
        pending.Add((job.Problem, job.Algorithm, job.Seed, false));
        continue;
    }

    pending.Add((job.Problem, job.Algorithm, job.Seed, options.Resume));
}

if (!records.IsEmpty)
{
    Console.Error.WriteLine($"{records.Count} of {jobs.Count} runs already recorded in {recordFolder}; {(options.ReportOnly ? "none run (--report-only)" : $"{pending.Count} to run")}.");
}

if (options.ReportOnly)
{
    foreach (var job in pending)
    {
        Console.Error.WriteLine($"not recorded (left out of the tables): {RunRecord.Stem(job.Problem.Name, job.Algorithm, job.Seed)}");
    }

    pending.Clear();
}

// Seed by seed, every problem and algorithm, handed out one at a time (no range partitioning): a study stopped
// part-way leaves complete comparisons on its first seeds.
pending = [.. pending.OrderBy(j => j.Seed)];
int done = records.Count;
Parallel.ForEach(Partitioner.Create(pending, EnumerablePartitionerOptions.NoBuffering), new ParallelOptions { MaxDegreeOfParallelism = options.Parallel }, job =>
{
    // Each run owns its problem instance, optimiser and seeded Random: runs are independent and reproducible.
    var problem = job.Problem.Create();
    int budget = options.BudgetFor(job.Algorithm);
    string stem = RunRecord.Stem(job.Problem.Name, job.Algorithm, job.Seed);
    string? history = historyFolder is { } folder ? Path.Combine(folder, stem + ".csv") : null;
    var run = new RunOptions
    {
        Budget = budget,
        BatchSize = options.BatchSize,
        StopOnFirstFeasible = options.StopOnFirstFeasible,
        HistoryPath = history,
        Resume = job.Continue,
    };
    int every = options.Progress;
    var runner = new OptimizationRunner(every > 0 ? o =>
    {
        if ((o.Index + 1) % every == 0)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {stem}: {o.Index + 1}/{budget} simulations, elapsed {o.Timing.ElapsedSeconds:0} s"));
        }
    }
    : null);
    RunResult result;
    try
    {
        result = runner.Run(problem, registry.Get(job.Algorithm)(), run, new Random(job.Seed));
    }
    catch (InvalidOperationException ex) when (run.Resume && history is not null)
    {
        // The history was written with other settings (the replay diverged): it cannot be continued, so start over.
        Console.Error.WriteLine($"{history}: {ex.Message} Running {stem} again from the start.");
        result = runner.Run(problem, registry.Get(job.Algorithm)(), run with { Resume = false }, new Random(job.Seed));
    }

    var record = RunRecord.From(job.Problem.Name, job.Problem.SuccessThreshold, job.Algorithm, job.Seed, budget, result);
    record.Save(Path.Combine(recordFolder, stem + ".json"));
    records[(job.Problem.Name, job.Algorithm, job.Seed)] = record;
    int n = Interlocked.Increment(ref done);
    Console.Error.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"[{n}/{jobs.Count}] {record.Problem} {record.Algorithm} seed {record.Seed}: first success {record.FirstSuccess?.ToString(CultureInfo.InvariantCulture) ?? "-"}, best {record.BestObjective?.ToString("G6", CultureInfo.InvariantCulture) ?? "-"}, {record.TotalSeconds:0.0} s{(result.ReplayedEvaluations > 0 ? $" ({result.ReplayedEvaluations} simulations replayed from the history)" : "")}"));
});

var ordered = jobs.Where(j => records.ContainsKey((j.Problem.Name, j.Algorithm, j.Seed)))
    .Select(j => records[(j.Problem.Name, j.Algorithm, j.Seed)]).ToList();
var summaries = new List<Report.Summary>();
var curves = new List<(string, string, IReadOnlyList<(int, double, double, double)>)>();
var table = new System.Text.StringBuilder();
table.AppendLine(string.Create(
    CultureInfo.InvariantCulture,
    $"Study: {options.Seeds} seeds from {options.FirstSeed}, budget {options.Budget}{string.Concat(options.BudgetOverrides.Select(kv => $", {kv.Key} {kv.Value}"))}, batch {options.BatchSize}; {Environment.ProcessorCount} cores, .NET {Environment.Version}"));
table.AppendLine();
foreach (var problem in problems)
{
    var perProblem = new List<Report.Summary>();
    var series = new List<(string, IReadOnlyList<(int, double, double, double)>, double, int)>();
    foreach (var algorithm in options.Algorithms)
    {
        var runs = ordered.Where(r => r.Problem == problem.Name && r.Algorithm == algorithm).ToList();
        if (runs.Count == 0)
        {
            // Only with --report-only: an algorithm with no recorded run on this problem has no column.
            continue;
        }

        var summary = Report.Summarise(problem, algorithm, runs);
        perProblem.Add(summary);
        var curve = Report.Convergence(runs);
        series.Add((algorithm, curve, summary.MedianFirst, registry.Names.ToList().IndexOf(algorithm)));
        curves.Add((problem.Name, algorithm, curve));
    }

    summaries.AddRange(perProblem);
    table.AppendLine(Report.Table(problem, perProblem, options.StopOnFirstFeasible));
    File.WriteAllText(Path.Combine(options.Output, $"convergence-{problem.Name}.svg"), SvgPlot.Render($"{problem.Name}: best FoM vs simulations (dashed: median first success)", series));
}

Report.WriteRuns(Path.Combine(options.Output, "runs.csv"), ordered);
Report.WriteSummaries(Path.Combine(options.Output, "summary.csv"), summaries);
Report.WriteConvergence(Path.Combine(options.Output, "convergence.csv"), curves);
File.WriteAllText(Path.Combine(options.Output, "table.md"), table.ToString());
Console.WriteLine(table.ToString());
Console.WriteLine($"results written to {Path.GetFullPath(options.Output)}");
return 0;
