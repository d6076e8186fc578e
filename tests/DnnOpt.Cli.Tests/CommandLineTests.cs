using System.Globalization;
using System.Text.Json;
using DnnOpt.Sizing.Benchmarks;

namespace DnnOpt.Cli.Tests;

/// <summary>End-to-end tests of the dnnopt commands, run in-process through <c>CommandLine.Run</c>.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dnnopt_cli_" + Guid.NewGuid().ToString("N"));

    public CommandLineTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        var error = new StringWriter(CultureInfo.InvariantCulture);
        int code = CommandLine.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Size_with_dnnopt_writes_history_best_and_summary()
    {
        string dir = Path.Combine(_dir, "run");
        (int code, string stdout, string stderr) = Run("size", "ota5-dc", "--budget", "24", "--seed", "1", "--out", dir);
        Assert.True(code is 0 or 1, stderr);
        Assert.Contains("sim 24/24", stdout, StringComparison.Ordinal);
        Assert.Contains("best FoM", stdout, StringComparison.Ordinal);
        Assert.Contains("spec", stdout, StringComparison.Ordinal);

        string[] history = File.ReadAllLines(Path.Combine(dir, "history.csv"));
        Assert.Equal(25, history.Length);
        Assert.StartsWith("index,batch,status,feasible,fom,violation,f0.power,c.gain_db_min", history[0], StringComparison.Ordinal);

        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        Assert.Equal("ota5-dc", summary.RootElement.GetProperty("problem").GetString());
        Assert.Equal("DNN-Opt", summary.RootElement.GetProperty("algorithm").GetString());
        Assert.Equal(24, summary.RootElement.GetProperty("simulations").GetInt32());
        bool found = summary.RootElement.GetProperty("first_feasible_simulation").ValueKind == JsonValueKind.Number;
        Assert.Equal(found ? 0 : 1, code);

        using JsonDocument best = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "best.json")));
        Assert.Equal(found, best.RootElement.GetProperty("feasible").GetBoolean());
        Assert.Equal(8, best.RootElement.GetProperty("variables").EnumerateObject().Count());
        JsonElement specs = best.RootElement.GetProperty("specs");
        Assert.Equal(12, specs.GetArrayLength());
        Assert.Equal(found, specs.EnumerateArray().All(s => s.GetProperty("met").GetBoolean()));

        // The convergence plot is well-formed SVG with one dot per simulation and the first feasible point marked.
        var svg = System.Xml.Linq.XDocument.Load(Path.Combine(dir, "convergence.svg"));
        System.Xml.Linq.XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(24, svg.Descendants(ns + "circle").Count());
        Assert.NotEmpty(svg.Descendants(ns + "polyline"));
        int? first = found ? summary.RootElement.GetProperty("first_feasible_simulation").GetInt32() : null;
        Assert.Equal(found, svg.Descendants(ns + "text").Any(t => t.Value == $"first feasible: simulation {first}"));

        // The best design's deck is written with its values, and simulates.
        string deck = Path.Combine(dir, "ota5-dc-best.cir");
        Assert.Contains("* dnnopt size ota5-dc --algorithm dnnopt --seed 1: best design (simulation", File.ReadAllLines(deck)[1], StringComparison.Ordinal);
        (int simCode, string simOut, _) = Run("simulate", deck);
        Assert.Equal(0, simCode);
        Assert.Contains("v(out) = ", simOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Size_reads_a_problem_file_with_two_decks_and_writes_both_best_decks()
    {
        string src = Path.Combine(_dir, "problem");
        Directory.CreateDirectory(src);
        const string Stage = ".param w=10u rd=10k\nvdd vdd 0 1.8\nvg g 0 {vg}\nrd vdd d {rd}\nm1 d g 0 0 nch w={w} l=1u\n.model nch nmos level=1 vto=0.45 kp=200u lambda=0.05\n.op\n.end\n";
        File.WriteAllText(Path.Combine(src, "hi.cir"), "stage at 0.8 V\n.param vg=0.8\n" + Stage);
        File.WriteAllText(Path.Combine(src, "lo.cir"), "stage at 0.7 V\n.param vg=0.7\n" + Stage);
        File.WriteAllText(Path.Combine(src, "stage.yaml"), """
            name: stage
            decks: [hi.cir, lo.cir]
            variables:
              - { name: w, lower: 2u, upper: 40u, unit: m }
              - { name: rd, lower: 2k, upper: 50k, scale: log, unit: Ohm }
            metrics:
              id: { vector: "@m1[id]", unit: A }
              gm: { vector: "@m1[gm]", unit: S }
              vd_lo: { vector: "v(d)", deck: lo.cir, unit: V }
              gain: gm*rd
              power: { expression: 1.8*id, unit: W }
            objective: { minimize: power }
            specs:
              - gain > 8
              - vd_lo > 0.9
            saturation: { devices: [m1], margin: 50m }
            """);
        string dir = Path.Combine(_dir, "stage-run");
        (int code, string stdout, string stderr) = Run("size", Path.Combine(src, "stage.yaml"), "--budget", "30", "--out", dir);
        Assert.True(code is 0 or 1, stderr);
        Assert.Contains("dnnopt size stage: DNN-Opt, budget 30 simulations", stdout, StringComparison.Ordinal);
        Assert.Contains("2 variables, 3 constraints", stdout, StringComparison.Ordinal);
        Assert.Equal(31, File.ReadAllLines(Path.Combine(dir, "history.csv")).Length);
        foreach (string deck in new[] { "hi-best.cir", "lo-best.cir" })
        {
            (int simCode, string simOut, _) = Run("simulate", Path.Combine(dir, deck));
            Assert.Equal(0, simCode);
            Assert.Contains("v(d) = ", simOut, StringComparison.Ordinal);
        }

        // A problem-file error names the file and line and exits 2.
        File.WriteAllText(Path.Combine(src, "bad.yaml"), "name: stage\ndecks: [hi.cir]\nvariables:\n  - { name: w, lower: 40u, upper: 2u }\n");
        (code, _, stderr) = Run("size", Path.Combine(src, "bad.yaml"));
        Assert.Equal(2, code);
        Assert.Contains("bad.yaml:4: variable 'w': bounds reversed", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Resume_replays_the_history_and_continues_as_an_uninterrupted_run()
    {
        string resumed = Path.Combine(_dir, "resumed");
        string straight = Path.Combine(_dir, "straight");
        Assert.True(Run("size", "ota5-dc", "--algorithm", "random", "--budget", "45", "--seed", "5", "--out", straight).Code is 0 or 1);

        // A run killed after 30 simulations, in the middle of writing the 31st line.
        Directory.CreateDirectory(resumed);
        string[] full = File.ReadAllLines(Path.Combine(straight, "history.csv"));
        File.WriteAllText(Path.Combine(resumed, "history.csv"), string.Join('\n', full.Take(31)) + "\n" + full[31][..20]);

        (int code, string stdout, _) = Run("size", "ota5-dc", "--algorithm", "random", "--budget", "45", "--seed", "5", "--out", resumed, "--resume");
        Assert.True(code is 0 or 1);
        Assert.Contains("(30 replayed from the history)", stdout, StringComparison.Ordinal);

        string[] a = File.ReadAllLines(Path.Combine(resumed, "history.csv"));
        string[] b = File.ReadAllLines(Path.Combine(straight, "history.csv"));
        Assert.Equal(46, a.Length);
        Assert.Equal(b.Length, a.Length);
        string[] header = a[0].Split(',');
        int[] timing = [Array.IndexOf(header, "eval_s"), Array.IndexOf(header, "model_s"), Array.IndexOf(header, "elapsed_s")];
        for (int i = 0; i < a.Length; i++)
        {
            string[] x = a[i].Split(','), y = b[i].Split(',');
            foreach (int t in timing)
            {
                x[t] = y[t] = string.Empty;
            }

            Assert.Equal(y, x);
        }
    }

    [Fact]
    public void Parallel_jobs_simulate_the_same_designs_with_the_same_results_in_the_same_order()
    {
        string one = Path.Combine(_dir, "jobs1");
        string three = Path.Combine(_dir, "jobs3");
        Assert.True(Run("size", "ota5-dc", "--algorithm", "random", "--budget", "40", "--seed", "9", "--out", one).Code is 0 or 1);
        (int code, string stdout, _) = Run("size", "ota5-dc", "--algorithm", "random", "--budget", "40", "--seed", "9", "--out", three, "--jobs", "3");
        Assert.True(code is 0 or 1);
        Assert.Contains("3 job(s)", stdout, StringComparison.Ordinal);

        // Random search proposes the same Latin-hypercube designs whatever the batch size, so only the batch number
        // and the timings may differ.
        string[] a = File.ReadAllLines(Path.Combine(one, "history.csv"));
        string[] b = File.ReadAllLines(Path.Combine(three, "history.csv"));
        Assert.Equal(a.Length, b.Length);
        string[] header = a[0].Split(',');
        int[] skip = [Array.IndexOf(header, "batch"), Array.IndexOf(header, "eval_s"), Array.IndexOf(header, "model_s"), Array.IndexOf(header, "elapsed_s")];
        Assert.DoesNotContain(-1, skip);
        for (int i = 1; i < a.Length; i++)
        {
            string[] x = a[i].Split(','), y = b[i].Split(',');
            foreach (int t in skip)
            {
                x[t] = y[t] = string.Empty;
            }

            Assert.Equal(x, y);
        }
    }

    [Fact]
    public void Cancellation_stops_the_run_and_still_writes_the_history_and_the_report()
    {
        string dir = Path.Combine(_dir, "cancelled");
        using var cancel = new CancellationTokenSource();
        int seen = 0;
        var output = new CallbackWriter(line =>
        {
            // Ctrl-C after the third progress line (budget 40: a line every 2 simulations).
            if (line.StartsWith("sim ", StringComparison.Ordinal) && ++seen == 3)
            {
                cancel.Cancel();
            }
        });
        int code = CommandLine.Run(["size", "ota5-dc", "--algorithm", "random", "--budget", "40", "--out", dir], output, TextWriter.Null, cancel.Token);
        Assert.True(code is 0 or 1);
        Assert.Contains("stopped: Cancelled after 6 simulations", output.Text, StringComparison.Ordinal);
        Assert.Equal(7, File.ReadAllLines(Path.Combine(dir, "history.csv")).Length);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        Assert.Equal("Cancelled", summary.RootElement.GetProperty("stop_reason").GetString());
    }

    private sealed class CallbackWriter(Action<string> onLine) : StringWriter(CultureInfo.InvariantCulture)
    {
        public string Text => ToString();

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            onLine(value ?? string.Empty);
        }
    }

    [Fact]
    public void An_existing_history_is_not_overwritten_without_resume()
    {
        string dir = Path.Combine(_dir, "twice");
        Assert.True(Run("size", "ota5-dc", "--algorithm", "random", "--budget", "3", "--out", dir).Code is 0 or 1);
        (int code, string stdout, string stderr) = Run("size", "ota5-dc", "--algorithm", "random", "--budget", "3", "--out", dir);
        Assert.Equal(2, code);
        Assert.Contains("already holds a run; pass --resume", stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(dir, "history.csv")).Length);
    }

    [Fact]
    public void Resume_with_another_seed_is_a_clear_error()
    {
        string dir = Path.Combine(_dir, "seeds");
        Assert.True(Run("size", "ota5-dc", "--algorithm", "random", "--budget", "5", "--seed", "1", "--out", dir).Code is 0 or 1);
        (int code, _, string stderr) = Run("size", "ota5-dc", "--algorithm", "random", "--budget", "5", "--seed", "2", "--out", dir, "--resume");
        Assert.Equal(2, code);
        Assert.Contains("was not written by this configuration", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    public static TheoryData<string[], string> BadInputs() => new()
    {
        { [], "usage: dnnopt" },
        { ["frobnicate"], "unknown command 'frobnicate'" },
        { ["size"], "no problem given" },
        { ["size", "nosuch"], "no built-in benchmark 'nosuch'" },
        { ["size", "ota5-dc", "--budget", "abc"], "--budget must be a positive integer (got 'abc')" },
        { ["size", "ota5-dc", "--budget", "0"], "--budget must be a positive integer (got '0')" },
        { ["size", "ota5-dc", "--seed", "x1"], "--seed must be an integer (got 'x1')" },
        { ["size", "ota5-dc", "--seed"], "--seed needs a value" },
        { ["size", "ota5-dc", "--algorithm", "cmaes"], "unknown algorithm 'cmaes'" },
        { ["size", "ota5-dc", "--frob"], "unknown option '--frob'" },
        { ["size", "ota5-dc", "--jobs", "0"], "--jobs must be a positive integer (got '0')" },
        { ["size", "ota5-dc", "extra"], "unexpected argument 'extra'" },
        { ["size", "problem.yaml"], "problem.yaml: cannot read problem file" },
        { ["benchmarks"], "missing subcommand" },
        { ["benchmarks", "export", "ota5-dc"], "expected NAME DIR" },
        { ["benchmarks", "export", "nosuch", "dir"], "no built-in benchmark 'nosuch'" },
        { ["benchmarks", "frob"], "unknown subcommand 'frob'" },
        { ["simulate"], "no deck given" },
        { ["simulate", "/nonexistent/deck.cir"], "deck '/nonexistent/deck.cir' does not exist" },
        { ["simulate", "a.cir", "-r"], "-r needs a file name" },
        { ["help", "frob"], "no help for unknown command 'frob'" },
        { ["size", "ota5-dc", "--prune", "abc"], "--prune must be a positive number (got 'abc')" },
        { ["size", "ota5-dc", "--nominal", "x.json"], "--nominal is the starting point of --prune" },
        { ["sensitivity"], "sensitivity: no problem given" },
        { ["sensitivity", "ota5-dc", "--threshold", "-1"], "--threshold must be a positive number (got '-1')" },
        { ["sensitivity", "ota5-dc", "--frob"], "sensitivity: unknown option '--frob'" },
        { ["sensitivity", "ota5-dc", "--nominal", "/nonexistent/best.json"], "best.json" },
        { ["evaluate"], "evaluate: expected exactly one PROBLEM" },
        { ["evaluate", "nosuch"], "no built-in benchmark 'nosuch'" },
        { ["benchmarks", "difficulty"], "benchmarks difficulty: expected NAME" },
        { ["benchmarks", "difficulty", "ota5-dc", "--samples", "0"], "--samples must be a positive integer (got '0')" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_exits_2_with_a_message_naming_it_and_no_stack_trace(string[] args, string message)
    {
        (int code, string stdout, string stderr) = Run(args);
        Assert.Equal(2, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout);
    }

    [Fact]
    public void Difficulty_counts_feasible_random_designs_the_same_on_any_number_of_threads()
    {
        (int code, string one, string stderr) = Run("benchmarks", "difficulty", "ota5-dc", "--samples", "400", "--seed", "3");
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        (_, string two, _) = Run("benchmarks", "difficulty", "ota5-dc", "--samples", "400", "--seed", "3", "--jobs", "2");
        Assert.Matches(@"^ota5-dc: \d+ feasible of 400 random designs \(.*\), 0 failed", one);
        Assert.Equal(one[..one.IndexOf("seed", StringComparison.Ordinal)], two[..two.IndexOf("seed", StringComparison.Ordinal)]);

        // Then one line per constraint: how many of the measured designs miss it, the same on any number of threads.
        string breakdown = one[one.IndexOf("constraints missed by the 400 measured designs:", StringComparison.Ordinal)..];
        Assert.Equal(breakdown, two[two.IndexOf("constraints missed by the", StringComparison.Ordinal)..]);
        var counts = System.Text.RegularExpressions.Regex.Matches(breakdown, @"^  \S+: (\d+)$", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.Equal(12, counts.Count);
        int feasible = int.Parse(System.Text.RegularExpressions.Regex.Match(one, @"^ota5-dc: (\d+) feasible").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.All(counts, c => Assert.InRange(int.Parse(c.Groups[1].Value, CultureInfo.InvariantCulture), 0, 400 - feasible));
        Assert.Contains(counts, c => c.Groups[1].Value != "0");
    }

    [Fact]
    public void Help_of_every_command_has_examples()
    {
        foreach (string command in new[] { "size", "evaluate", "sensitivity", "benchmarks", "simulate" })
        {
            (int code, string stdout, _) = Run(command, "--help");
            Assert.Equal(0, code);
            Assert.Contains("usage: dnnopt " + command, stdout, StringComparison.Ordinal);
            Assert.Contains("examples:", stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Simulate_reports_a_deck_error_with_file_and_line()
    {
        string deck = Path.Combine(_dir, "bad.cir");
        File.WriteAllText(deck, "bad deck\nr1 a 0 1k\nq1 a b c nosuchmodel\n.op\n.end\n");
        (int code, _, string stderr) = Run("simulate", deck);
        Assert.Equal(2, code);
        Assert.Contains("bad.cir:3", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Benchmarks_list_and_export_and_the_exported_deck_simulates()
    {
        (int code, string list, _) = Run("benchmarks", "list");
        Assert.Equal(0, code);
        Assert.StartsWith("ota5-dc ", list, StringComparison.Ordinal);

        string dir = Path.Combine(_dir, "export");
        (code, string stdout, _) = Run("benchmarks", "export", "ota5-dc", dir);
        Assert.Equal(0, code);
        Assert.Contains("ota5-dc.cir", stdout, StringComparison.Ordinal);
        string deck = Path.Combine(dir, "ota5-dc.cir");
        BuiltinBenchmarks.TryGet("ota5-dc", out BuiltinBenchmark? b);
        Assert.Equal(b!.Definition.Decks[0].Text, File.ReadAllText(deck));
        Assert.Contains("gm1/(gds2+gds4)", File.ReadAllText(Path.Combine(dir, "ota5-dc.md")), StringComparison.Ordinal);

        // The reference design's output node, as ngspice 39 computes it (tests/DnnOpt.Sizing.Tests/Reference/ota5-dc.csv).
        (code, string sim, _) = Run("simulate", deck);
        Assert.Equal(0, code);
        Assert.Contains("v(out) = 1.197805355e+00", sim, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help", "usage: dnnopt COMMAND")]
    [InlineData("help", "usage: dnnopt COMMAND")]
    public void Help_exits_0(string arg, string text)
    {
        (int code, string stdout, _) = Run(arg);
        Assert.Equal(0, code);
        Assert.Contains(text, stdout, StringComparison.Ordinal);
        foreach (string command in new[] { "size", "benchmarks", "simulate" })
        {
            (int c, string help, _) = Run(command, "--help");
            Assert.Equal(0, c);
            Assert.Contains("examples:", help, StringComparison.Ordinal);
        }
    }
}
