using DnnOpt.Optimization;
using DnnOpt.Optimization.Baselines;
using DnnOpt.Sizing.Problems;

namespace DnnOpt.Sizing.Tests.Evaluators;

/// <summary>
/// A crashed, hung or garbled evaluator gives failed evaluations, never a crashed run. The evaluators are one-line
/// POSIX shell programs (the CI machine is Linux).
/// </summary>
public sealed class ExternalEvaluatorTests
{
    private static CircuitProblem Problem(string command, double timeout = 10) => CircuitProblem.Create(ProblemFile.Parse(
        $$"""
        name: ext
        evaluator: { command: '{{command.Replace("'", "''", StringComparison.Ordinal)}}', timeout: {{timeout.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, metrics: [power] }
        variables:
          - { name: x, lower: 0, upper: 1 }
        objective: { minimize: power, scale: 1 }
        specs:
          - power < 0.5
        """,
        "ext.yaml",
        _ => throw new FileNotFoundException()));

    [Fact]
    public void A_well_behaved_evaluator_answers_by_id()
    {
        // Echoes power = 0.25 whatever x is, copying the request's id.
        using CircuitProblem p = Problem("""while read l; do id=${l#*\"id\":}; id=${id%%,*}; echo "{\"id\": $id, \"metrics\": {\"power\": 0.25}}"; done""");
        for (int i = 0; i < 3; i++)
        {
            Evaluation e = p.Evaluate([0.3]);
            Assert.True(e.Succeeded, e.FailureReason);
            Assert.Equal(0.25, e.Objective);
            Assert.True(e.IsFeasible);
        }

        Assert.Equal(1, p.EvaluatorProcessesStarted);
    }

    [Theory]
    [InlineData("while read l; do echo not-json; done", "garbled reply (not JSON")]
    [InlineData("while read l; do echo '{\"id\": 999, \"metrics\": {}}'; done", "garbled reply (id 999, expected")]
    [InlineData("read l; echo boom >&2; exit 3", "evaluator exited (code 3) before replying; evaluator stderr: boom")]
    [InlineData("while read l; do id=${l#*\\\"id\\\":}; id=${id%%,*}; echo \"{\\\"id\\\": $id, \\\"error\\\": \\\"no license\\\"}\"; done", "evaluator: no license")]
    [InlineData("while read l; do id=${l#*\\\"id\\\":}; id=${id%%,*}; echo \"{\\\"id\\\": $id, \\\"metrics\\\": {\\\"other\\\": 1}}\"; done", "the evaluator's reply has no metric 'power'")]
    [InlineData("exec /nonexistent/simulator", "evaluator")]
    public void A_misbehaving_evaluator_gives_failed_evaluations_with_the_reason(string command, string reason)
    {
        using CircuitProblem p = Problem(command);
        for (int i = 0; i < 2; i++)
        {
            Evaluation e = p.Evaluate([0.5]);
            Assert.False(e.Succeeded);
            Assert.Contains(reason, e.FailureReason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_hung_evaluator_times_out_is_restarted_and_a_run_completes()
    {
        using CircuitProblem p = Problem("while read l; do sleep 30; done", timeout: 0.3);
        var runner = new OptimizationRunner();
        RunResult r = runner.Run(p, new RandomSearch(), new RunOptions { Budget = 3 }, new Random(1));
        Assert.Equal(3, r.Evaluations);
        Assert.All(r.Observations, o => Assert.Contains("no reply within 0.3 s", o.Evaluation.FailureReason, StringComparison.Ordinal));
        Assert.Equal(3, p.EvaluatorProcessesStarted);
    }
}
