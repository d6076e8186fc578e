using System.Globalization;
using System.Security;
using System.Text;
using System.Text.Json;
using DnnOpt.Optimization;
using DnnOpt.Optimization.Sensitivity;
using DnnOpt.Sizing;

namespace DnnOpt.Cli;

/// <summary>
/// <c>dnnopt sensitivity PROBLEM [--nominal DESIGN.json] [--threshold T] [--step S] [--central] [--group G] [--out DIR]</c>:
/// paper eq. 7 around a nominal design; ranks the variables by their normalised sensitivity to the specs the nominal
/// fails, says which would be kept or frozen at the threshold, and writes the matrix as JSON and an SVG heat map.
/// </summary>
internal static class SensitivityCommand
{
    public const string Help = """
        usage: dnnopt sensitivity PROBLEM.yaml|BUILTIN-NAME [--nominal DESIGN.json] [--threshold T] [--step S]
                                  [--central] [--group device|variable] [--out DIR]

        Finite-difference sensitivities (paper eq. 7) of the objective and every constraint to every variable around a
        nominal design (default: the decks' own .param values; or a best.json written by 'dnnopt size', or a JSON
        object of variable: value). Each entry is normalised: the change of the output in units of its scale (the
        spec's bound, the objective's scale) per full-range change of the variable, so entries compare across specs
        and variables. Variables are ranked by their largest normalised sensitivity to the specs the nominal fails
        (to all outputs when it fails none); those at or under the threshold would be frozen by 'size --prune T'.

        options:
          --nominal FILE   nominal design (JSON); default the decks' .param values
          --threshold T    relevance threshold (default 0.05: 5 % of a spec's scale over the variable's range)
          --step S         perturbation as a fraction of each range (default 0.05; integers move at least one step)
          --central        central differences (2d+1 simulations) instead of forward ones (d+1)
          --group G        'variable' (default): keep or freeze each variable on its own; 'device': keep or freeze
                           a device's variables together (w_m12 and l_m12 size m12; see 'device:' in problem files)
          --out DIR        output folder (default ./runs/NAME-sensitivity): history.csv, sensitivity.json,
                           sensitivity.svg (heat map of variables x outputs)

        examples:
          dnnopt sensitivity inverter-chain
          dnnopt sensitivity my-ldo.yaml --nominal runs/ldo/best.json --threshold 0.1 --central
          dnnopt sensitivity ldo --group device

        exit codes: 0 done, 2 bad input, 3 internal error; a nominal design that fails to simulate is bad input
        """;

    public static int Run(List<string> args, TextWriter output)
    {
        string? problemArg = null, nominalPath = null, outDir = null;
        double threshold = 0.05, step = 0.05;
        bool central = false, byDevice = false;
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new UsageException($"sensitivity: {a} needs a value");
            switch (a)
            {
                case "--nominal":
                    nominalPath = Value();
                    break;
                case "--threshold":
                    threshold = PositiveNumber(a, Value());
                    break;
                case "--step":
                    step = PositiveNumber(a, Value());
                    break;
                case "--central":
                    central = true;
                    break;
                case "--group":
                    byDevice = GroupByDevice("sensitivity", Value());
                    break;
                case "--out":
                    outDir = Value();
                    break;
                default:
                    problemArg = a.StartsWith("--", StringComparison.Ordinal) ? throw new UsageException($"sensitivity: unknown option '{a}'")
                        : problemArg is null ? a : throw new UsageException($"sensitivity: unexpected argument '{a}'");
                    break;
            }
        }

        if (problemArg is null)
        {
            throw new UsageException("sensitivity: no problem given (usage: dnnopt sensitivity PROBLEM.yaml|BUILTIN-NAME [options])");
        }

        using CircuitProblem problem = ProblemArgument.Create(problemArg);
        double[] nominal = nominalPath is null ? [.. problem.DefaultDesign] : ReadNominal(nominalPath, problem);
        var options = new SensitivityOptions { Step = step, Central = central, Nominal = SizingPruning.Unit(problem, nominal), Groups = byDevice ? SizingPruning.DeviceGroups(problem) : null };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException("sensitivity: " + e.Message);
        }

        outDir ??= Path.Combine("runs", problem.Name + "-sensitivity");
        Directory.CreateDirectory(outDir);
        string history = Path.Combine(outDir, "history.csv");
        var analysis = new SensitivityAnalysis(options);
        int budget = analysis.EvaluationCount(problem.Space.Dimension);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dnnopt sensitivity {problem.Name}: {problem.Space.Dimension} variables, {problem.Constraints.Count} constraints, {budget} simulations ({(central ? "central" : "forward")} differences, step {step:G3} of each range)"));
        RunResult run = new OptimizationRunner().Run(problem, analysis, new RunOptions { Budget = budget, HistoryPath = history, Resume = false }, new Random(1));
        SensitivityResult s;
        try
        {
            s = SensitivityResult.FromObservations(problem, options, run.Observations);
        }
        catch (InvalidOperationException e)
        {
            throw new UsageException("sensitivity: " + e.Message);
        }

        int[] failing = s.FailingOutputs();
        bool anyFailing = failing.All(i => i > 0) && failing.Length < s.Outputs;
        output.WriteLine(anyFailing
            ? "nominal design fails: " + string.Join(", ", failing.Select(i => s.OutputNames[i]))
            : "nominal design meets every spec: ranking by all outputs");
        // Devices (or lone variables) by their relevance, and within a device its variables by theirs.
        int[] order = [.. Enumerable.Range(0, s.Variables)
            .OrderByDescending(j => GroupRelevance(s, s.GroupOf(j), failing))
            .ThenBy(j => s.GroupOf(j))
            .ThenByDescending(j => Relevance(s, j, failing))];
        int[] kept = s.CriticalFor(threshold);
        output.WriteLine();
        string groupHeader = byDevice ? $" {"device",-10}" : string.Empty;
        output.WriteLine($"{"rank",4}  {"variable",-12}{groupHeader} {"nominal",12} {"to failing",11} {"to any",9}  {"verdict",-7} strongest on");
        for (int r = 0; r < order.Length; r++)
        {
            int j = order[r];
            int strongest = Enumerable.Range(0, s.Outputs).OrderByDescending(i => double.IsNaN(s[i, j]) ? double.PositiveInfinity : Math.Abs(s[i, j])).First();
            string group = byDevice ? $" {s.GroupNames[s.GroupOf(j)],-10}" : string.Empty;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r + 1,4}  {s.VariableNames[j],-12}{group} {nominal[j],12:G4} {Relevance(s, j, failing),11:G3} {s.MaxAbs(j),9:G3}  {(kept.Contains(j) ? "keep" : "freeze"),-7} {s.OutputNames[strongest]} ({s[strongest, j]:G3})"));
        }

        output.WriteLine();
        string[] keptGroups = [.. kept.Select(s.GroupOf).Distinct().Select(g => s.GroupNames[g])];
        output.WriteLine(byDevice
            ? string.Create(CultureInfo.InvariantCulture, $"threshold {threshold:G3}: keep {keptGroups.Length} of {s.GroupNames.Count} devices ({string.Join(", ", keptGroups)}) = {kept.Length} of {s.Variables} variables")
            : string.Create(CultureInfo.InvariantCulture, $"threshold {threshold:G3}: keep {kept.Length} of {s.Variables} variables ({string.Join(", ", kept.Select(j => s.VariableNames[j]))})"));
        File.WriteAllText(Path.Combine(outDir, "sensitivity.json"), Json(s, failing, kept, threshold, nominal), new UTF8Encoding(false));
        File.WriteAllText(Path.Combine(outDir, "sensitivity.svg"), HeatMap(s, order, failing, problem.Name), new UTF8Encoding(false));
        output.WriteLine($"wrote {history}, sensitivity.json, sensitivity.svg");
        return ExitCodes.Ok;
    }

    /// <summary>Parses <c>--group device|variable</c>: true for per-device grouping.</summary>
    public static bool GroupByDevice(string command, string value) => value switch
    {
        "device" => true,
        "variable" => false,
        _ => throw new UsageException($"{command}: --group must be 'device' or 'variable' (got '{value}')"),
    };

    /// <summary>
    /// Reads a nominal design: a <c>best.json</c> of <c>dnnopt size</c> (its <c>variables</c> object) or a flat object
    /// of variable: value. Variables it does not name keep the decks' values.
    /// </summary>
    public static double[] ReadNominal(string path, CircuitProblem problem)
    {
        try
        {
            return DesignFile.Parse(File.ReadAllText(path), path, [.. problem.Space.Select(v => v.Name)], problem.DefaultDesign);
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static double Relevance(SensitivityResult s, int j, int[] outputs)
    {
        double r = s.MaxAbs(j, outputs);
        return double.IsNaN(r) ? double.PositiveInfinity : r;
    }

    private static double GroupRelevance(SensitivityResult s, int group, int[] outputs)
    {
        double r = s.GroupMaxAbs(group, outputs);
        return double.IsNaN(r) ? double.PositiveInfinity : r;
    }

    private static double PositiveNumber(string option, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 && double.IsFinite(v)
            ? v
            : throw new UsageException($"sensitivity: {option} must be a positive number (got '{text}')");

    private static string Json(SensitivityResult s, int[] failing, int[] kept, double threshold, double[] nominal)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("threshold", threshold);
            w.WriteStartArray("failing");
            foreach (int i in failing)
            {
                w.WriteStringValue(s.OutputNames[i]);
            }

            w.WriteEndArray();
            w.WriteStartArray("kept");
            foreach (int j in kept)
            {
                w.WriteStringValue(s.VariableNames[j]);
            }

            w.WriteEndArray();
            w.WriteStartObject("groups");
            for (int j = 0; j < s.Variables; j++)
            {
                w.WriteString(s.VariableNames[j], s.GroupNames[s.GroupOf(j)]);
            }

            w.WriteEndObject();
            w.WriteStartObject("nominal");
            for (int j = 0; j < s.Variables; j++)
            {
                w.WriteNumber(s.VariableNames[j], nominal[j]);
            }

            w.WriteEndObject();
            w.WriteStartObject("sensitivity");
            for (int i = 0; i < s.Outputs; i++)
            {
                w.WriteStartObject(s.OutputNames[i]);
                for (int j = 0; j < s.Variables; j++)
                {
                    if (double.IsFinite(s[i, j]))
                    {
                        w.WriteNumber(s.VariableNames[j], s[i, j]);
                    }
                    else
                    {
                        w.WriteNull(s.VariableNames[j]);
                    }
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Variables (rows, ranked) by outputs (columns, failing ones marked); colour = log10 |S|.</summary>
    private static string HeatMap(SensitivityResult s, int[] order, int[] failing, string title)
    {
        const double Cell = 26, Left = 130, Top = 150;
        double width = Left + (Cell * s.Outputs) + 120, height = Top + (Cell * s.Variables) + 30;
        var sb = new StringBuilder();
        sb.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">\n"));
        sb.Append(Inv($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n"));
        sb.Append(Inv($"<text x=\"10\" y=\"20\" font-size=\"14\">{SecurityElement.Escape(title)}: normalised sensitivity |S| (eq. 7), failing specs in red</text>\n"));
        for (int i = 0; i < s.Outputs; i++)
        {
            double x = Left + (Cell * i) + (Cell / 2);
            string colour = failing.Contains(i) && failing.Length < s.Outputs ? "#b03030" : "#222";
            sb.Append(Inv($"<text transform=\"translate({x:F1} {Top - 6}) rotate(-60)\" fill=\"{colour}\">{SecurityElement.Escape(s.OutputNames[i])}</text>\n"));
        }

        for (int r = 0; r < order.Length; r++)
        {
            int j = order[r];
            double y = Top + (Cell * r);
            sb.Append(Inv($"<text x=\"{Left - 6}\" y=\"{y + 17:F1}\" text-anchor=\"end\">{SecurityElement.Escape(s.VariableNames[j])}</text>\n"));
            for (int i = 0; i < s.Outputs; i++)
            {
                double v = Math.Abs(s[i, j]);
                string fill = double.IsNaN(v) ? "#7a3fa0" : Colour(v);
                sb.Append(Inv($"<rect x=\"{Left + (Cell * i):F1}\" y=\"{y:F1}\" width=\"{Cell - 1}\" height=\"{Cell - 1}\" fill=\"{fill}\"><title>{SecurityElement.Escape(s.VariableNames[j])} / {SecurityElement.Escape(s.OutputNames[i])}: {s[i, j]:G4}</title></rect>\n"));
            }
        }

        double lx = Left + (Cell * s.Outputs) + 20;
        string[] labels = ["<= 1e-4", "1e-3", "1e-2", "0.1", ">= 1", "failed"];
        for (int k = 0; k < labels.Length; k++)
        {
            string fill = k == 5 ? "#7a3fa0" : Colour(Math.Pow(10, k - 4));
            sb.Append(Inv($"<rect x=\"{lx}\" y=\"{Top + (k * 18)}\" width=\"14\" height=\"14\" fill=\"{fill}\"/><text x=\"{lx + 20}\" y=\"{Top + (k * 18) + 11}\">{labels[k]}</text>\n"));
        }

        sb.Append("</svg>\n");
        return sb.ToString();
    }

    /// <summary>White (|S| &lt;= 1e-4) to dark blue (|S| &gt;= 1) on a log scale.</summary>
    private static string Colour(double v)
    {
        double t = Math.Clamp((Math.Log10(Math.Max(v, 1e-300)) + 4) / 4, 0, 1);
        int r = (int)Math.Round(255 - (t * (255 - 20)));
        int g = (int)Math.Round(255 - (t * (255 - 60)));
        int b = (int)Math.Round(255 - (t * (255 - 150)));
        return Inv($"#{r:x2}{g:x2}{b:x2}");
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
