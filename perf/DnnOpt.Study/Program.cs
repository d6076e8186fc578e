using System.Collections.Concurrent;
using System.Globalization;
using DnnOpt.Optimization;
using DnnOpt.Optimization.Benchmarks;
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
    Console.WriteLine("problems:   " + string.Join(", ", BenchmarkSuite.All().Select(p => p.Name)) + " (default set)");
    Console.WriteLine("large:      " + string.Join(", ", BenchmarkSuite.Large().Select(p => p.Name)) + " (by name only)");
    Console.WriteLine("algorithms: " + string.Join(", ", registry.Names));
    return 0;
}

IReadOnlyList<FunctionProblem> problems;
try
{
    problems = options.Problems.Count == 0 ? BenchmarkSuite.All()
        : options.Problems.SelectMany(n => string.Equals(n, "constrained", StringComparison.OrdinalIgnoreCase)
            ? BenchmarkSuite.Constrained()
            : [BenchmarkSuite.ByName(n) ?? throw new ArgumentException($"Unknown problem '{n}'.")]).ToList();
    var algorithms = (options.Algorithms.Count == 0 ? registry.Names : options.Algorithms.Select(registry.Canonical)).ToList();
    options = options with { Algorithms = algorithms };
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

Directory.CreateDirectory(options.Output);
if (options.Histories is { } historyFolder)
{
    Directory.CreateDirectory(historyFolder);
}
var jobs = (from p in problems from a in options.Algorithms from s in Enumerable.Range(options.FirstSeed, options.Seeds) select (Problem: p, Algorithm: a, Seed: s)).ToList();
var records = new ConcurrentDictionary<(string, string, int), RunRecord>();
int done = 0;
Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = options.Parallel }, job =>
{
    // Each run owns its problem instance, optimiser and seeded Random: runs are independent and reproducible.
    var problem = BenchmarkSuite.ByName(job.Problem.Name)!;
    int budget = options.BudgetFor(job.Algorithm);
    string? history = options.Histories is { } folder
        ? Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{job.Problem.Name}_{job.Algorithm}_{job.Seed}.csv"))
        : null;
    var run = new RunOptions
    {
        Budget = budget,
        BatchSize = options.BatchSize,
        StopOnFirstFeasible = options.StopOnFirstFeasible,
        HistoryPath = history,
        Resume = false,
    };
    var result = new OptimizationRunner().Run(problem, registry.Get(job.Algorithm)(), run, new Random(job.Seed));
    var record = RunRecord.From(problem, job.Algorithm, job.Seed, budget, result);
    records[(job.Problem.Name, job.Algorithm, job.Seed)] = record;
    int n = Interlocked.Increment(ref done);
    Console.Error.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"[{n}/{jobs.Count}] {record.Problem} {record.Algorithm} seed {record.Seed}: first success {record.FirstSuccess?.ToString(CultureInfo.InvariantCulture) ?? "-"}, best {record.BestObjective?.ToString("G6", CultureInfo.InvariantCulture) ?? "-"}, {record.TotalSeconds:0.0} s"));
});

var ordered = jobs.Select(j => records[(j.Problem.Name, j.Algorithm, j.Seed)]).ToList();
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
