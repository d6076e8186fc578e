using System.Globalization;
using System.Text.Json;
using DnnOpt.Sizing;
using DnnOpt.Sizing.Benchmarks;
using DnnOpt.Sizing.Problems;

namespace DnnOpt.Cli.Tests;

public sealed class EvaluateTests : IDisposable
{
    private const string Reference = """{"id": 1, "x": {"w1": 20e-6, "l1": 1e-6, "w3": 10e-6, "l3": 1e-6, "w5": 10e-6, "l5": 1e-6, "n5": 2, "ibias": 10e-6}}""";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dnnopt_eval_" + Guid.NewGuid().ToString("N"));

    public EvaluateTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string[] Lines, string Err) Evaluate(string problem, string requests)
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        var error = new StringWriter(CultureInfo.InvariantCulture);
        int code = CommandLine.Run(["evaluate", problem], new StringReader(requests), output, error);
        return (code, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), error.ToString());
    }

    [Fact]
    public void Replies_carry_the_same_metrics_constraints_and_feasibility_as_the_in_process_problem()
    {
        (int code, string[] lines, string err) = Evaluate("ota5-dc", Reference + "\n\n" + Reference.Replace("\"id\": 1", "\"id\": \"second\"", StringComparison.Ordinal) + "\n");
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, err);
        Assert.Equal(2, lines.Length);
        BuiltinBenchmarks.TryGet("ota5-dc", out BuiltinBenchmark? b);
        using CircuitProblem problem = b!.CreateProblem();
        Measurement m = problem.Measure([.. b.ReferenceDesign]);
        using JsonDocument reply = JsonDocument.Parse(lines[0]);
        JsonElement root = reply.RootElement;
        Assert.Equal(1, root.GetProperty("id").GetInt32());
        Assert.True(root.GetProperty("feasible").GetBoolean());
        Assert.Equal(m.Evaluation.Objective, root.GetProperty("objective").GetDouble());
        for (int i = 0; i < m.Names.Count; i++)
        {
            Assert.Equal(m.Values[i], root.GetProperty("metrics").GetProperty(m.Names[i]).GetDouble());
        }

        for (int c = 0; c < problem.Constraints.Count; c++)
        {
            Assert.Equal(m.Evaluation.Constraints[c], root.GetProperty("constraints").GetProperty(problem.Constraints[c].Name).GetDouble());
        }

        using JsonDocument second = JsonDocument.Parse(lines[1]);
        Assert.Equal("second", second.RootElement.GetProperty("id").GetString());
    }

    public static TheoryData<string, string> BadRequests() => new()
    {
        { "not json", "line 1: not JSON" },
        { """{"id": 4}""", "line 1: expected {\"id\"" },
        { """{"id": 4, "x": {"w1": 1e-6, "nosuch": 1}}""", "unknown variable 'nosuch'" },
        { """{"id": 4, "x": {"w1": "big"}}""", "variable 'w1' is not a finite number" },
        { """{"id": 4, "x": {"w1": 1}}""", "variable 'w1' = 1 is outside its range" },
        { """{"id": 4, "x": {"w1": 2e-5}}""", "variable 'l1' is missing" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void A_malformed_request_gets_an_error_reply_and_the_server_goes_on(string request, string message)
    {
        (int code, string[] lines, _) = Evaluate("ota5-dc", request + "\n" + Reference + "\n");
        Assert.Equal(0, code);
        Assert.Equal(2, lines.Length);
        using JsonDocument bad = JsonDocument.Parse(lines[0]);
        Assert.Contains(message, bad.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        using JsonDocument good = JsonDocument.Parse(lines[1]);
        Assert.True(good.RootElement.GetProperty("feasible").GetBoolean());
    }

    [Fact]
    public void A_problem_file_can_use_dnnopt_evaluate_as_its_external_evaluator_with_identical_results()
    {
        string cli = typeof(CommandLine).Assembly.Location;
        string inner = Path.Combine(_dir, "ota-inner.yaml");
        File.WriteAllText(Path.Combine(_dir, "ota5-dc.cir"), BuiltinBenchmarks.All[0].Definition.Decks[0].Text);
        File.WriteAllText(inner, """
            name: ota-inner
            decks: [ota5-dc.cir]
            variables:
              - { name: w1, lower: 1u, upper: 100u, scale: log }
              - { name: ibias, lower: 1u, upper: 50u, scale: log }
            metrics:
              ivdd: { vector: "i(vdd)", unit: A }
              gm1: { vector: "@m1[gm]", unit: S }
              power: { expression: -vdd*ivdd, unit: W }
            objective: { minimize: power, scale: 1e-4 }
            specs:
              - gm1 > 100u
            """);
        string outer = Path.Combine(_dir, "ota-outer.yaml");
        File.WriteAllText(outer, $$"""
            name: ota-outer
            evaluator: { command: "dotnet '{{cli}}' evaluate ota-inner.yaml", timeout: 60, metrics: [power, gm1] }
            variables:
              - { name: w1, lower: 1u, upper: 100u, scale: log }
              - { name: ibias, lower: 1u, upper: 50u, scale: log }
            metrics:
              power: { unit: W }
              gm1_us: gm1*1e6
            objective: { minimize: power, scale: 1e-4 }
            specs:
              - gm1_us > 100
            """);
        using CircuitProblem inProcess = CircuitProblem.Create(ProblemFile.Load(inner));
        using CircuitProblem external = CircuitProblem.Create(ProblemFile.Load(outer));
        Assert.Equal(["gm1", "power", "gm1_us"], external.MetricNames); // unlisted evaluator metrics first, then the listed ones
        foreach (double[] x in new[] { new[] { 20e-6, 10e-6 }, [3e-6, 40e-6], [90e-6, 1.5e-6] })
        {
            Measurement a = inProcess.Measure(x);
            Measurement e = external.Measure(x);
            Assert.True(e.Evaluation.Succeeded, e.Evaluation.FailureReason);
            Assert.Equal(a["power"], e["power"]);
            Assert.Equal(a["gm1"], e["gm1"]);
            Assert.Equal(a["gm1"] * 1e6, e["gm1_us"]);
            Assert.Equal(a.Evaluation.Constraints[0] * 1e6, e.Evaluation.Constraints[0], 1e-9);
            Assert.Equal(a.Evaluation.IsFeasible, e.Evaluation.IsFeasible);
        }

        Assert.Equal(1, external.EvaluatorProcessesStarted);
    }
}
