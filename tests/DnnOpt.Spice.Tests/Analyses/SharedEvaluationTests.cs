using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Devices;
using DnnOpt.Spice.Devices.Mosfets.Bsim3;
using DnnOpt.Spice.Netlists;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Tests.Analyses;

/// <summary>
/// BSIM3 instances of one size that see bit-identical voltages take the last such instance's channel evaluation
/// instead of repeating it. The evaluation is a pure function of the card, the size and the three voltages, so every
/// result must be the same bits as with each instance evaluating its own: every analysis, vector, device quantity,
/// Newton count and measure of every sizing deck (two random designs each, in place; one for the 10,000-device LDO decks) and of the BSIM3 scale decks,
/// compared with sharing on and off. The LDO's 10,000-unit pass array must actually share.
/// </summary>
public sealed class SharedEvaluationTests
{
    [Theory]
    [MemberData(nameof(InPlaceUpdateTests.SizingDecks), MemberType = typeof(InPlaceUpdateTests))]
    public void Sizing_deck_runs_the_same_bits_with_and_without_shared_evaluations(string file)
    {
        InPlaceUpdateTests.DeckCase deck = InPlaceUpdateTests.Case(file);
        Netlist netlist = NetlistParser.ParseFile(Path.Combine(InPlaceUpdateTests.DeckDirectory, file));
        var random = new Random(4321 + file.Length);
        Circuit shared = Circuit.Create(netlist);
        Circuit own = Circuit.Create(netlist);
        Bsim3.SharedEvaluations = 0;
        Compare(own, shared, file + " nominal");
        bool ldo = file.StartsWith("ldo", StringComparison.Ordinal);
        for (int d = 0; d < (ldo ? 1 : 2); d++)
        {
            Dictionary<string, double> design = InPlaceUpdateTests.RandomDesign(deck, random);
            shared.SetParameters(design);
            own.SetParameters(design);
            Compare(own, shared, $"{file} design {d}");
        }

        if (ldo)
        {
            // Two runs (nominal and one design; the 10,000-device decks are the slow ones here) of 10,000 identical
            // pass units: nearly all of their evaluations are shared.
            Assert.True(Bsim3.SharedEvaluations > 20_000, $"{Bsim3.SharedEvaluations} shared evaluations");
        }
    }

    [Theory]
    [InlineData("chain-bsim3", 200)]
    [InlineData("array-bsim3", 64)]
    public void Scale_deck_runs_the_same_bits_with_and_without_shared_evaluations(string kind, int mosfets)
    {
        string text = InPlaceUpdateTests.ScaleDeck(kind, mosfets).Replace("vin in 0 0\n", "vin in 0 dc 0 ac 1 pulse(0 0.2 0.1n 0.1n 0.1n 1n 4n)\n", StringComparison.Ordinal)
            + ".op\n.ac dec 4 1meg 1g\n.tran 0.1n 1n\n.end\n";
        Netlist netlist = NetlistParser.Parse(text);
        Compare(Circuit.Create(netlist), Circuit.Create(netlist), kind);
    }

    [Fact]
    public void A_shared_result_read_after_its_owner_moved_on_is_evaluated_again()
    {
        // Two identical instances in parallel: at the solution m2 takes m1's evaluation. Then m1 alone is loaded at
        // other voltages (its result is rewritten), and m2's capacitances (which need its full channel result) are
        // read: they must be the bits of m2's own evaluation, not of m1's new one.
        Netlist netlist = Generic180Deck("vdd d 0 1.2\nvg g 0 0.9\nm1 d g 0 0 nch w=2u l=0.5u\nm2 d g 0 0 nch w=2u l=0.5u");

        double Cgg(Circuit c, bool perturbOwner)
        {
            Engine engine = c.Engine;
            Assert.True(engine.SolveOperatingPoint().Converged);
            IDevice m1 = engine.Devices.Single(d => d.Name == "m1");
            IDevice m2 = engine.Devices.Single(d => d.Name == "m2");
            if (perturbOwner)
            {
                double[] moved = [.. engine.Solution];
                moved[c.UnknownNames.ToList().IndexOf("g")] += 0.2;
                engine.Context.Solution = moved;
                m1.Load(engine.Context);
                Assert.True(m1.TryGetQuantity("cgg", moved, out double owner));
                Assert.True(m2.TryGetQuantity("cgg", engine.Solution, out double afterMove));
                Assert.NotEqual(owner, afterMove);
                return afterMove;
            }

            Assert.True(m2.TryGetQuantity("cgg", engine.Solution, out double cgg));
            return cgg;
        }

        long sharedBefore = Bsim3.SharedEvaluations;
        double shared = Cgg(Circuit.Create(netlist), perturbOwner: true);
        Assert.True(Bsim3.SharedEvaluations > sharedBefore);
        Bsim3.DoNotShareEvaluations = true;
        try
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(Cgg(Circuit.Create(netlist), perturbOwner: false)), BitConverter.DoubleToInt64Bits(shared));
        }
        finally
        {
            Bsim3.DoNotShareEvaluations = false;
        }
    }

    [Fact]
    public void An_instance_whose_scratch_result_was_overwritten_evaluates_again()
    {
        // Loads evaluate into one scratch result per size. m1 and m2 have one size and different drain voltages, so in
        // each load m2's evaluation overwrites m1's. m1's capacitances after the op (they need its full
        // channel result) must be the bits of its own evaluation, not of m2's.
        Netlist netlist = Generic180Deck("vd1 d1 0 1.2\nvd2 d2 0 0.3\nvg g 0 0.9\nm1 d1 g 0 0 nch w=2u l=0.5u\nm2 d2 g 0 0 nch w=2u l=0.5u");

        static (double M1, double M2) Cgg(Circuit c)
        {
            Engine engine = c.Engine;
            Assert.True(engine.SolveOperatingPoint().Converged);
            Assert.True(engine.Devices.Single(d => d.Name == "m1").TryGetQuantity("cgg", engine.Solution, out double m1));
            Assert.True(engine.Devices.Single(d => d.Name == "m2").TryGetQuantity("cgg", engine.Solution, out double m2));
            return (m1, m2);
        }

        (double m1, double m2) = Cgg(Circuit.Create(netlist));
        Assert.NotEqual(m1, m2);
        Bsim3.DoNotShareEvaluations = true;
        try
        {
            (double ownM1, double ownM2) = Cgg(Circuit.Create(netlist));
            Assert.Equal(BitConverter.DoubleToInt64Bits(ownM1), BitConverter.DoubleToInt64Bits(m1));
            Assert.Equal(BitConverter.DoubleToInt64Bits(ownM2), BitConverter.DoubleToInt64Bits(m2));
        }
        finally
        {
            Bsim3.DoNotShareEvaluations = false;
        }
    }

    [Fact]
    public void Instances_asking_again_for_one_overwritten_result_evaluate_it_once()
    {
        // m1 and m1b are parallel (the same voltages, m1b shares m1's evaluation); m2, of the same size at another
        // drain voltage, overwrites the size's scratch last in every load. Asked after the op, m1b evaluates again;
        // m1, whose own result was overwritten too, then takes m1b's (same bits) instead of a third evaluation.
        Engine engine = Circuit.Create(Generic180Deck("vd1 d1 0 1.2\nvd2 d2 0 0.3\nvg g 0 0.9\nm1 d1 g 0 0 nch w=2u l=0.5u\nm1b d1 g 0 0 nch w=2u l=0.5u\nm2 d2 g 0 0 nch w=2u l=0.5u")).Engine;
        Assert.True(engine.SolveOperatingPoint().Converged);
        IDevice m1 = engine.Devices.Single(d => d.Name == "m1");
        IDevice m1b = engine.Devices.Single(d => d.Name == "m1b");
        Assert.True(m1b.TryGetQuantity("cgg", engine.Solution, out double cggB));
        long before = Bsim3.SharedEvaluations;
        Assert.True(m1.TryGetQuantity("cgg", engine.Solution, out double cgg));
        Assert.Equal(before + 1, Bsim3.SharedEvaluations);
        Assert.Equal(BitConverter.DoubleToInt64Bits(cggB), BitConverter.DoubleToInt64Bits(cgg));
    }

    /// <summary>A deck on the shipped generic 0.18 um library with the given element lines.</summary>
    private static Netlist Generic180Deck(string elements) =>
        NetlistParser.Parse("t\n.lib '" + Path.Combine(InPlaceUpdateTests.DeckDirectory, "generic180.lib") + "' tt\n" + elements + "\n.end\n");

    private static void Compare(Circuit own, Circuit shared, string what)
    {
        InPlaceUpdateTests.RunResult expected;
        Bsim3.DoNotShareEvaluations = true;
        try
        {
            expected = InPlaceUpdateTests.Run(own);
        }
        finally
        {
            Bsim3.DoNotShareEvaluations = false;
        }

        InPlaceUpdateTests.AssertSameRun(expected, InPlaceUpdateTests.Run(shared), what);
    }
}
