using DnnOpt.Optimization;
using DnnOpt.Sizing.Benchmarks;

namespace DnnOpt.Sizing.Tests;

public sealed class CircuitProblemTests
{
    // A common-source stage: small enough to reason about, with a MOSFET for saturation and device quantities.
    private const string Deck = """
        common source stage
        .param w=10u l=1u rd=20k
        vdd vdd 0 1.8
        vg g 0 0.8
        r1 vdd d {rd}
        m1 d g 0 0 nch w={w} l={l}
        .model nch nmos level=1 vto=0.45 kp=200u lambda=0.05
        .op
        .end
        """;

    private static SizingProblemDefinition Stage(Func<SizingProblemDefinition, SizingProblemDefinition>? edit = null)
    {
        var d = new SizingProblemDefinition
        {
            Name = "cs-stage",
            Decks = [new DeckDefinition("cs.cir", Deck)],
            Variables = [new SizingVariable("w", 1e-6, 50e-6, "m"), new SizingVariable("rd", 1e3, 100e3, "Ohm", Scale: VariableScale.Log)],
            Metrics =
            [
                MetricDefinition.Vector("vd", "v(d)", "V"),
                MetricDefinition.Vector("id", "@m1[id]", "A"),
                MetricDefinition.Vector("gm", "@m1[gm]", "S"),
                MetricDefinition.Expression("gain", "gm*rd", "V/V"),
                MetricDefinition.Expression("power", "1.8*id", "W"),
            ],
            Objective = "power",
            ObjectiveScale = 1e-4,
            Specs = [Spec.Parse("gain > 5"), Spec.Parse("vd > 0.5"), Spec.Parse("vd < 1.5")],
            Saturation = new SaturationRequirement(["m1"], 0.05),
        };
        return edit is null ? d : edit(d);
    }

    [Fact]
    public void Constraints_follow_the_metric_info_normalisation()
    {
        CircuitProblem p = CircuitProblem.Create(Stage());
        Assert.Equal(["gain_min", "vd_min", "vd_max", "sat_m1"], p.Constraints.Select(c => c.Name));
        Assert.Equal([5.0, 0.5, 1.5, 0.05], p.Constraints.Select(c => c.Scale));
        Assert.Equal(["vd", "id", "gm", "gain", "power", "sat_m1"], p.MetricNames);

        Measurement m = p.Measure([10e-6, 20e3]);
        Assert.True(m.Evaluation.Succeeded, m.Evaluation.FailureReason);
        Assert.Equal(m["power"], m.Evaluation.Objective);
        Assert.Equal(5 - m["gain"], m.Evaluation.Constraints[0]);
        Assert.Equal(0.5 - m["vd"], m.Evaluation.Constraints[1]);
        Assert.Equal(m["vd"] - 1.5, m.Evaluation.Constraints[2]);
        Assert.Equal(0.05 - m["sat_m1"], m.Evaluation.Constraints[3]);

        // Hand check of the expressions: gain = gm * rd, power = vdd * id, vd = vdd - id * rd.
        Assert.Equal(m["gm"] * 20e3, m["gain"], 1e-12);
        Tolerance.Close(1.8 - (m["id"] * 20e3), m["vd"], 1e-6, 1e-9, "vd = vdd - id*rd");
    }

    [Fact]
    public void A_singular_circuit_is_a_failure_with_the_reason_and_the_problem_recovers()
    {
        // A negative r1 = -r0 cancels the conductance at node out: the MNA matrix is singular there.
        const string deck = """
            divider with a negative resistor
            .param r=-2k
            vin in 0 1
            r0 in out 1k
            r1 out 0 {r}
            .op
            .end
            """;
        CircuitProblem p = CircuitProblem.Create(new SizingProblemDefinition
        {
            Name = "singular",
            Decks = [new DeckDefinition("singular.cir", deck)],
            Variables = [new SizingVariable("r", -2000, -500, "Ohm")],
            Metrics = [MetricDefinition.Vector("vout", "v(out)", "V")],
            Objective = "vout",
            ObjectiveScale = 1,
        });
        Evaluation bad = p.Evaluate([-1000.0]);
        Assert.False(bad.Succeeded);
        Assert.Contains("did not converge", bad.FailureReason, StringComparison.Ordinal);
        Assert.Contains("'out'", bad.FailureReason, StringComparison.Ordinal);
        Evaluation good = p.Evaluate([-2000.0]);
        Assert.True(good.Succeeded, good.FailureReason);
        Assert.Equal(2.0, good.Objective, 1e-12); // v(out) = r1 / (r0 + r1) = -2k / -1k
    }

    [Fact]
    public void Unmeasurable_or_non_finite_metrics_are_failures_naming_the_metric()
    {
        CircuitProblem missing = CircuitProblem.Create(Stage(d => d with { Metrics = [.. d.Metrics, MetricDefinition.Vector("bogus", "@m1[nosuchquantity]")] }));
        Evaluation e = missing.Evaluate([10e-6, 20e3]);
        Assert.False(e.Succeeded);
        Assert.Contains("'bogus'", e.FailureReason, StringComparison.Ordinal);

        CircuitProblem infinite = CircuitProblem.Create(Stage(d => d with { Metrics = [.. d.Metrics, MetricDefinition.Expression("inf", "log10(vd-vd)")] }));
        Evaluation f = infinite.Evaluate([10e-6, 20e3]);
        Assert.False(f.Succeeded);
        Assert.Contains("'inf' is not finite", f.FailureReason, StringComparison.Ordinal);

        // Every metric that can be measured is kept for the record, also those after the failing one; only the
        // failing metric is NaN.
        Measurement m = infinite.Measure([10e-6, 20e3]);
        Assert.True(double.IsFinite(m["vd"]));
        Assert.True(double.IsNaN(m["inf"]));
        Assert.True(double.IsFinite(m["sat_m1"]));
    }

    [Fact]
    public void A_device_the_simulator_rejects_is_a_failure_not_an_exception()
    {
        // w = 0 is inside this variable's range but not a valid MOSFET width.
        CircuitProblem p = CircuitProblem.Create(Stage(d => d with { Variables = [new SizingVariable("w", 0, 50e-6, "m"), d.Variables[1]] }));
        // DnnOpt.Spice refuses it while building the devices (SpiceParseException "need w > 0 ..."): a failed design.
        Evaluation e = p.Evaluate([0, 20e3]);
        Assert.False(e.Succeeded);
        Assert.Contains("need w > 0", e.FailureReason, StringComparison.Ordinal);

        // And the problem keeps working afterwards.
        Assert.True(p.Evaluate([10e-6, 20e3]).Succeeded);
    }

    [Theory]
    [InlineData("variable", "'wx' is not a top-level .param")]
    [InlineData("spec", "'nosuch' is not a defined metric")]
    [InlineData("objective", "objective: 'nosuch'")]
    [InlineData("order", "uses 'power', which is defined after it")]
    [InlineData("vector", "'v(nowhere)' is not a node voltage")]
    [InlineData("saturation", "'r1' is not a MOSFET")]
    [InlineData("deck", "does not parse")]
    [InlineData("expression", "expression does not parse")]
    public void Invalid_definitions_are_rejected_naming_the_field(string what, string message)
    {
        SizingProblemDefinition d = what switch
        {
            "variable" => Stage(d => d with { Variables = [new SizingVariable("wx", 1e-6, 2e-6)] }),
            "spec" => Stage(d => d with { Specs = [Spec.Parse("nosuch > 1")] }),
            "objective" => Stage(d => d with { Objective = "nosuch" }),
            "order" => Stage(d => d with { Metrics = [MetricDefinition.Expression("early", "2*power"), .. d.Metrics] }),
            "vector" => Stage(d => d with { Metrics = [.. d.Metrics, MetricDefinition.Vector("vn", "v(nowhere)")] }),
            "saturation" => Stage(d => d with { Saturation = new SaturationRequirement(["r1"], 0.05) }),
            "deck" => Stage(d => d with { Decks = [new DeckDefinition("cs.cir", Deck.Replace("m1 d g 0 0 nch", "m1 d g 0 0 nch w=", StringComparison.Ordinal) + "\n.frobnicate\n")] }),
            "expression" => Stage(d => d with { Metrics = [.. d.Metrics, MetricDefinition.Expression("bad", "gm*(rd")] }),
            _ => throw new ArgumentException(what),
        };
        var e = Assert.Throws<SizingProblemException>(() => CircuitProblem.Create(d));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Contains("cs-stage", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_design_gives_bit_identical_results_whatever_was_evaluated_before_and_in_parallel()
    {
        BuiltinBenchmarks.TryGet("ota5-dc", out BuiltinBenchmark? b);
        CircuitProblem problem = b!.CreateProblem();
        var random = new Random(3);
        double[][] designs = [.. Enumerable.Range(0, 48).Select(_ => problem.Space.ToPhysical([.. Enumerable.Range(0, problem.Space.Dimension).Select(_ => random.NextDouble())]))];

        double[][] forward = [.. designs.Select(x => problem.Measure(x).Values.ToArray())];
        double[][] backward = [.. designs.Reverse().Select(x => CircuitProblem.Create(b.Definition).Measure(x).Values.ToArray()).Reverse()];
        var parallel = new double[designs.Length][];
        Parallel.For(0, designs.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = problem.Measure(designs[i]).Values.ToArray());
        for (int i = 0; i < designs.Length; i++)
        {
            Assert.Equal(forward[i], backward[i]);
            Assert.Equal(forward[i], parallel[i]);
        }
    }

    [Fact]
    public void The_deck_with_a_designs_values_reproduces_its_metrics()
    {
        BuiltinBenchmarks.TryGet("ota5-dc", out BuiltinBenchmark? b);
        CircuitProblem problem = b!.CreateProblem();
        double[] x = [31.7e-6, 1.3e-6, 7.7e-6, 2.1e-6, 4.4e-6, 0.9e-6, 5, 3.3e-6];
        string deck = b.Definition.DecksWithValues(x)[0].Text;
        Assert.Contains(".param w1=3.17E-05 l1=1.3E-06 w3=7.7E-06 l3=2.1E-06 w5=4.4E-06 l5=9E-07 n5=5 ibias=3.3E-06", deck, StringComparison.Ordinal);

        // The substituted deck at its own defaults is the same design.
        CircuitProblem fromDeck = CircuitProblem.Create(b.Definition with { Decks = [new DeckDefinition("ota5-dc.cir", deck)] });
        Assert.Equal(problem.Measure(x).Values.ToArray(), fromDeck.Measure(x).Values.ToArray());
        Spice.Circuits.Circuit c = Spice.Circuits.Circuit.Parse(deck);
        Assert.Equal(problem.Measure(x)["vout"], c.OperatingPoint().Get("v(out)"), 1e-9);
    }
}
