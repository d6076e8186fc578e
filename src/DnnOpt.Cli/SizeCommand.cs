using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DnnOpt.Optimization;
using DnnOpt.Optimization.Baselines;
using DnnOpt.Optimization.Sensitivity;
using DnnOpt.Sizing;

namespace DnnOpt.Cli;

/// <summary>
/// <c>dnnopt size PROBLEM.yaml|BUILTIN-NAME [--algorithm A] [--budget N] [--seed S] [--out DIR] [--jobs K] [--resume]</c>: runs an optimiser
/// on a problem file or a built-in problem with <see cref="OptimizationRunner"/>, writes <c>history.csv</c>, <c>best.json</c>,
/// <c>summary.json</c> and the best deck to the output folder, prints progress lines and the final tables.
/// </summary>
internal static class SizeCommand
{
    public const string Help = """
        usage: dnnopt size PROBLEM.yaml|BUILTIN-NAME [--algorithm dnnopt|de|bo-wei|gaspad|sa|random] [--budget N] [--seed S]
                          [--out DIR] [--jobs K] [--prune T [--nominal DESIGN.json] [--group G]] [--from-nominal]
                          [--until-feasible] [--resume]

        Sizes a problem file (YAML naming decks, variables, metrics, objective and specs; see the README) or a built-in
        benchmark circuit (see 'dnnopt benchmarks list'): minimises its objective subject to its specs, simulating each
        design in-process. A simulation is one design evaluation; the budget counts all of them.

        options:
          --algorithm A   optimiser: dnnopt (default), de, bo-wei, gaspad, sa, random
          --budget N      number of simulations (default 500, the paper's budget)
          --seed S        seed of the run's random source (default 1): the same seed gives the same run
          --out DIR       output folder (default ./runs/NAME-ALGORITHM-SEED)
          --jobs K        ask the optimiser for K candidates at a time and simulate them in parallel (default 1, the
                          paper's sequential algorithm); results and history order do not depend on K's threads
          --prune T       first a sensitivity analysis (eq. 7) around the nominal design (the decks' values, or
                          --nominal FILE), then optimise only the variables whose normalised sensitivity to the failing
                          specs exceeds T (see 'dnnopt sensitivity'); its simulations count in the budget: central
                          differences (2d+1) when they take at most a fifth of the budget, forward ones (d+1) otherwise
          --group G       with --prune: 'variable' (default) keeps or freezes each variable; 'device' keeps or freezes
                          a device's variables together
          --from-nominal  with --algorithm sa: start the annealing chain at the nominal design (the decks' values, or
                          --nominal FILE) instead of at the best of random warm-up designs (fine-tuning, as Table V)
          --until-feasible  stop at the first design that meets every spec (the paper's Algorithm 1 returns
                          there; its Table V counts these simulations) instead of spending the whole budget
          --resume        continue the run recorded in DIR/history.csv (same algorithm, seed and budget) without repeating a
                          simulation; without it an existing history is an error rather than overwritten

        output folder: history.csv (one line per simulation, written as it completes), best.json, summary.json,
                       DECK-best.cir for every deck (the deck with the best design's values, ready for ngspice),
                       convergence.svg (FoM and best feasible objective vs simulations, first feasible marked)

        progress: a live status line on a terminal (simulations done, best FoM, feasible so far, simulations per
                  second, time left); plain periodic lines when the output is redirected

        examples:
          dnnopt size ota5-dc
          dnnopt size my-ota.yaml --budget 300 --jobs 2
          dnnopt size ota5-dc --algorithm de --budget 2000 --seed 3
          dnnopt size ota5-dc --out runs/a --resume
          dnnopt size ctle --prune 0.9 --group device --until-feasible

        exit codes: 0 a feasible design was found, 1 none within the budget, 2 bad input, 3 internal error
        """;

    private static readonly string[] VariableHeader = ["variable", "value", "lower", "upper"];
    private static readonly string[] SpecHeader = ["spec", "value", "bound", "margin", "met"];

    private sealed record Settings(string Problem, string Algorithm, int Budget, int Seed, string OutputDirectory, bool Resume, int Jobs)
    {
        /// <summary>Simulated annealing starts at the nominal (<c>--from-nominal</c>).</summary>
        public bool FromNominal { get; init; }

        /// <summary>Stop at the first feasible design (<c>--until-feasible</c>).</summary>
        public bool UntilFeasible { get; init; }

        /// <summary>Sensitivity pruning threshold (<c>--prune T</c>), or null for no pruning.</summary>
        public double? Prune { get; init; }

        /// <summary>Pruning keeps or freezes devices whole (<c>--group device</c>).</summary>
        public bool GroupByDevice { get; init; }

        /// <summary>Nominal design file for pruning (<c>--nominal</c>), or null for the decks' values.</summary>
        public string? Nominal { get; init; }
    }

    public static int Run(List<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        Settings s = Parse(args);
        using CircuitProblem problem = ProblemArgument.Create(s.Problem);
        string name = problem.Name;
        IOptimizer optimizer = s.FromNominal
            ? new SimulatedAnnealing(new SimulatedAnnealingOptions { Start = SizingPruning.Unit(problem, s.Nominal is null ? problem.DefaultDesign : SensitivityCommand.ReadNominal(s.Nominal, problem)) })
            : Algorithms.Create(s.Algorithm);
        PrunedOptimizer? pruned = null;
        if (s.Prune is { } threshold)
        {
            // Section II-C: sensitivity analysis around the nominal (its simulations count in the budget), then the
            // optimiser on the critical variables only.
            double[]? nominal = s.Nominal is null ? null : SensitivityCommand.ReadNominal(s.Nominal, problem);
            pruned = SizingPruning.Create(problem, optimizer, threshold, s.Budget, s.GroupByDevice, nominal);
            optimizer = pruned;
        }


        Directory.CreateDirectory(s.OutputDirectory);
        string history = Path.Combine(s.OutputDirectory, "history.csv");
        if (File.Exists(history) && !s.Resume)
        {
            throw new UsageException($"size: {history} already holds a run; pass --resume to continue it, or choose another --out");
        }

        if (s.Resume && File.Exists(history))
        {
            ValidateHistory(history, problem);
        }

        var options = new RunOptions { Budget = s.Budget, HistoryPath = history, Resume = s.Resume, BatchSize = s.Jobs, MaxDegreeOfParallelism = s.Jobs, StopOnFirstFeasible = s.UntilFeasible };
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dnnopt size {name}: {optimizer.Name}, budget {s.Budget} simulations, seed {s.Seed}, {s.Jobs} job(s), {problem.Space.Dimension} variables, {problem.Constraints.Count} constraints"));
        output.WriteLine($"output: {s.OutputDirectory}");
        // A live status line only when stdout is a terminal; logs and pipes get plain periodic lines.
        bool live = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var progress = new Progress(output, problem, s.Budget, live);
        var runner = new OptimizationRunner(progress.Report);
        RunResult result;
        try
        {
            result = runner.Run(problem, optimizer, options, new Random(s.Seed), cancellationToken);
        }
        catch (InvalidOperationException e) when (s.Resume)
        {
            // The replayed run disagrees with the recorded one: another seed, algorithm or version wrote the history.
            throw new UsageException($"size --resume: {history} was not written by this configuration (same algorithm, seed and budget): {e.Message}");
        }

        progress.Finish(result);
        if (pruned?.KeptVariables is { } kept)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pruning (threshold {s.Prune:G3}, {(pruned.Options.Central ? "central" : "forward")} differences{(s.GroupByDevice ? ", per device" : string.Empty)}): optimised {kept.Count} of {problem.Space.Dimension} variables ({string.Join(", ", kept.Select(j => problem.Space[j].Name))}); the others stayed at the nominal"));
        }

        WriteReport(output, problem, result);
        File.WriteAllText(Path.Combine(s.OutputDirectory, "best.json"), BestJson(problem, result, s), new UTF8Encoding(false));
        File.WriteAllText(Path.Combine(s.OutputDirectory, "summary.json"), SummaryJson(problem, result, s), new UTF8Encoding(false));
        string plotTitle = string.Create(CultureInfo.InvariantCulture, $"{name}: {optimizer.Name}, seed {s.Seed}, {result.Evaluations} simulations");
        File.WriteAllText(Path.Combine(s.OutputDirectory, "convergence.svg"), ConvergencePlot.Render(plotTitle, problem.Objective.Name, problem.UnitOf(problem.Objective.Name), progress.Points), new UTF8Encoding(false));
        if (result.Best is { } best)
        {
            string note = string.Create(CultureInfo.InvariantCulture, $"* dnnopt size {s.Problem} --algorithm {s.Algorithm} --seed {s.Seed}: best design (simulation {best.Index + 1}, {(best.IsFeasible ? "feasible" : "not feasible")}); its values replace the .param defaults below\n");
            foreach (DeckDefinition deck in problem.Definition.DecksWithValues(best.Physical))
            {
                int title = deck.Text.IndexOf('\n', StringComparison.Ordinal) + 1;
                File.WriteAllText(Path.Combine(s.OutputDirectory, BestDeckName(deck.FileName)), deck.Text.Insert(title, note), new UTF8Encoding(false));
            }
        }

        output.WriteLine($"wrote {history}, best.json, summary.json, convergence.svg" + (result.Best is null ? string.Empty : ", " + string.Join(", ", problem.Definition.Decks.Select(d => BestDeckName(d.FileName)))));
        return result.BestFeasible is null ? ExitCodes.NotFound : ExitCodes.Ok;
    }

    private static Settings Parse(List<string> args)
    {
        string? problem = null;
        string algorithm = "dnnopt";
        int budget = new RunOptions().Budget;
        int seed = 1;
        string? outDir = null;
        bool resume = false;
        int jobs = 1;
        double? prune = null;
        string? nominalFile = null;
        bool byDevice = false, groupGiven = false, untilFeasible = false, fromNominal = false;
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            string Value() => i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i]
                : throw new UsageException($"size: {a} needs a value");
            switch (a)
            {
                case "--algorithm":
                    algorithm = Value().ToLowerInvariant();
                    if (!Algorithms.Names.Contains(algorithm))
                    {
                        throw new UsageException($"size: unknown algorithm '{algorithm}' (choose one of: {string.Join(", ", Algorithms.Names)})");
                    }

                    break;
                case "--budget":
                    budget = PositiveInt(a, Value());
                    break;
                case "--seed":
                    string sv = Value();
                    if (!int.TryParse(sv, NumberStyles.Integer, CultureInfo.InvariantCulture, out seed))
                    {
                        throw new UsageException($"size: --seed must be an integer (got '{sv}')");
                    }

                    break;
                case "--out":
                    outDir = Value();
                    break;
                case "--resume":
                    resume = true;
                    break;
                case "--until-feasible":
                    untilFeasible = true;
                    break;
                case "--from-nominal":
                    fromNominal = true;
                    break;
                case "--prune":
                    string pv = Value();
                    prune = double.TryParse(pv, NumberStyles.Float, CultureInfo.InvariantCulture, out double t) && t > 0 && double.IsFinite(t)
                        ? t
                        : throw new UsageException($"size: --prune must be a positive number (got '{pv}')");
                    break;
                case "--group":
                    byDevice = SensitivityCommand.GroupByDevice("size", Value());
                    groupGiven = true;
                    break;
                case "--nominal":
                    nominalFile = Value();
                    break;
                case "--jobs":
                    jobs = PositiveInt(a, Value());
                    break;
                default:
                    if (a.StartsWith('-'))
                    {
                        throw new UsageException($"size: unknown option '{a}' (options: --algorithm, --budget, --seed, --out, --jobs, --prune, --nominal, --group, --from-nominal, --until-feasible, --resume)");
                    }

                    if (problem is not null)
                    {
                        throw new UsageException($"size: unexpected argument '{a}' (one problem at a time)");
                    }

                    problem = a;
                    break;
            }
        }

        if (problem is null)
        {
            throw new UsageException("size: no problem given (usage: dnnopt size PROBLEM.yaml|BUILTIN-NAME [options]; see 'dnnopt benchmarks list')");
        }

        string stem = ProblemArgument.IsFile(problem) ? Path.GetFileNameWithoutExtension(problem) : problem;
        outDir ??= Path.Combine("runs", string.Create(CultureInfo.InvariantCulture, $"{stem.ToLowerInvariant()}-{algorithm}-{seed}"));
        if (nominalFile is not null && prune is null && !fromNominal)
        {
            throw new UsageException("size: --nominal is the starting point of --prune or --from-nominal; give one of them too");
        }

        if (fromNominal && (algorithm != "sa" || prune is not null))
        {
            throw new UsageException("size: --from-nominal starts simulated annealing (--algorithm sa, without --prune) at the nominal; DNN-Opt uses the nominal through --prune");
        }

        if (groupGiven && prune is null)
        {
            throw new UsageException("size: --group says how --prune keeps variables; give --prune T too");
        }

        return new Settings(problem, algorithm, budget, seed, outDir, resume, jobs) { Prune = prune, Nominal = nominalFile, GroupByDevice = byDevice, UntilFeasible = untilFeasible, FromNominal = fromNominal };
    }

    /// <summary><c>ota.cir</c> becomes <c>ota-best.cir</c>.</summary>
    private static string BestDeckName(string deck) => Path.GetFileNameWithoutExtension(deck) + "-best" + Path.GetExtension(deck);

    private static int PositiveInt(string option, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= 1
            ? v
            : throw new UsageException($"size: {option} must be a positive integer (got '{text}')");

    private static void ValidateHistory(string path, CircuitProblem problem)
    {
        try
        {
            _ = RunHistory.Read(path, problem);
        }
        catch (InvalidDataException e)
        {
            throw new UsageException($"size --resume: {e.Message.Split('\n')[0]}");
        }
    }

    private static void WriteReport(TextWriter output, CircuitProblem problem, RunResult result)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        output.WriteLine();
        if (result.Best is not { } best)
        {
            output.WriteLine("no simulation was completed");
            return;
        }

        output.WriteLine(string.Create(c, $"best design: simulation {best.Index + 1} of {result.Evaluations}, {(best.IsFeasible ? "feasible" : "NOT feasible (best figure of merit)")}"));
        if (!best.Evaluation.Succeeded)
        {
            output.WriteLine($"  simulation failed: {best.Evaluation.FailureReason}");
            return;
        }

        output.WriteLine(string.Create(c, $"  {problem.Objective.Name} = {Units.Format(best.Evaluation.Objective, problem.UnitOf(problem.Objective.Name))} (minimised)"));
        output.WriteLine();
        var rows = new List<string[]> { VariableHeader };
        for (int i = 0; i < problem.Space.Dimension; i++)
        {
            SizingVariable v = problem.Definition.Variables[i];
            rows.Add([v.Name, Units.Format(best.Physical[i], v.Unit), Units.Format(v.Lower, v.Unit), Units.Format(v.Upper, v.Unit)]);
        }

        WriteTable(output, rows);
        output.WriteLine();
        var specs = new List<string[]> { SpecHeader };
        foreach (SpecOutcome o in problem.Outcomes(best.Evaluation.Metrics))
        {
            specs.Add([$"{o.Metric} {o.Relation}", Units.Format(o.Value, o.Unit), Units.Format(o.Bound, o.Unit), Units.Format(o.Margin, o.Unit), o.Met ? "yes" : "NO"]);
        }

        WriteTable(output, specs);
    }

    private static void WriteTable(TextWriter output, List<string[]> rows)
    {
        int columns = rows[0].Length;
        var width = new int[columns];
        foreach (string[] r in rows)
        {
            for (int j = 0; j < columns; j++)
            {
                width[j] = Math.Max(width[j], r[j].Length);
            }
        }

        for (int i = 0; i < rows.Count; i++)
        {
            var sb = new StringBuilder("  ");
            for (int j = 0; j < columns; j++)
            {
                sb.Append(j == 0 ? rows[i][j].PadRight(width[j]) : rows[i][j].PadLeft(width[j]));
                sb.Append(j + 1 < columns ? "  " : string.Empty);
            }

            output.WriteLine(sb.ToString());
            if (i == 0)
            {
                output.WriteLine("  " + new string('-', width.Sum() + (2 * (columns - 1))));
            }
        }
    }

    private static string BestJson(CircuitProblem problem, RunResult result, Settings s)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("problem", problem.Name);
            w.WriteString("algorithm", result.OptimizerName);
            w.WriteNumber("seed", s.Seed);
            if (result.Best is not { } best)
            {
                w.WriteNull("simulation");
                w.WriteEndObject();
            }
            else
            {
                w.WriteNumber("simulation", best.Index + 1);
                w.WriteBoolean("feasible", best.IsFeasible);
                w.WriteString("status", best.Evaluation.Succeeded ? "ok" : "failed");
                if (best.Evaluation.FailureReason is { } reason)
                {
                    w.WriteString("reason", reason);
                }

                w.WriteString("objective", problem.Objective.Name);
                Number(w, "objective_value", best.Evaluation.Objective);
                w.WriteStartObject("variables");
                for (int i = 0; i < problem.Space.Dimension; i++)
                {
                    Number(w, problem.Space[i].Name, best.Physical[i]);
                }

                w.WriteEndObject();
                ReadOnlySpan<double> metrics = best.Evaluation.Metrics;
                if (metrics.Length == problem.MetricNames.Count)
                {
                    w.WriteStartObject("metrics");
                    for (int i = 0; i < metrics.Length; i++)
                    {
                        Number(w, problem.MetricNames[i], metrics[i]);
                    }

                    w.WriteEndObject();
                    w.WriteStartArray("specs");
                    foreach (SpecOutcome o in problem.Outcomes(metrics))
                    {
                        w.WriteStartObject();
                        w.WriteString("constraint", o.Constraint);
                        w.WriteString("metric", o.Metric);
                        w.WriteString("relation", o.Relation);
                        Number(w, "value", o.Value);
                        Number(w, "bound", o.Bound);
                        Number(w, "margin", o.Margin);
                        w.WriteBoolean("met", o.Met);
                        w.WriteString("unit", o.Unit);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static string SummaryJson(CircuitProblem problem, RunResult result, Settings s)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("problem", problem.Name);
            w.WriteString("algorithm", result.OptimizerName);
            w.WriteNumber("seed", s.Seed);
            w.WriteNumber("budget", s.Budget);
            w.WriteNumber("simulations", result.Evaluations);
            w.WriteNumber("replayed", result.ReplayedEvaluations);
            w.WriteString("stop_reason", result.StopReason.ToString());
            w.WriteNumber("feasible_count", result.Observations.Count(o => o.IsFeasible));
            w.WriteNumber("failed_count", result.Observations.Count(o => !o.Evaluation.Succeeded));
            if (result.FirstFeasibleEvaluation is int first)
            {
                w.WriteNumber("first_feasible_simulation", first);
            }
            else
            {
                w.WriteNull("first_feasible_simulation");
            }

            if (result.BestFeasible is { } bf)
            {
                w.WriteNumber("best_feasible_simulation", bf.Index + 1);
                Number(w, "best_objective", bf.Evaluation.Objective);
            }
            else
            {
                w.WriteNull("best_feasible_simulation");
                w.WriteNull("best_objective");
            }

            w.WriteString("objective", problem.Objective.Name);
            Number(w, "modeling_seconds", result.ModelingTime.TotalSeconds);
            Number(w, "simulation_seconds", result.EvaluationTime.TotalSeconds);
            Number(w, "total_seconds", result.TotalTime.TotalSeconds);
            w.WriteString("history", "history.csv");
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, value);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    /// <summary>Plain periodic progress lines: simulations done of budget, best FoM, feasible so far, rate, time left.</summary>
    private sealed class Progress(TextWriter output, CircuitProblem problem, int budget, bool live)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly int _step = Math.Max(1, budget / 20);
        private readonly List<ConvergencePlot.Point> _points = [];
        private int _done;
        private int _feasible;
        private double _bestFom = double.PositiveInfinity;
        private double _bestObjective = double.NaN;
        private int _lastPrinted;
        private long _lastRedraw = long.MinValue;
        private int _statusWidth;

        /// <summary>Every simulation reported so far, in history order (for the convergence plot).</summary>
        public IReadOnlyList<ConvergencePlot.Point> Points => _points;

        public void Report(Observation o)
        {
            _done++;
            _points.Add(new ConvergencePlot.Point(o.Fom, o.IsFeasible, o.Evaluation.Succeeded ? o.Evaluation.Objective : double.NaN));
            _bestFom = Math.Min(_bestFom, o.Fom);
            bool firstFeasible = o.IsFeasible && _feasible == 0;
            if (o.IsFeasible)
            {
                _feasible++;
                if (double.IsNaN(_bestObjective) || o.Evaluation.Objective < _bestObjective)
                {
                    _bestObjective = o.Evaluation.Objective;
                }
            }

            if (firstFeasible)
            {
                Line(string.Create(CultureInfo.InvariantCulture, $"first feasible design at simulation {_done}"));
            }

            if (live)
            {
                // Redraw at most ten times a second: a fast problem must not spend its time on the terminal.
                long now = _clock.ElapsedMilliseconds;
                if (now - _lastRedraw >= 100 || _done == budget)
                {
                    _lastRedraw = now;
                    string status = Status();
                    output.Write("\r" + status.PadRight(_statusWidth));
                    _statusWidth = status.Length;
                    output.Flush();
                }
            }
            else if (_done % _step == 0 || _done == budget)
            {
                Line(Status());
                _lastPrinted = _done;
            }
        }

        public void Finish(RunResult result)
        {
            if (live)
            {
                Line(Status());
            }
            else if (_lastPrinted != _done)
            {
                Line(Status());
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stopped: {result.StopReason} after {result.Evaluations} simulations ({result.ReplayedEvaluations} replayed from the history); modelling {result.ModelingTime.TotalSeconds:F1} s, simulation {result.EvaluationTime.TotalSeconds:F1} s, total {result.TotalTime.TotalSeconds:F1} s"));
        }

        /// <summary>A permanent line; on a terminal it first clears the status line it replaces.</summary>
        private void Line(string text)
        {
            if (live && _statusWidth > 0)
            {
                output.Write("\r" + new string(' ', _statusWidth) + "\r");
                _statusWidth = 0;
                _lastRedraw = long.MinValue;
            }

            output.WriteLine(text);
        }

        private string Status()
        {
            double seconds = _clock.Elapsed.TotalSeconds;
            double rate = seconds > 0 ? _done / seconds : 0;
            double left = rate > 0 ? (budget - _done) / rate : 0;
            string best = double.IsNaN(_bestObjective) ? "-" : Units.Format(_bestObjective, problem.UnitOf(problem.Objective.Name));
            int width = budget.ToString(CultureInfo.InvariantCulture).Length;
            return string.Create(
                CultureInfo.InvariantCulture,
                $"sim {_done.ToString(CultureInfo.InvariantCulture).PadLeft(width)}/{budget}  best FoM {_bestFom:G5}  feasible {_feasible}  best {problem.Objective.Name} {best}  {rate:F1} sim/s  ~{left:F0} s left");
        }
    }
}
