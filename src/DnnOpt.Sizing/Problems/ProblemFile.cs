using System.Globalization;
using DnnOpt.Optimization;
using DnnOpt.Spice.Netlists;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Sizing.Problems;

/// <summary>
/// Reads a sizing problem file (DESIGN.md, "Problem files"): a YAML file beside its decks naming the decks, the
/// variables, the metrics, the objective, the specs and saturation margins. Every error names the file, the line and
/// the field: an unknown field, a variable that no deck defines as a top-level <c>.param</c>, bounds reversed, a spec
/// on a metric no deck measures and no metric defines, a deck that does not parse.
/// </summary>
/// <remarks>
/// <code>
/// name: two-stage-ota
/// decks: [ota_ac.cir, ota_tran.cir]          # paths relative to this file; every .measure is a metric
/// variables:
///   - { name: w1, lower: 0.24u, upper: 150u, unit: m }
///   - { name: n1, lower: 1, upper: 20, integer: true }
///   - { name: cc, lower: 100f, upper: 10p, scale: log, unit: F }
///   - { name: wpass, lower: 1u, upper: 20u, device: mpass }   # the device it sizes (default: from the name, below)
/// metrics:                                    # optional, evaluated in this order after the deck measures
///   cmrr: dc_gain - cm_gain                   # expression over metrics, variables and deck parameters
///   gm1: { vector: "@m1[gm]", deck: ota_ac.cir, unit: S }
///   area: { area: [m1, m2, m3] }              # sum of W*L*m in m^2
///   ugf: { unit: Hz }                         # gives a deck measure its unit
/// objective: { minimize: power, scale: 1m }   # scale optional (default: |objective| at the deck defaults)
/// specs:
///   - dc_gain > 60
///   - ugf > 30meg
/// saturation: { devices: [m1, m2, m3], margin: 50m }
/// </code>
/// </remarks>
public static class ProblemFile
{
    private static readonly string[] MetricSources = ["expression", "vector", "area"];
    private static readonly string[] TopFields = ["name", "description", "decks", "evaluator", "variables", "metrics", "objective", "specs", "saturation"];

    /// <summary>Reads and checks a problem file and its decks.</summary>
    /// <param name="path">The YAML file.</param>
    /// <returns>The problem definition (decks read into memory).</returns>
    /// <exception cref="SizingProblemException">Invalid file or deck; the message starts with <c>file:line:</c>.</exception>
    public static SizingProblemDefinition Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SizingProblemException($"{path}: cannot read problem file: {e.Message}", e);
        }

        string directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        return Parse(text, path, f => File.ReadAllText(Path.Combine(directory, f)), directory);
    }

    /// <summary>Reads and checks a problem from text.</summary>
    /// <param name="text">The YAML text.</param>
    /// <param name="fileName">Name used in messages.</param>
    /// <param name="readDeck">Reads a deck by the file name written in the problem (relative to the problem file).</param>
    /// <param name="directory">Working directory of an external evaluator (default: the current directory).</param>
    /// <returns>The problem definition.</returns>
    /// <exception cref="SizingProblemException">Invalid problem or deck; the message starts with <c>file:line:</c>.</exception>
    public static SizingProblemDefinition Parse(string text, string fileName, Func<string, string> readDeck, string? directory = null)
    {
        ArgumentNullException.ThrowIfNull(readDeck);
        var reader = new Reader(fileName, directory ?? Directory.GetCurrentDirectory());
        if (YamlReader.Parse(text, fileName) is not YamlMapping root)
        {
            throw reader.Error(1, "a problem file is a mapping of fields (name:, decks:, variables:, ...)");
        }

        return reader.Read(root, readDeck);
    }

    private sealed class Reader(string file, string directory)
    {
        public SizingProblemException Error(int line, string message) => YamlReader.Error(file, line, message);

        public SizingProblemDefinition Read(YamlMapping root, Func<string, string> readDeck)
        {
            CheckFields(root, TopFields, "problem");
            string name = RequiredScalar(root, "name", "problem").Value;
            if (!Identifiers.IsProblemName(name))
            {
                throw Error(Field(root, "name").Line, $"name: '{name}' must be letters, digits, '-' or '_'");
            }

            string description = root.TryGet("description", out YamlNode? d) ? Scalar(d, "description").Value : string.Empty;
            bool external = root.TryGet("evaluator", out YamlNode? evaluatorNode);
            if (external && root.TryGet("decks", out YamlNode? both))
            {
                throw Error(both.Line, "decks: a problem has decks or an external evaluator, not both");
            }

            (List<DeckDefinition> decks, List<Netlist> netlists) = external ? ([], []) : ReadDecks(Field(root, "decks"), readDeck);
            var known = new Dictionary<string, int>(StringComparer.Ordinal);
            var measureDecks = new Dictionary<string, string>(StringComparer.Ordinal);
            (EvaluatorDefinition? evaluator, List<string> externalMetrics) = external ? ReadEvaluator(evaluatorNode!, known) : (null, []);
            List<SizingVariable> variables = ReadVariables(Field(root, "variables"), decks, netlists);
            for (int k = 0; k < netlists.Count; k++)
            {
                foreach (MeasureStatement m in netlists[k].Measures)
                {
                    if (measureDecks.TryGetValue(m.Name, out string? other) && other != decks[k].FileName)
                    {
                        throw Error(Field(root, "decks").Line, $"decks: measure '{m.Name}' is defined in both {other} and {decks[k].FileName} (names must be unique across decks)");
                    }

                    measureDecks[m.Name] = decks[k].FileName;
                    known[m.Name] = Field(root, "decks").Line;
                }
            }

            List<MetricDefinition> metrics = root.TryGet("metrics", out YamlNode? mnode)
                ? ReadMetrics(mnode, decks, netlists, variables, measureDecks, externalMetrics, known)
                : [];
            SaturationRequirement? saturation = null;
            if (root.TryGet("saturation", out YamlNode? snode))
            {
                saturation = external
                    ? throw Error(snode.Line, "saturation: needs decks (an external evaluator reports its own margins as metrics)")
                    : ReadSaturation(snode, netlists[0], known);
            }

            (string objective, double? scale) = ReadObjective(Field(root, "objective"), known);
            List<Spec> specs = root.TryGet("specs", out YamlNode? specNode) ? ReadSpecs(specNode, known) : [];

            // Deck measures not mentioned under metrics: become metrics in deck order, before the listed ones, so
            // expressions can use them.
            var listed = new HashSet<string>(metrics.Select(m => m.Name), StringComparer.Ordinal);
            var implicitMeasures = externalMetrics.Where(n => !listed.Contains(n)).Select(n => MetricDefinition.ExternalMetric(n)).ToList();
            for (int k = 0; k < netlists.Count; k++)
            {
                foreach (MeasureStatement m in netlists[k].Measures)
                {
                    if (!listed.Contains(m.Name) && implicitMeasures.All(x => x.Name != m.Name))
                    {
                        implicitMeasures.Add(MetricDefinition.Measure(m.Name, m.Name) with { Deck = decks[k].FileName });
                    }
                }
            }

            return new SizingProblemDefinition
            {
                Name = name,
                Description = description,
                Decks = decks,
                Evaluator = evaluator,
                Variables = variables,
                Metrics = [.. implicitMeasures, .. metrics],
                Objective = objective,
                ObjectiveScale = scale,
                Specs = specs,
                Saturation = saturation,
            };
        }

        private (List<DeckDefinition> Decks, List<Netlist> Netlists) ReadDecks(YamlNode node, Func<string, string> readDeck)
        {
            IReadOnlyList<YamlNode> items = node is YamlSequence s ? s.Items : [node];
            if (items.Count == 0)
            {
                throw Error(node.Line, "decks: at least one deck is needed");
            }

            var decks = new List<DeckDefinition>();
            var netlists = new List<Netlist>();
            foreach (YamlNode item in items)
            {
                string deckFile = Scalar(item, "decks").Value;
                if (decks.Any(x => x.FileName == deckFile))
                {
                    throw Error(item.Line, $"decks: '{deckFile}' is listed twice");
                }

                string deckText;
                try
                {
                    deckText = readDeck(deckFile).Replace("\r\n", "\n", StringComparison.Ordinal);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
                {
                    throw Error(item.Line, $"decks: cannot read '{deckFile}': {e.Message}");
                }

                var deck = new DeckDefinition(deckFile, deckText) { ReadInclude = readDeck };
                try
                {
                    netlists.Add(deck.Parse());
                }
                catch (SpiceParseException e)
                {
                    throw Error(item.Line, $"decks: '{deckFile}' does not parse: {e.Message}");
                }

                decks.Add(deck);
            }

            return (decks, netlists);
        }

        private List<SizingVariable> ReadVariables(YamlNode node, List<DeckDefinition> decks, List<Netlist> netlists)
        {
            if (node is not YamlSequence list || list.Items.Count == 0)
            {
                throw Error(node.Line, "variables: expected a list of { name:, lower:, upper: } entries");
            }

            HashSet<string>? parameters = netlists.Count == 0 ? null : new(netlists.SelectMany(n => n.Top.Parameters.Select(p => p.Name)), StringComparer.Ordinal);
            HashSet<string> instances = new(netlists.SelectMany(n => InstanceNames(n.Top)), StringComparer.Ordinal);
            var result = new List<SizingVariable>();
            foreach (YamlNode item in list.Items)
            {
                if (item is not YamlMapping m)
                {
                    throw Error(item.Line, $"variables: expected {{ name:, lower:, upper: }}, found {item.Describe()}");
                }

                CheckFields(m, ["name", "lower", "upper", "integer", "scale", "unit", "device"], "variable");
                string vname = RequiredScalar(m, "name", "variable").Value.ToLowerInvariant();
                if (result.Any(v => v.Name == vname))
                {
                    throw Error(m.Line, $"variables: '{vname}' is listed twice");
                }

                if (parameters is not null && !parameters.Contains(vname))
                {
                    throw Error(m.Line, $"variables: unknown variable '{vname}': no deck ({string.Join(", ", decks.Select(x => x.FileName))}) defines it as a top-level .param");
                }

                double lower = Number(Field(m, "lower"), $"variable '{vname}' lower");
                double upper = Number(Field(m, "upper"), $"variable '{vname}' upper");
                if (!(lower < upper))
                {
                    throw Error(Field(m, "upper").Line, $"variable '{vname}': bounds reversed or empty (lower {Format(lower)} must be below upper {Format(upper)})");
                }

                bool integer = m.TryGet("integer", out YamlNode? i) && Bool(i, $"variable '{vname}' integer");
                VariableScale scale = VariableScale.Linear;
                if (m.TryGet("scale", out YamlNode? sc))
                {
                    scale = Scalar(sc, "scale").Value switch
                    {
                        "log" => VariableScale.Log,
                        "lin" or "linear" => VariableScale.Linear,
                        string other => throw Error(sc.Line, $"variable '{vname}' scale: expected lin or log, found '{other}'"),
                    };
                }

                if (scale == VariableScale.Log && !(lower > 0))
                {
                    throw Error(Field(m, "lower").Line, $"variable '{vname}': a log-scaled variable needs a positive lower bound");
                }

                string unit = m.TryGet("unit", out YamlNode? u) ? Scalar(u, "unit").Value : string.Empty;
                string? device = m.TryGet("device", out YamlNode? dv) ? Scalar(dv, "device").Value.ToLowerInvariant() : DeviceFromName(vname, instances);
                result.Add(new SizingVariable(vname, lower, upper, unit, integer ? VariableKind.Integer : VariableKind.Continuous, scale, device));
            }

            return result;
        }

        /// <summary>
        /// The device a variable sizes by the usual naming (<c>w_m12</c>, <c>l_m12</c>, <c>nf_m12</c>, or
        /// <c>m12_w</c>): the part before or after the first underscore when it names an element of a deck (top level or
        /// inside a subcircuit definition); null otherwise.
        /// </summary>
        private static string? DeviceFromName(string variable, HashSet<string> instances)
        {
            int u = variable.IndexOf('_', StringComparison.Ordinal);
            if (u <= 0 || u == variable.Length - 1)
            {
                return null;
            }

            string after = variable[(u + 1)..], before = variable[..u];
            return instances.Contains(after) ? after : instances.Contains(before) ? before : null;
        }

        private static IEnumerable<string> InstanceNames(CircuitBody body) =>
            body.Elements.Select(e => e.Name).Concat(body.Subcircuits.Values.SelectMany(d => InstanceNames(d.Body)));

        private List<MetricDefinition> ReadMetrics(
            YamlNode node,
            List<DeckDefinition> decks,
            List<Netlist> netlists,
            List<SizingVariable> variables,
            Dictionary<string, string> measureDecks,
            List<string> externalMetrics,
            Dictionary<string, int> known)
        {
            if (node is not YamlMapping map)
            {
                throw Error(node.Line, "metrics: expected a mapping of name: expression or name: { ... }");
            }

            var result = new List<MetricDefinition>();
            foreach ((YamlScalar key, YamlNode value) in map.Entries)
            {
                string mname = key.Value.ToLowerInvariant();
                if (!Identifiers.IsMetricName(mname))
                {
                    throw Error(key.Line, $"metrics: name '{key.Value}' must start with a letter and hold only letters, digits and '_'");
                }

                if (variables.Any(v => v.Name == mname))
                {
                    throw Error(key.Line, $"metrics: '{mname}' is also a variable's name");
                }

                MetricDefinition def;
                if (value is YamlScalar expr)
                {
                    if (measureDecks.TryGetValue(mname, out string? owner))
                    {
                        throw Error(key.Line, $"metrics: '{mname}' is already a measure of {owner}");
                    }

                    if (externalMetrics.Contains(mname))
                    {
                        throw Error(key.Line, $"metrics: '{mname}' is already a metric of the evaluator");
                    }

                    def = MetricDefinition.Expression(mname, expr.Value);
                }
                else if (value is YamlMapping m)
                {
                    CheckFields(m, ["expression", "vector", "area", "deck", "unit"], $"metric '{mname}'");
                    string unit = m.TryGet("unit", out YamlNode? u) ? Scalar(u, "unit").Value : string.Empty;
                    string? deck = null;
                    if (m.TryGet("deck", out YamlNode? dn))
                    {
                        deck = Scalar(dn, "deck").Value;
                        if (decks.All(x => x.FileName != deck))
                        {
                            throw Error(dn.Line, $"metric '{mname}' deck: '{deck}' is not one of the problem's decks");
                        }
                    }

                    string[] sources = [.. MetricSources.Where(f => m.TryGet(f, out _))];
                    if (sources.Length > 1)
                    {
                        throw Error(m.Line, $"metric '{mname}': give one of expression, vector or area, not {string.Join(" and ", sources)}");
                    }

                    if (sources.Length == 0 && externalMetrics.Contains(mname))
                    {
                        def = MetricDefinition.ExternalMetric(mname, unit);
                    }
                    else if (sources.Length == 0)
                    {
                        if (!measureDecks.TryGetValue(mname, out string? md))
                        {
                            throw Error(key.Line, $"metric '{mname}': no expression, vector or area, and no deck has a measure of that name");
                        }

                        def = MetricDefinition.Measure(mname, mname, unit) with { Deck = md };
                    }
                    else
                    {
                        if (measureDecks.TryGetValue(mname, out string? owner))
                        {
                            throw Error(key.Line, $"metrics: '{mname}' is already a measure of {owner}");
                        }

                        YamlNode src = Field(m, sources[0]);
                        def = sources[0] switch
                        {
                            "expression" => MetricDefinition.Expression(mname, Scalar(src, "expression").Value, unit),
                            "vector" => MetricDefinition.Vector(mname, Scalar(src, "vector").Value.ToLowerInvariant(), unit) with { Deck = deck },
                            _ => MetricDefinition.Area(mname, Devices(src, $"metric '{mname}' area", netlists[deck is null ? 0 : decks.FindIndex(x => x.FileName == deck)])) with { Deck = deck },
                        };
                    }
                }
                else
                {
                    throw Error(value.Line, $"metric '{mname}': expected an expression or {{ expression|vector|area: ..., unit: ... }}");
                }

                if (!known.TryAdd(mname, key.Line) && def.Source is not (MetricSource.Measure or MetricSource.External))
                {
                    throw Error(key.Line, $"metrics: '{mname}' is defined twice (first on line {known[mname]})");
                }

                result.Add(def);
            }

            return result;
        }

        private List<string> Devices(YamlNode node, string what, Netlist netlist)
        {
            IReadOnlyList<YamlNode> items = node is YamlSequence s ? s.Items : [node];
            var names = new List<string>();
            var elements = new HashSet<string>(netlist.Top.Elements.Select(e => e.Name), StringComparer.Ordinal);
            foreach (YamlNode item in items)
            {
                string dev = Scalar(item, what).Value.ToLowerInvariant();

                // Devices inside subcircuits are named by their flattened path (m.x1.m3); only top-level ones can be
                // checked here, the rest are checked when the circuit is built.
                if (!dev.Contains('.', StringComparison.Ordinal) && (!dev.StartsWith('m') || !elements.Contains(dev)))
                {
                    throw Error(item.Line, $"{what}: '{dev}' is not a MOSFET of the deck");
                }

                names.Add(dev);
            }

            if (names.Count == 0)
            {
                throw Error(node.Line, $"{what}: no devices listed");
            }

            return names;
        }

        private (EvaluatorDefinition Evaluator, List<string> Metrics) ReadEvaluator(YamlNode node, Dictionary<string, int> known)
        {
            if (node is not YamlMapping m)
            {
                throw Error(node.Line, "evaluator: expected { command: \"...\", timeout: SECONDS, metrics: [names] }");
            }

            CheckFields(m, ["command", "timeout", "metrics"], "evaluator");
            string command = RequiredScalar(m, "command", "evaluator").Value;
            double timeout = m.TryGet("timeout", out YamlNode? t) ? Positive(t, "evaluator timeout") : 60;
            YamlNode list = Field(m, "metrics");
            IReadOnlyList<YamlNode> items = list is YamlSequence s ? s.Items : [list];
            var names = new List<string>();
            foreach (YamlNode item in items)
            {
                string n = Scalar(item, "evaluator metrics").Value.ToLowerInvariant();
                if (!Identifiers.IsMetricName(n) || !known.TryAdd(n, item.Line))
                {
                    throw Error(item.Line, $"evaluator metrics: '{n}' must be a new name of letters, digits and '_' starting with a letter");
                }

                names.Add(n);
            }

            return (new EvaluatorDefinition(command, timeout, directory), names);
        }

        private SaturationRequirement ReadSaturation(YamlNode node, Netlist first, Dictionary<string, int> known)
        {
            if (node is not YamlMapping m)
            {
                throw Error(node.Line, "saturation: expected { devices: [...], margin: ... }");
            }

            CheckFields(m, ["devices", "margin", "scale"], "saturation");
            List<string> devices = Devices(Field(m, "devices"), "saturation devices", first);
            double margin = Number(Field(m, "margin"), "saturation margin");
            double? scale = m.TryGet("scale", out YamlNode? sc) ? Positive(sc, "saturation scale") : null;
            foreach (string d in devices)
            {
                known.TryAdd(SaturationRequirement.MetricName(d), m.Line);
            }

            return new SaturationRequirement(devices, margin, scale);
        }

        private (string Objective, double? Scale) ReadObjective(YamlNode node, Dictionary<string, int> known)
        {
            if (node is not YamlMapping m)
            {
                throw Error(node.Line, "objective: expected { minimize: METRIC[, scale: VALUE] }");
            }

            CheckFields(m, ["minimize", "scale"], "objective");
            YamlScalar metric = RequiredScalar(m, "minimize", "objective");
            string name = metric.Value.ToLowerInvariant();
            if (!known.ContainsKey(name))
            {
                throw Error(metric.Line, $"objective: '{name}' is not a metric (not a deck measure, not under metrics:)");
            }

            double? scale = m.TryGet("scale", out YamlNode? sc) ? Positive(sc, "objective scale") : null;
            return (name, scale);
        }

        private List<Spec> ReadSpecs(YamlNode node, Dictionary<string, int> known)
        {
            if (node is not YamlSequence list)
            {
                throw Error(node.Line, "specs: expected a list of 'metric > bound' / 'metric < bound' entries");
            }

            var specs = new List<Spec>();
            foreach (YamlNode item in list.Items)
            {
                Spec spec;
                YamlScalar text;
                double? scale = null;
                if (item is YamlMapping m)
                {
                    CheckFields(m, ["spec", "scale"], "spec");
                    text = RequiredScalar(m, "spec", "spec");
                    scale = m.TryGet("scale", out YamlNode? sc) ? Positive(sc, "spec scale") : null;
                }
                else
                {
                    text = Scalar(item, "specs");
                }

                try
                {
                    spec = Spec.Parse(text.Value) with { Scale = scale };
                }
                catch (FormatException e)
                {
                    throw Error(text.Line, "specs: " + e.Message);
                }

                if (!known.ContainsKey(spec.Metric))
                {
                    throw Error(text.Line, $"specs: '{text.Value}' constrains '{spec.Metric}', which is not a metric (not a deck measure, not under metrics:)");
                }

                if (specs.Any(s => s.ConstraintName == spec.ConstraintName))
                {
                    throw Error(text.Line, $"specs: a spec of the same direction on '{spec.Metric}' is already given");
                }

                specs.Add(spec);
            }

            return specs;
        }

        private void CheckFields(YamlMapping m, string[] allowed, string what)
        {
            foreach ((YamlScalar key, _) in m.Entries)
            {
                if (!allowed.Contains(key.Value))
                {
                    throw Error(key.Line, $"{what}: unknown field '{key.Value}' (expected {string.Join(", ", allowed)})");
                }
            }
        }

        private YamlNode Field(YamlMapping m, string key) =>
            m.TryGet(key, out YamlNode? v) ? v : throw Error(m.Line, $"missing field '{key}'");

        private YamlScalar RequiredScalar(YamlMapping m, string key, string what)
        {
            YamlScalar s = Scalar(Field(m, key), $"{what} {key}");
            return s.Value.Length == 0 ? throw Error(s.Line, $"{what}: '{key}' is empty") : s;
        }

        private YamlScalar Scalar(YamlNode node, string what) =>
            node as YamlScalar ?? throw Error(node.Line, $"{what}: expected a single value, found {node.Describe()}");

        private double Number(YamlNode node, string what)
        {
            YamlScalar s = Scalar(node, what);
            return SpiceNumber.TryParse(s.Value.ToLowerInvariant(), out double v) && double.IsFinite(v)
                ? v
                : throw Error(s.Line, $"{what}: '{s.Value}' is not a number (SPICE suffixes such as 0.24u, 30meg are allowed)");
        }

        private double Positive(YamlNode node, string what)
        {
            double v = Number(node, what);
            return v > 0 ? v : throw Error(node.Line, $"{what}: must be positive (got {Format(v)})");
        }

        private bool Bool(YamlNode node, string what) => Scalar(node, what).Value switch
        {
            "true" or "yes" => true,
            "false" or "no" => false,
            string other => throw Error(node.Line, $"{what}: expected true or false, found '{other}'"),
        };

        private static string Format(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
    }
}
