using System.Reflection;
using DnnOpt.Optimization;
using DnnOpt.Sizing.Problems;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Expressions;
using DnnOpt.Spice.Netlists;
using DnnOpt.Spice.Technology;

namespace DnnOpt.Sizing.Benchmarks;

/// <summary>A benchmark circuit shipped inside the assembly: its problem, deck, description and reference design.</summary>
/// <param name="Name">Name used on the command line (<c>dnnopt size ota5-dc</c>).</param>
/// <param name="Summary">One line for <c>dnnopt benchmarks list</c>.</param>
/// <param name="Definition">The sizing problem (deck text included).</param>
/// <param name="Description">Markdown description (circuit, variables, metrics and formulas, specs, difficulty).</param>
/// <param name="ReferenceDesign">
/// The decks' own design, in the order of the variables: proven feasible by the tests for the building blocks; for an
/// industrial benchmark (<see cref="ImprovedDesign"/> set) it is the nominal design that fails a few documented specs.
/// </param>
public sealed record BuiltinBenchmark(string Name, string Summary, SizingProblemDefinition Definition, string Description, IReadOnlyList<double> ReferenceDesign)
{
    /// <summary>
    /// For an industrial benchmark (issue 9): a committed design that meets every spec, found from the failing nominal
    /// (<c>NAME.improved.json</c>, an object of variable: value like <c>best.json</c>'s <c>variables</c>); null otherwise.
    /// </summary>
    public IReadOnlyList<double>? ImprovedDesign { get; init; }

    /// <summary>The text of <c>NAME.improved.json</c> when there is one (exported beside the problem file).</summary>
    public string? ImprovedDesignText { get; init; }

    /// <summary>The problem file text for benchmarks defined by one (null for those defined in code).</summary>
    public string? ProblemFileText { get; init; }

    /// <summary>Files the decks include (the technology library), by the name the decks use.</summary>
    public IReadOnlyDictionary<string, string> IncludedFiles { get; init; } = new Dictionary<string, string>();

    /// <summary>Builds the problem (parses the deck once).</summary>
    /// <returns>A ready problem.</returns>
    public CircuitProblem CreateProblem() => CircuitProblem.Create(Definition);
}

/// <summary>
/// The built-in benchmark circuits (issue 7). Decks and descriptions are embedded resources of this assembly so the
/// tool needs no files; <c>dnnopt benchmarks export</c> writes them out.
/// </summary>
public static class BuiltinBenchmarks
{
    private static readonly Lazy<IReadOnlyList<BuiltinBenchmark>> Registry = new(Build);

    /// <summary>Every built-in benchmark, in listing order.</summary>
    public static IReadOnlyList<BuiltinBenchmark> All => Registry.Value;

    /// <summary>Finds a benchmark by name (case-insensitive).</summary>
    /// <param name="name">The name.</param>
    /// <param name="benchmark">The benchmark when found.</param>
    /// <returns>Whether it exists.</returns>
    public static bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out BuiltinBenchmark? benchmark)
    {
        ArgumentNullException.ThrowIfNull(name);
        benchmark = All.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase));
        return benchmark is not null;
    }

    /// <summary>Reads an embedded resource of the benchmarks folder as text.</summary>
    /// <param name="fileName">File name, e.g. <c>ota5-dc.cir</c>.</param>
    /// <returns>The text.</returns>
    internal static string Resource(string fileName)
    {
        string name = "DnnOpt.Sizing.Benchmarks." + fileName;
        using Stream s = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource '{name}' is missing from the assembly");
        using var r = new StreamReader(s);
        return r.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    // The building blocks first in the paper's order; any other embedded problem file follows by name, so adding a
    // benchmark is adding its files.
    private static readonly string[] ListingOrder = ["miller-ota", "fc-ota", "sa-latch", "inverter-chain"];

    private static List<BuiltinBenchmark> Build()
    {
        const string prefix = "DnnOpt.Sizing.Benchmarks.";
        IEnumerable<string> others = Assembly.GetExecutingAssembly().GetManifestResourceNames()
            .Where(r => r.StartsWith(prefix, StringComparison.Ordinal) && r.EndsWith(".yaml", StringComparison.Ordinal))
            .Select(r => r[prefix.Length..^".yaml".Length])
            .Where(n => !ListingOrder.Contains(n))
            .Order(StringComparer.Ordinal);
        return [Ota5Dc(), .. ListingOrder.Concat(others).Select(FromProblemFile)];
    }

    /// <summary>Whether the assembly embeds <paramref name="fileName"/> in the benchmarks folder.</summary>
    private static bool HasResource(string fileName) =>
        Assembly.GetExecutingAssembly().GetManifestResourceInfo("DnnOpt.Sizing.Benchmarks." + fileName) is not null;

    /// <summary>
    /// A benchmark defined by an embedded problem file (<c>NAME.yaml</c>) and its decks, which include the shipped
    /// 180 nm technology (<see cref="Technologies.Generic180"/>). The decks' <c>.param</c> defaults are the reference
    /// design; the description is <c>NAME.md</c>.
    /// </summary>
    private static BuiltinBenchmark FromProblemFile(string name)
    {
        var includes = new Dictionary<string, string>(StringComparer.Ordinal) { [Technologies.Generic180FileName] = Technologies.Generic180 };
        string ReadFile(string file) => includes.TryGetValue(file, out string? text) ? text : Resource(file);
        string yaml = Resource(name + ".yaml");
        SizingProblemDefinition definition = ProblemFile.Parse(yaml, name + ".yaml", ReadFile);
        double[] reference = [.. definition.Variables.Select(v => DefaultValue(definition, v.Name))];
        string? improvedText = HasResource(name + ".improved.json") ? Resource(name + ".improved.json") : null;
        return new BuiltinBenchmark(name, definition.Description, definition, Resource(name + ".md"), reference)
        {
            ProblemFileText = yaml,
            IncludedFiles = includes,
            ImprovedDesignText = improvedText,
            ImprovedDesign = improvedText is null ? null : DesignFile.Parse(improvedText, name + ".improved.json", [.. definition.Variables.Select(v => v.Name)], reference),
        };
    }

    /// <summary>The value a variable's <c>.param</c> line gives it in the first deck that defines it.</summary>
    /// <remarks>
    /// The top-level <c>.param</c> lines are evaluated in order without building the circuit: elaborating a deck costs
    /// seconds for the 10,000-device ldo benchmark, and this runs once per variable whenever the benchmarks are listed.
    /// A deck whose parameters need more than that (a forward reference) is elaborated as before.
    /// </remarks>
    private static double DefaultValue(SizingProblemDefinition definition, string variable)
    {
        foreach (DeckDefinition deck in definition.Decks)
        {
            Netlist netlist = deck.Parse();
            if (netlist.Top.Parameters.Any(p => p.Name == variable))
            {
                var scope = new TopLevelScope();
                try
                {
                    foreach (ParameterAssignment p in netlist.Top.Parameters)
                    {
                        scope.Values[p.Name] = p.Value.Evaluate(scope);
                    }

                    return scope.Values[variable];
                }
                catch (ExpressionException)
                {
                    return Circuit.Create(netlist).GetParameter(variable);
                }
            }
        }

        throw new InvalidOperationException($"variable '{variable}' has no .param default");
    }

    private sealed class TopLevelScope : IParameterScope
    {
        public Dictionary<string, double> Values { get; } = new(StringComparer.Ordinal);

        public bool TryGetValue(string name, out double value) => Values.TryGetValue(name, out value);
    }

    /// <summary>
    /// ota5-dc: the five-transistor OTA at its DC operating point, level-1 models. Minimise power subject to the
    /// hand-analysis small-signal gain gm1/(gds2+gds4), GBW and slew estimates for a 1 pF load, an output bias window,
    /// a gate-area budget and 50 mV saturation margins on all six devices.
    /// </summary>
    private static BuiltinBenchmark Ota5Dc()
    {
        const string deck = "ota5-dc.cir";
        var definition = new SizingProblemDefinition
        {
            Name = "ota5-dc",
            Description = "Five-transistor OTA (NMOS input pair, PMOS mirror load, NMOS tail mirror), level-1 models, DC operating point only; minimise power.",
            Decks = [new DeckDefinition(deck, Resource(deck))],
            Variables =
            [
                new SizingVariable("w1", 1e-6, 100e-6, "m", Scale: VariableScale.Log),
                new SizingVariable("l1", 0.35e-6, 4e-6, "m"),
                new SizingVariable("w3", 1e-6, 100e-6, "m", Scale: VariableScale.Log),
                new SizingVariable("l3", 0.35e-6, 4e-6, "m"),
                new SizingVariable("w5", 1e-6, 50e-6, "m", Scale: VariableScale.Log),
                new SizingVariable("l5", 0.35e-6, 4e-6, "m"),
                new SizingVariable("n5", 1, 8, "", VariableKind.Integer),
                new SizingVariable("ibias", 1e-6, 50e-6, "A", Scale: VariableScale.Log),
            ],
            Metrics =
            [
                MetricDefinition.Vector("vout", "v(out)", "V"),
                MetricDefinition.Vector("vtail", "v(tail)", "V"),
                MetricDefinition.Vector("ivdd", "i(vdd)", "A"),
                MetricDefinition.Vector("gm1", "@m1[gm]", "S"),
                MetricDefinition.Vector("gds2", "@m2[gds]", "S"),
                MetricDefinition.Vector("gds4", "@m4[gds]", "S"),
                MetricDefinition.Vector("id5", "@m5[id]", "A"),
                MetricDefinition.Expression("power", "-vdd*ivdd", "W"),
                MetricDefinition.Expression("gain", "gm1/(gds2+gds4)", "V/V"),
                MetricDefinition.Expression("gain_db", "20*log10(gain)", "dB"),
                MetricDefinition.Expression("gbw", "gm1/(2*3.141592653589793*cl)", "Hz"),
                MetricDefinition.Expression("slew", "id5/cl", "V/s"),
                MetricDefinition.Expression("area", "(2*w1*l1 + 2*w3*l3 + (n5+1)*w5*l5)*1e12", "um^2"),
            ],
            Objective = "power",
            ObjectiveScale = 1e-4,
            Specs =
            [
                Spec.Parse("gain_db > 40"),
                Spec.Parse("gbw > 30meg"),
                Spec.Parse("slew > 10meg"),
                Spec.Parse("vout > 0.7"),
                Spec.Parse("vout < 1.25"),
                Spec.Parse("area < 150"),
            ],
            Saturation = new SaturationRequirement(["m1", "m2", "m3", "m4", "m5", "m6"], 0.05),
        };
        return new BuiltinBenchmark(
            "ota5-dc",
            "5-transistor OTA, DC operating point (level 1): min power s.t. gm/gds gain, GBW, slew, output window, area, saturation; 8 variables, 12 constraints",
            definition,
            Resource("ota5-dc.md"),
            [20e-6, 1e-6, 10e-6, 1e-6, 10e-6, 1e-6, 2, 10e-6]);
    }
}
