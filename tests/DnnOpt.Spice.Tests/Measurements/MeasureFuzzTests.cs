using DnnOpt.Spice.Measurements;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Tests.Measurements;

/// <summary>
/// Seeded random statements from the measure vocabulary: parsing either succeeds or throws a
/// <see cref="SpiceParseException"/> with the location, and evaluating a parsed measure never throws, on real and
/// complex data, for every analysis kind.
/// </summary>
public sealed class MeasureFuzzTests
{
    private static readonly string[] Words =
    [
        "find", "when", "trig", "targ", "min", "max", "avg", "rms", "pp", "integ", "deriv", "min_at", "max_at", "param='x*2'",
        "v(a)", "v(b)", "v(a,b)", "vdb(a)", "vp(b)", "i(v1)", "db(v(a))", "v(nope)", "at=0.5", "at=2", "at=-1", "val=0.3",
        "val=x", "rise=1", "fall=2", "cross=last", "last", "td=0.2", "from=0.1", "to=0.9", "from=0.9", "to=0.1",
        "v(a)=0.5", "v(a)=v(b)", "v(b)=x", "v(a)='x/2'", "=", "(", ")", "'", "at", "rise=0", "foo=1", "x",
    ];

    [Fact]
    public void Random_statements_parse_or_fail_cleanly_and_never_throw_when_evaluated()
    {
        var random = new Random(20261125);
        var scope = new MeasureAnalyticTests.Scope(("x", 0.4));
        SyntheticVectors[] sets =
        [
            Build("tran", "time", SyntheticVectors.Linear(0, 1, 50)),
            Build("dc", "v-sweep", SyntheticVectors.Linear(1, 0, 37)),
            Build("ac", "frequency", SyntheticVectors.Decades(1, 1e4, 7)),
            Build("noise", "frequency", [5]),
            Build("tran", "time", []),
        ];
        int parsed = 0;
        for (int n = 0; n < 4000; n++)
        {
            string text = n % 2 == 0 ? Structured(random) : string.Join(' ', Enumerable.Range(0, random.Next(0, 8)).Select(_ => Words[random.Next(Words.Length)]));
            MeasureDefinition d;
            try
            {
                d = MeasureDefinition.Parse("tran", "m", text, new SourceLocation("fuzz.cir", n + 1));
            }
            catch (SpiceParseException e)
            {
                Assert.StartsWith($"fuzz.cir:{n + 1}: ", e.Message, StringComparison.Ordinal);
                continue;
            }

            parsed++;
            foreach (SyntheticVectors set in sets)
            {
                MeasureResult r = d.Evaluate(set, scope);
                Assert.True(r.Succeeded ? double.IsFinite(r.Value) : r.Reason is not null && double.IsNaN(r.Value), $"'{text}' on {set.AnalysisKind}");
            }
        }

        Assert.True(parsed > 200, $"only {parsed} statements parsed: the vocabulary no longer exercises evaluation");
    }

    private static readonly string[] Vectors = ["v(a)", "v(b)", "v(a,b)", "vdb(a)", "vp(a)", "vm(a,b)", "i(v1)", "db(v(a))", "ph(i(v1))", "v(nope)", "time"];

    private static readonly string[] Options = ["rise=1", "rise=2", "fall=1", "fall=3", "cross=1", "cross=4", "cross=last", "rise=last", "last", "td=0.2", "td=x", "from=0.1", "to=0.9", "from=0.9", "to=0.1", "from=5"];

    private static readonly string[] Statistics = ["min", "max", "avg", "rms", "pp", "integ", "min_at", "max_at"];

    private static readonly string[] Levels = ["0.5", "0", "x", "'x/2'", "{x*2}", "v(b)", "-0.7", "1meg", "onoise"];

    /// <summary>A statement shaped like a real one, with random vectors, levels and options (valid or not).</summary>
    private static string Structured(Random random)
    {
        string V() => Vectors[random.Next(Vectors.Length)];
        string O() => string.Join(' ', Enumerable.Range(0, random.Next(0, 3)).Select(_ => Options[random.Next(Options.Length)]));
        string C() => $"{V()}={Levels[random.Next(Levels.Length)]} {O()}";
        string at = "at=" + (random.NextDouble() * 1.4).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        return random.Next(9) switch
        {
            0 => $"find {V()} {at}",
            1 => $"find {V()} when {C()}",
            2 => $"when {C()}",
            3 => $"trig {V()} val={Levels[random.Next(3)]} {O()} rise=1 targ {V()} val={Levels[random.Next(3)]} fall=1 {O()}",
            4 => $"trig {at} targ {V()} val=0.2 cross={random.Next(1, 4)}",
            5 => $"{Statistics[random.Next(Statistics.Length)]} {V()} {O()}",
            6 => $"deriv {V()} {at}",
            7 => $"deriv {V()} when {C()}",
            _ => $"param='x*{random.Next(5)}+1'",
        };
    }

    private static SyntheticVectors Build(string kind, string scale, double[] points) =>
        new SyntheticVectors(kind, scale, points)
            .Add("v(a)", s => new System.Numerics.Complex(Math.Sin(7 * s), kind == "ac" ? Math.Cos(s) : 0))
            .Add("v(b)", s => s * s)
            .Add("i(v1)", s => -s);
}
