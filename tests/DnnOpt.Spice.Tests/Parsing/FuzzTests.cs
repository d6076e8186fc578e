using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Tests.Parsing;

/// <summary>
/// Mutated and truncated corpus decks must never crash, hang or throw anything but <see cref="SpiceParseException"/>:
/// every deck is parsed, built and simulated; non-convergence is a result, not an exception.
/// </summary>
public sealed class FuzzTests
{
    private const string Alphabet = "{}()='\",.+-*/^?: \n\t;$xXmMvViIrRdD0123456789emkunpfgt";

    public static TheoryData<string> Decks() => Tests.ReferenceTests.Decks();

    [Theory]
    [MemberData(nameof(Decks))]
    public void Mutated_decks_fail_only_with_parse_errors(string deck)
    {
        string original = File.ReadAllText(ReferenceData.DeckPath(deck));
        var rng = new Random(StableSeed(deck));
        int parseErrors = 0;
        // Large decks (the 200-stage chain) take gmin stepping per run: fewer trials keep the suite fast.
        int trials = original.Length > 5000 ? 25 : 120;
        for (int trial = 0; trial < trials; trial++)
        {
            string text = Mutate(original, rng);
            try
            {
                Circuit c = Circuit.Create(NetlistParser.Parse(text, deck + ".cir", _ => throw new FileNotFoundException("no includes in fuzzing")));
                c.Options = c.Options with { Itl1 = Math.Min(c.Options.Itl1, 200) };
                _ = c.RunAnalyses();
            }
            catch (SpiceParseException)
            {
                parseErrors++;
            }
        }

        // The mutations must actually exercise the error paths.
        Assert.True(parseErrors > 0);
    }

    private static int StableSeed(string s)
    {
        int h = 17;
        foreach (char c in s)
        {
            h = unchecked((h * 31) + c);
        }

        return h & 0x7fffffff;
    }

    private static string Mutate(string text, Random rng)
    {
        var chars = new List<char>(text);
        int edits = 1 + rng.Next(4);
        for (int e = 0; e < edits && chars.Count > 0; e++)
        {
            int pos = rng.Next(chars.Count);
            switch (rng.Next(5))
            {
                case 0:
                    chars.RemoveAt(pos);
                    break;
                case 1:
                    chars.Insert(pos, Alphabet[rng.Next(Alphabet.Length)]);
                    break;
                case 2:
                    chars[pos] = Alphabet[rng.Next(Alphabet.Length)];
                    break;
                case 3:
                    chars.RemoveRange(pos, chars.Count - pos);
                    break;
                default:
                    {
                        // Duplicate a line: duplicate names, repeated analyses, nested definitions.
                        string s = new([.. chars]);
                        string[] lines = s.Split('\n');
                        int l = rng.Next(lines.Length);
                        var list = lines.ToList();
                        list.Insert(rng.Next(list.Count), lines[l]);
                        chars = [.. string.Join('\n', list)];
                        break;
                    }
            }
        }

        return new string([.. chars]);
    }
}
