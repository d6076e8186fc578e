using DnnOpt.Spice.Circuits;
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
