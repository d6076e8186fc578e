using DnnOpt.Optimization.Benchmarks;
using DnnOpt.Optimization.Sensitivity;

namespace DnnOpt.Optimization.Tests.Sensitivity;

public class SensitivityTests
{
    // f0 = 3 a + b^2, g = c - 2; the integer n is unused. b sits at 0, where f0 is flat to first order.
    private static FunctionProblem Linear() => new(
        "linear",
        new DesignSpace([new("a", 0, 10), new("b", -1, 1), new("c", 0, 4), new("n", 1, 5, VariableKind.Integer)]),
        new MetricInfo("f", 2),
        [new("g", 4)],
        static (x, g) =>
        {
            g[0] = x[2] - 2;
            return (3 * x[0]) + (x[1] * x[1]);
        });

    private static SensitivityResult Analyse(IProblem p, SensitivityOptions options)
    {
        var analysis = new SensitivityAnalysis(options);
        var run = new OptimizationRunner().Run(p, analysis, new RunOptions { Budget = 100 }, new Random(1));
        Assert.Equal(StopReason.OptimizerFinished, run.StopReason);
        Assert.Equal(analysis.EvaluationCount(p.Space.Dimension), run.Evaluations);
        return SensitivityResult.FromObservations(p, options, run.Observations);
    }

    [Fact]
    public void Forward_differences_match_the_analytic_derivatives_in_normalised_units()
    {
        var s = Analyse(Linear(), new SensitivityOptions());

        // d f0 / d u_a = 3 * 10 (range) / scale 2 = 15, exactly (linear).
        Tolerance.Close(15, s[0, 0], relative: 1e-12);
        // b at 0 (centre), forward step 0.05 of range 2 = 0.1: (0.01 - 0) / (2 * 0.05) = 0.1.
        Tolerance.Close(0.1, s[0, 1], relative: 1e-9);
        // g = c - 2: d g / d u_c = 4 (range) / scale 4 = 1.
        Tolerance.Close(1, s[1, 2], relative: 1e-12);
        Assert.Equal(0, s[1, 0]);
        Assert.Equal(0, s[0, 3]); // the integer variable moved one integer but nothing depends on it
        Assert.Equal(0, s[1, 3]);
        Assert.Equal([0, 2], s.Important(0.5));
    }

    [Fact]
    public void Central_differences_cancel_the_even_term()
    {
        var s = Analyse(Linear(), new SensitivityOptions { Central = true });
        Assert.Equal(0, s[0, 1], 12); // b^2 around b = 0 is flat to first order
        Tolerance.Close(15, s[0, 0], relative: 1e-12);
    }

    [Fact]
    public void Central_differences_at_a_bound_fall_back_to_one_sided_ones()
    {
        // a at its lower face and b at its upper face: no pair can straddle them, so each difference is taken between a
        // step into the cube and the nominal. Linear in a: exact; b^2 at b = 1 stepping down to 0.9: (0.81 - 1) / (2 * -0.05).
        var s = Analyse(Linear(), new SensitivityOptions { Central = true, Nominal = [0.0, 1.0, 0.5, 0.5] });
        Tolerance.Close(15, s[0, 0], relative: 1e-12);
        Tolerance.Close((0.81 - 1) / (2 * -0.05), s[0, 1], relative: 1e-9);
        Tolerance.Close(1, s[1, 2], relative: 1e-12);
    }

    [Fact]
    public void Integer_variables_move_at_least_one_integer_and_steps_turn_back_at_faces()
    {
        var p = Linear();
        var designs = SensitivityAnalysis.Designs(p.Space, new SensitivityOptions { Nominal = [1.0, 0.5, 0.5, 0.5] });
        var nominal = p.Space.ToPhysical(designs[0]);
        var stepA = p.Space.ToPhysical(designs[1]);
        var stepN = p.Space.ToPhysical(designs[4]);
        Assert.True(stepA[0] < nominal[0]); // a at its upper face: stepped down
        Assert.Equal(1, Math.Abs(stepN[3] - nominal[3]));
    }

    [Fact]
    public void Pruned_subspace_problem_evaluates_like_the_full_one()
    {
        var p = Linear();
        var s = Analyse(p, new SensitivityOptions());
        var sub = new SubspaceProblem(p, s.Important(0.5), s.Nominal.Physical);
        Assert.Equal(["a", "c"], sub.Space.Select(v => v.Name));
        var e = sub.Evaluate([2.0, 3.0]);
        var full = p.Evaluate(sub.ToFull([2.0, 3.0]));
        Assert.Equal(full.Objective, e.Objective);
        Assert.Equal(full.Constraints.ToArray(), e.Constraints.ToArray());
        Assert.Equal(6.0, e.Objective); // b fixed at its nominal 0
    }

    [Fact]
    public void A_failed_perturbation_marks_its_variable_important()
    {
        var p = new ShiftedSphere(3);  // x0 > 1.9 throws: put the nominal near the face so the step crosses it
        var options = new SensitivityOptions { Nominal = [0.96, 0.5, 0.5], Step = 0.02 };
        var s = Analyse(p, options);
        Assert.True(double.IsNaN(s.MaxAbs(0)));
        Assert.Contains(0, s.Important(1e9));
    }
}
