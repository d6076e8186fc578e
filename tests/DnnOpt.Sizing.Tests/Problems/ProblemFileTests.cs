using DnnOpt.Optimization;
using DnnOpt.Sizing.Problems;

namespace DnnOpt.Sizing.Tests.Problems;

public sealed class ProblemFileTests
{
    private const string Deck = """
        common-source stage
        .param w=10u rd=10k l=1u
        vdd vdd 0 1.8
        vg g 0 0.8
        rd vdd d {rd}
        m1 d g 0 0 nch w={w} l={l}
        m2 d2 g 0 0 nch w=2u l=1u
        rd2 vdd d2 10k
        .model nch nmos level=1 vto=0.45 kp=200u lambda=0.05
        .op
        .end
        """;

    private const string Bias = """
        bias check at a lower gate voltage
        .param w=10u
        vdd vdd 0 1.8
        vg g 0 0.7
        rd vdd d 10k
        m1 d g 0 0 nch w={w} l=1u
        .model nch nmos level=1 vto=0.45 kp=200u lambda=0.05
        .op
        .end
        """;

    private const string Problem = """
        name: cs-stage
        description: a common-source stage
        decks: [cs.cir, bias.cir]
        variables:
          - { name: w, lower: 1u, upper: 50u, unit: m }
          - name: rd
            lower: 1k
            upper: 100k
            scale: log
            unit: Ohm
        metrics:
          vd: { vector: "v(d)", unit: V }
          id: { vector: "@m1[id]", unit: A }
          gm: { vector: "@m1[gm]", unit: S }
          id_low: { vector: "@m1[id]", deck: bias.cir, unit: A }
          gain: gm*rd
          power: { expression: 1.8*id, unit: W }
          area: { area: [m1, m2] }
        objective: { minimize: power }
        specs:
          - gain > 5
          - vd > 0.5
          - { spec: "id_low > 10u", scale: 1u }
        saturation: { devices: [m1], margin: 50m }
        """;

    private static SizingProblemDefinition Load(string problem, string deck = Deck) =>
        ProblemFile.Parse(problem, "cs.yaml", f => f switch
        {
            "cs.cir" => deck,
            "bias.cir" => Bias,
            _ => throw new FileNotFoundException($"no file '{f}'"),
        });

    [Fact]
    public void A_two_deck_problem_reads_and_evaluates_against_hand_analysis()
    {
        SizingProblemDefinition d = Load(Problem);
        Assert.Equal(["cs.cir", "bias.cir"], d.Decks.Select(x => x.FileName));
        Assert.Equal(VariableScale.Log, d.Variables[1].Scale);
        Assert.Null(d.ObjectiveScale);
        using CircuitProblem p = CircuitProblem.Create(d);
        Assert.Equal(["gain_min", "vd_min", "id_low_min", "sat_m1"], p.Constraints.Select(c => c.Name));
        Assert.Equal(1e-6, p.Constraints[2].Scale);

        Measurement m = p.Measure([5e-6, 20e3]);
        Assert.True(m.Evaluation.Succeeded, m.Evaluation.FailureReason);

        // Saturation (vds = 0.58 V > vov = 0.35 V). Square law with lambda: id = kp/2 (W/L) vov^2 (1 + lambda vds); vds = 1.8 - rd id, solved by fixed point.
        double Id(double vgs, double rd, double w)
        {
            double id = 0;
            for (int i = 0; i < 200; i++)
            {
                id = 100e-6 * (w / 1e-6) * (vgs - 0.45) * (vgs - 0.45) * (1 + (0.05 * (1.8 - (rd * id))));
            }

            return id;
        }

        // 1e-6: the simulator stops Newton at SPICE's reltol=1e-3 update test, so its answer carries the last
        // (quadratically small, ~1e-8 relative) residual of the iteration, plus gmin across the junctions.
        double id = Id(0.8, 20e3, 5e-6);
        Tolerance.Close(id, m["id"], 1e-6);
        Tolerance.Close(1.8 - (20e3 * id), m["vd"], 1e-6);
        Tolerance.Close(Id(0.7, 10e3, 5e-6), m["id_low"], 1e-6);
        Tolerance.Close(1.8 * id, m["power"], 1e-6);
        Tolerance.Close(m["gm"] * 20e3, m["gain"], 1e-12);
        Tolerance.Close((5e-6 * 1e-6) + (2e-6 * 1e-6), m["area"], 1e-12);

        // Default objective scale: |power| at the decks' own .param values (w=10u, rd=10k).
        Tolerance.Close(1.8 * Id(0.8, 10e3, 10e-6), p.Objective.Scale, 1e-6);
    }

    [Fact]
    public void Variables_know_the_device_they_size_from_their_name_or_a_device_field()
    {
        // w_m1 and l_m1 size m1 (top level); m3_w sizes m3 inside a subcircuit definition; rd sizes no single device by
        // its name; gain_x is not a device; w_m9 names no element; ib is told its device explicitly.
        const string deck = """
            devices
            .param w_m1=10u l_m1=1u m3_w=2u rd=10k gain_x=1 w_m9=1u ib=10u
            vdd vdd 0 1.8
            vg g 0 0.8
            rd vdd d {rd}
            m1 d g 0 0 nch w={w_m1} l={l_m1}
            ibias vdd b {ib}
            x1 d b cell
            .subckt cell a b
            m3 a b 0 0 nch w={m3_w} l=1u
            .ends
            .model nch nmos level=1 vto=0.45 kp=200u
            .op
            .end
            """;
        const string problem = """
            name: devices
            decks: [cs.cir]
            variables:
              - { name: w_m1, lower: 1u, upper: 50u }
              - { name: l_m1, lower: 0.2u, upper: 5u }
              - { name: m3_w, lower: 1u, upper: 5u }
              - { name: rd, lower: 1k, upper: 100k }
              - { name: gain_x, lower: 0.5, upper: 2 }
              - { name: w_m9, lower: 0.5u, upper: 2u }
              - { name: ib, lower: 1u, upper: 20u, device: IBIAS }
            metrics:
              vd: { vector: v(d) }
            objective: { minimize: vd }
            """;
        SizingProblemDefinition d = Load(problem, deck);
        Assert.Equal(["m1", "m1", "m3", null, null, null, "ibias"], d.Variables.Select(v => v.Device));
    }

    [Fact]
    public void Load_reads_the_decks_beside_the_file_and_the_best_values_go_into_every_deck()
    {
        string dir = Path.Combine(Path.GetTempPath(), "dnnopt-problemfile-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            // The first deck takes its model from a file it includes, resolved beside the problem file.
            File.WriteAllText(Path.Combine(dir, "cs.cir"), Deck.Replace(".model nch nmos level=1 vto=0.45 kp=200u lambda=0.05", ".include models.inc", StringComparison.Ordinal));
            File.WriteAllText(Path.Combine(dir, "models.inc"), ".model nch nmos level=1 vto=0.45 kp=200u lambda=0.05\n");
            File.WriteAllText(Path.Combine(dir, "bias.cir"), Bias);
            File.WriteAllText(Path.Combine(dir, "cs.yaml"), Problem);
            SizingProblemDefinition d = ProblemFile.Load(Path.Combine(dir, "cs.yaml"));
            using CircuitProblem fromFiles = CircuitProblem.Create(d);
            using CircuitProblem inMemory = CircuitProblem.Create(Load(Problem));
            Assert.Equal(inMemory.Measure([5e-6, 20e3]).Values.ToArray(), fromFiles.Measure([5e-6, 20e3]).Values.ToArray());
            Assert.Equal(Bias.Replace("\r\n", "\n", StringComparison.Ordinal), d.Decks[1].Text);
            IReadOnlyList<DeckDefinition> best = d.DecksWithValues([12e-6, 33e3]);
            Assert.Contains(".param w=1.2E-05 rd=33000 l=1u", best[0].Text, StringComparison.Ordinal);
            Assert.Contains(".param w=1.2E-05", best[1].Text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    public static TheoryData<string, string, int, string> BadProblems() => new()
    {
        { "name: x\ndecks: [cs.cir]\nvariables:\n  - { name: wx, lower: 1u, upper: 2u }\nobjective: { minimize: vd }\n", "", 4, "unknown variable 'wx'" },
        { "name: x\ndecks: [cs.cir]\nvariables:\n  - { name: w, lower: 5u, upper: 2u }\nobjective: { minimize: vd }\n", "", 4, "bounds reversed" },
        { "name: x\ndecks: [cs.cir]\nvariables:\n  - { name: w, lower: 1u, upper: 2u }\nmetrics:\n  vd: { vector: v(d) }\nobjective: { minimize: vd }\nspecs:\n  - vd > 1\n  - gain > 3\n", "", 10, "'gain', which is not a metric" },
        { "name: x\ndecks: [cs.cir]\nvariables:\n  - { name: w, lower: 1u, upper: 2u }\nobjective: { minimize: power }\n", "", 5, "'power' is not a metric" },
        { "name: x\ndecks: [nosuch.cir]\nvariables:\n  - { name: w, lower: 1u, upper: 2u }\n", "", 2, "cannot read 'nosuch.cir'" },
        { "name: x\ndecks: [cs.cir]\nvariables:\n  - { name: w, lower: 1u, upper: 2u }\n", "t\nr1 1 0 1k\n.frobnicate\n.end\n", 2, "'cs.cir' does not parse: cs.cir:3" },
        { "name: x\ndecks: [cs.cir]\nvariabels: []\n", "", 3, "unknown field 'variabels'" },
        { "name: x\ndecks: [cs.cir]\nvariables:\n  - { name: w, lower: 1u, upper: 2u, scale: cubic }\n", "", 4, "expected lin or log" },
        { "name: x\ndecks: [cs.cir]\nvariables:\n  - { name: w, lower: abc, upper: 2u }\n", "", 4, "'abc' is not a number" },
        { "name: x\ndecks: [cs.cir]\nvariables:\n  - { name: w, lower: 1u, upper: 2u }\nmetrics:\n  a: { area: [r1] }\n", "", 6, "'r1' is not a MOSFET" },
        { "name: x\ndecks: [cs.cir]\nvariables:\n  - { name: w, lower: 1u, upper: 2u }\nmetrics:\n  a: { vector: v(d), expression: 1 }\n", "", 6, "give one of" },
        { "name: x\ndecks: [cs.cir]\nvariables:\n  - { name: w, lower: 1u, upper: 2u }\nmetrics:\n  vd: { vector: v(d) }\nobjective: { minimize: vd }\nspecs:\n  - vd >> 1\n", "", 9, "not of the form" },
        { "name: x y\ndecks: [cs.cir]\n", "", 1, "must be letters" },
    };

    [Theory]
    [MemberData(nameof(BadProblems))]
    public void Errors_name_file_line_and_field(string problem, string deck, int line, string message)
    {
        var e = Assert.Throws<SizingProblemException>(() => Load(problem, deck.Length > 0 ? deck : Deck));
        Assert.StartsWith($"cs.yaml:{line}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
