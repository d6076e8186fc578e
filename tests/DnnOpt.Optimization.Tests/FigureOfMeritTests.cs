namespace DnnOpt.Optimization.Tests;

public class FigureOfMeritTests
{
    private static readonly MetricInfo Power = new("power", 1e-3);
    private static readonly MetricInfo[] Specs = [new("gain", 60), new("ugf", 30e6), new("pm", 60)];

    [Fact]
    public void Equation_4_by_hand_with_scales()
    {
        var g = new FigureOfMerit(Power, Specs);

        // power 0.7 mW -> 0.7; gain misses 60 dB by 6 dB -> 0.1; ugf met (negative) -> 0; pm misses by 120 deg -> clipped 1.
        double value = g.Evaluate(0.7e-3, [6.0, -5e6, 120.0]);
        Tolerance.Close(0.7 + 0.1 + 0 + 1, value, relative: 1e-14);
        Tolerance.Close(0.1 + 2.0, g.Violation([6.0, -5e6, 120.0]), relative: 1e-14);
    }

    [Fact]
    public void Weights_multiply_before_the_clips()
    {
        var options = new FomOptions { ObjectiveWeight = 0.5, ConstraintWeights = [2.0, 1.0, 10.0] };
        var g = new FigureOfMerit(Power, Specs, options);

        // 0.5 * 2 = 1; gain 2 * 0.4 = 0.8; ugf 1 * 15e6/30e6 = 0.5; pm 10 * 3/60 = 0.5.
        Tolerance.Close(1 + 0.8 + 0.5 + 0.5, g.Evaluate(2e-3, [24.0, 15e6, 3.0]), relative: 1e-14);
        Tolerance.Close(0.5 / 1e-3, g.ObjectiveCoefficient, relative: 1e-14);
        Tolerance.Close(10.0 / 60, g.ConstraintCoefficients[2], relative: 1e-14);
    }

    [Fact]
    public void Feasible_designs_rank_by_objective_only()
    {
        var g = new FigureOfMerit(Power, Specs);
        Assert.Equal(g.Evaluate(1e-3, [-1.0, -1.0, -1.0]), g.Evaluate(1e-3, [-50.0, -1e9, 0.0]));
        Assert.True(g.Evaluate(0.9e-3, [-1.0, -1.0, -1.0]) < g.Evaluate(1e-3, [-1.0, -1.0, -1.0]));
    }

    [Fact]
    public void Failures_are_worse_than_anything()
    {
        var g = new FigureOfMerit(Power, Specs);
        var failure = Evaluation.Failure("no convergence");
        Assert.Equal(double.PositiveInfinity, g.Evaluate(failure));
        Assert.Equal(double.PositiveInfinity, g.Violation(failure));
        Assert.False(failure.IsFeasible);
    }

    [Fact]
    public void Rows_match_single_evaluations()
    {
        var g = new FigureOfMerit(Power, Specs);
        double[] rows = [1e-3, 6, 1e6, -2, 2e-3, -6, -1e6, 200, 0.5e-3, 30, 31e6, 0];
        var dest = new double[3];
        g.EvaluateRows(rows, dest);
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(g.Evaluate(rows[k * 4], rows.AsSpan((k * 4) + 1, 3)), dest[k]);
        }
    }

    [Fact]
    public void Bad_inputs_throw()
    {
        Assert.Throws<ArgumentException>(() => new FigureOfMerit(Power, Specs, new FomOptions { ConstraintWeights = [1.0] }));
        Assert.Throws<ArgumentException>(() => new FigureOfMerit(Power, Specs, new FomOptions { ObjectiveWeight = -1 }));
        Assert.Throws<ArgumentException>(() => new FigureOfMerit(new MetricInfo("p", 0), Specs));
        var g = new FigureOfMerit(Power, Specs);
        Assert.Throws<ArgumentException>(() => g.Evaluate(1, [1.0]));
    }

    [Fact]
    public void Non_finite_outputs_become_failures()
    {
        var e = Evaluation.Success(1.0, [double.NaN]);
        Assert.False(e.Succeeded);
        Assert.Contains("constraint 1", e.FailureReason, StringComparison.Ordinal);
    }
}
