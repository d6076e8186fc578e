using System.Collections.Concurrent;
using System.Globalization;
using DnnOpt.Optimization;
using DnnOpt.Sizing.Evaluators;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Expressions;
using DnnOpt.Spice.Netlists;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Sizing;

/// <summary>
/// A circuit sizing problem evaluated in-process by DnnOpt.Spice (paper eq. 1): the deck is parsed once; each design
/// only sets the variables' <c>.param</c> values (<see cref="Circuit.SetParameters"/>: expressions re-evaluated and
/// devices rebuilt from the parsed netlist, the sparse LU's pivot order and fill pattern kept) and re-runs the
/// operating point. Metrics are read from the operating point or computed from other metrics; specs and saturation
/// margins become normalised constraints; the objective is a metric to minimise.
/// </summary>
/// <remarks>
/// <para>Failures are results: non-convergence, a metric that cannot be measured or is not finite, or any error while
/// setting the values gives <see cref="Evaluation.Failure"/> with the reason; <see cref="Evaluate"/> does not throw for
/// a design inside the space.</para>
/// <para>Thread-safe: each call takes a <see cref="Circuit"/> from a pool (one is built from the shared parsed
/// netlist when none is free), so the runner may evaluate a batch in parallel.</para>
/// <para>Deterministic: the result of a design depends on the design only, not on what was evaluated before or on
/// which pooled circuit ran it. Every pooled circuit chooses its LU pivot order on the deck's default values (one
/// warm-up operating point); a circuit whose LU had to choose a new order for some design is not returned to the pool.
/// This keeps resumed and parallel runs bit-identical to sequential ones.</para>
/// </remarks>
public sealed class CircuitProblem : IProblem, IDisposable
{
    private readonly ExternalEvaluator? _external;
    private readonly SizingProblemDefinition _definition;
    private readonly Netlist[] _netlists;
    private readonly int[] _metricDeck;
    private readonly bool[] _deckNeedsOp;
    private readonly bool[] _deckNeedsAnalyses;
    private readonly string[][] _deckVariables;
    private readonly int[][] _deckVariablePositions;
    private readonly ConcurrentBag<PooledCircuit> _pool = [];
    private readonly Expression?[] _expressions;
    private readonly string[] _metricNames;
    private readonly Dictionary<string, int> _metricIndex;
    private readonly string[] _variableNames;
    private readonly int _objectiveIndex;
    private readonly int[] _specMetric;
    private readonly MetricInfo[] _constraints;
    private readonly string[] _saturationDevices;
    private readonly int _definedMetrics;

    private CircuitProblem(SizingProblemDefinition definition, Netlist[] netlists, PooledCircuit first)
    {
        _definition = definition;
        if (definition.Evaluator is { } ev)
        {
            _external = new ExternalEvaluator(ev.Command, ev.WorkingDirectory, TimeSpan.FromSeconds(ev.TimeoutSeconds));
        }

        _netlists = netlists;
        int deckCount = netlists.Length;
        _deckNeedsOp = new bool[deckCount];
        _deckNeedsAnalyses = new bool[deckCount];
        _deckVariables = [.. netlists.Select(n => definition.Variables
            .Select(v => v.Name.ToLowerInvariant())
            .Where(v => n.Top.Parameters.Any(p => p.Name == v))
            .ToArray())];
        Name = definition.Name;
        Space = new DesignSpace(definition.Variables.Select(v => v.ToDesignVariable()));
        _variableNames = [.. definition.Variables.Select(v => v.Name.ToLowerInvariant())];
        _deckVariablePositions = [.. _deckVariables.Select(names => names.Select(v => Array.IndexOf(_variableNames, v)).ToArray())];
        _saturationDevices = [.. (definition.Saturation?.Devices ?? []).Select(d => d.ToLowerInvariant())];
        _definedMetrics = definition.Metrics.Count;
        _metricNames = [.. definition.Metrics.Select(m => m.Name.ToLowerInvariant()), .. _saturationDevices.Select(SaturationRequirement.MetricName)];
        _metricIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < _metricNames.Length; i++)
        {
            if (!_metricIndex.TryAdd(_metricNames[i], i))
            {
                throw Invalid($"metric '{_metricNames[i]}' is defined twice");
            }
        }

        _expressions = new Expression?[_definedMetrics];
        _metricDeck = new int[_definedMetrics];
        for (int i = 0; i < _definedMetrics; i++)
        {
            MetricDefinition m = definition.Metrics[i];
            CheckIdentifier(m.Name, "metric");
            int deck = DeckOf(m);
            _metricDeck[i] = deck;
            bool externalSource = m.Source == MetricSource.External;
            if (_external is null ? externalSource : !externalSource && m.Source != MetricSource.Expression)
            {
                throw Invalid(_external is null
                    ? $"metric '{m.Name}': an external metric needs an evaluator"
                    : $"metric '{m.Name}': a problem with an external evaluator has only external and expression metrics");
            }

            _expressions[i] = m.Source switch
            {
                MetricSource.Vector => CheckVector(m, first.Circuits[deck]),
                MetricSource.Expression => ParseExpression(m, i, first.Circuits.FirstOrDefault()),
                MetricSource.Measure or MetricSource.External => null,
                MetricSource.Area => CheckArea(m, first.Circuits[deck]),
                _ => throw Invalid($"metric '{m.Name}': unknown source {m.Source}"),
            };
            if (m.Source is MetricSource.Vector or MetricSource.Area)
            {
                _deckNeedsOp[deck] = true;
            }
            else if (m.Source == MetricSource.Measure)
            {
                _deckNeedsAnalyses[deck] = true;
            }
        }

        if (_saturationDevices.Length > 0)
        {
            if (_external is not null)
            {
                throw Invalid("saturation: needs decks (an external evaluator reports its own margins as metrics)");
            }

            _deckNeedsOp[0] = true;
        }

        string objective = definition.Objective.ToLowerInvariant();
        if (!_metricIndex.TryGetValue(objective, out _objectiveIndex))
        {
            throw Invalid($"objective: '{definition.Objective}' is not a defined metric");
        }

        if (definition.ObjectiveScale is { } given && (!double.IsFinite(given) || given <= 0))
        {
            throw Invalid($"objective scale must be finite and positive (got {Format(given)})");
        }

        Objective = new MetricInfo(objective, definition.ObjectiveScale ?? 1.0);
        _specMetric = new int[definition.Specs.Count];
        var constraints = new List<MetricInfo>();
        var constraintNames = new HashSet<string>(StringComparer.Ordinal);
        for (int s = 0; s < definition.Specs.Count; s++)
        {
            Spec spec = definition.Specs[s];
            if (!_metricIndex.TryGetValue(spec.Metric.ToLowerInvariant(), out _specMetric[s]))
            {
                throw Invalid($"spec '{spec}': '{spec.Metric}' is not a defined metric");
            }

            if (!double.IsFinite(spec.Bound) || (spec.Scale is { } sc && (!double.IsFinite(sc) || sc <= 0)))
            {
                throw Invalid($"spec '{spec}': bound must be finite and scale positive");
            }

            if (!constraintNames.Add(spec.ConstraintName.ToLowerInvariant()))
            {
                throw Invalid($"spec '{spec}': a spec of the same direction on '{spec.Metric}' is already given");
            }

            constraints.Add(new MetricInfo(spec.ConstraintName.ToLowerInvariant(), spec.EffectiveScale));
        }

        if (definition.Saturation is { } sat)
        {
            if (!double.IsFinite(sat.Margin) || (sat.Scale is { } ss && (!double.IsFinite(ss) || ss <= 0)))
            {
                throw Invalid("saturation: margin must be finite and scale positive");
            }

            var devices = new HashSet<string>(first.Circuits[0].DeviceNames, StringComparer.Ordinal);
            foreach (string d in _saturationDevices)
            {
                if (!devices.Contains(d) || !d.StartsWith('m'))
                {
                    throw Invalid($"saturation: '{d}' is not a MOSFET of the deck");
                }

                constraints.Add(new MetricInfo(SaturationRequirement.MetricName(d), sat.EffectiveScale));
            }
        }

        _constraints = [.. constraints];
        foreach (MetricInfo c in _constraints)
        {
            c.Validate();
        }

        _pool.Add(first);

        // With an external evaluator there are no deck defaults: the middle of each range stands in.
        DefaultDesign = _external is not null
            ? [.. Space.Select(v => v.Scale == VariableScale.Log ? Math.Sqrt(v.Lower * v.Upper) : 0.5 * (v.Lower + v.Upper))]
            : [.. _variableNames.Select(v => first.Circuits[Array.FindIndex(_deckVariables, d => d.Contains(v))].GetParameter(v))];
        if (definition.ObjectiveScale is null)
        {
            // Default normalisation: the objective's magnitude at the decks' own parameter values (the designer's
            // starting point), so "power" in watts or "delay" in seconds weighs like the specs without hand-tuning.
            Measurement m = Measure([.. DefaultDesign]);
            double atDefaults = Math.Abs(m.Values[_objectiveIndex]);
            if (double.IsFinite(atDefaults) && atDefaults > 0)
            {
                Objective = new MetricInfo(objective, atDefaults);
            }
        }
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public DesignSpace Space { get; }

    /// <inheritdoc/>
    public MetricInfo Objective { get; private set; }

    /// <inheritdoc/>
    public IReadOnlyList<MetricInfo> Constraints => _constraints;

    /// <summary>Every metric, then <c>sat_DEVICE</c> for each saturation device: the history's <c>m.NAME</c> columns.</summary>
    public IReadOnlyList<string> MetricNames => _metricNames;

    /// <summary>The definition this problem was built from.</summary>
    public SizingProblemDefinition Definition => _definition;

    /// <summary>Number of circuits built so far (one per concurrently running evaluation, plus replacements).</summary>
    public int CircuitsBuilt => _circuitsBuilt;

    private int _circuitsBuilt = 1;

    /// <summary>
    /// Checks a definition, parses its deck once and builds the first circuit.
    /// </summary>
    /// <param name="definition">The problem.</param>
    /// <returns>The problem, ready to evaluate.</returns>
    /// <exception cref="SizingProblemException">The definition or its deck is invalid; the message says which field.</exception>
    public static CircuitProblem Create(SizingProblemDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (!Identifiers.IsProblemName(definition.Name))
        {
            throw new SizingProblemException($"problem name '{definition.Name}' must be letters, digits, '-' or '_'");
        }

        bool hasDecks = definition.Decks.Count > 0;
        bool hasEvaluator = definition.Evaluator is not null;
        if (hasDecks == hasEvaluator)
        {
            throw new SizingProblemException($"problem '{definition.Name}': give decks or an external evaluator (exactly one of them)");
        }

        if (definition.Evaluator is { } ev && (string.IsNullOrWhiteSpace(ev.Command) || !(ev.TimeoutSeconds > 0) || !double.IsFinite(ev.TimeoutSeconds)))
        {
            throw new SizingProblemException($"problem '{definition.Name}': evaluator needs a command and a positive, finite timeout");
        }

        var netlists = new Netlist[definition.Decks.Count];
        for (int k = 0; k < netlists.Length; k++)
        {
            DeckDefinition deck = definition.Decks[k];
            try
            {
                netlists[k] = deck.Parse();
            }
            catch (SpiceParseException e)
            {
                throw new SizingProblemException($"problem '{definition.Name}': deck {deck.FileName} does not parse: {e.Message}", e);
            }
        }

        var parameters = new HashSet<string>(netlists.SelectMany(n => n.Top.Parameters.Select(p => p.Name)), StringComparer.Ordinal);
        if (definition.Variables.Count == 0)
        {
            throw new SizingProblemException($"problem '{definition.Name}': no variables");
        }

        foreach (SizingVariable v in definition.Variables)
        {
            if (definition.Evaluator is null && !parameters.Contains(v.Name.ToLowerInvariant()))
            {
                throw new SizingProblemException($"problem '{definition.Name}': variable '{v.Name}' is not a top-level .param of {string.Join(" or ", definition.Decks.Select(d => d.FileName))}");
            }

            try
            {
                v.ToDesignVariable().Validate();
            }
            catch (ArgumentException e)
            {
                throw new SizingProblemException($"problem '{definition.Name}': {e.Message}", e);
            }
        }

        PooledCircuit first;
        try
        {
            first = PooledCircuit.Build(netlists);
        }
        catch (SpiceParseException e)
        {
            throw new SizingProblemException($"problem '{definition.Name}': deck is invalid: {e.Message}", e);
        }

        return new CircuitProblem(definition, netlists, first);
    }

    /// <inheritdoc/>
    public Evaluation Evaluate(ReadOnlySpan<double> physicalX) => Measure(physicalX).Evaluation;

    /// <summary>
    /// The designer's nominal design: each variable's <c>.param</c> value in the decks (the middle of its range for an
    /// external evaluator), in variable order. Sensitivity analysis perturbs around it.
    /// </summary>
    public IReadOnlyList<double> DefaultDesign { get; }

    /// <summary>Stops the external evaluator, if any (deck problems hold nothing to release).</summary>
    public void Dispose() => _external?.Dispose();

    /// <summary>Processes the external evaluator was started as (restarts included); 0 for deck problems.</summary>
    public int EvaluatorProcessesStarted => _external?.ProcessesStarted ?? 0;

    /// <summary>Simulates a design and returns the evaluation together with every named metric.</summary>
    /// <param name="physicalX">Physical values in the order of <see cref="Space"/>.</param>
    /// <returns>The measurement; a failure carries the reason and the metrics measured before it (NaN for the rest).</returns>
    /// <exception cref="ArgumentException">Wrong length (a caller error, not a design failure).</exception>
    public Measurement Measure(ReadOnlySpan<double> physicalX)
    {
        if (physicalX.Length != _variableNames.Length)
        {
            throw new ArgumentException($"{physicalX.Length} values given, the problem has {_variableNames.Length} variables", nameof(physicalX));
        }

        var values = new double[_metricNames.Length];
        Array.Fill(values, double.NaN);
        var assignments = new KeyValuePair<string, double>[_deckVariables.Length][];
        for (int k = 0; k < assignments.Length; k++)
        {
            string[] names = _deckVariables[k];
            int[] positions = _deckVariablePositions[k];
            assignments[k] = new KeyValuePair<string, double>[names.Length];
            for (int i = 0; i < names.Length; i++)
            {
                assignments[k][i] = new KeyValuePair<string, double>(names[i], physicalX[positions[i]]);
            }
        }

        PooledCircuit pooled = Rent();
        bool healthy = false;
        string? failure;
        try
        {
            failure = Simulate(pooled.Circuits, assignments, physicalX.ToArray(), values);
            healthy = pooled.Healthy;
        }
#pragma warning disable CA1031 // Any error while simulating one design is that design's failure, never a crashed run.
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = $"{e.GetType().Name}: {e.Message}";
        }
        finally
        {
            if (healthy)
            {
                _pool.Add(pooled);
            }
        }

        Evaluation evaluation = failure is not null ? Evaluation.Failure(failure, values) : Assemble(values);
        return new Measurement(evaluation, _metricNames, _metricIndex, values);
    }

    /// <summary>The spec table for a design's metric values (as in <see cref="Measurement.Values"/> or a history's <c>m.*</c> columns).</summary>
    /// <param name="metrics">Values in the order of <see cref="MetricNames"/>.</param>
    /// <returns>One row per constraint, in constraint order.</returns>
    public IReadOnlyList<SpecOutcome> Outcomes(ReadOnlySpan<double> metrics)
    {
        if (metrics.Length != _metricNames.Length)
        {
            throw new ArgumentException($"{metrics.Length} metric values given, the problem has {_metricNames.Length}", nameof(metrics));
        }

        var rows = new List<SpecOutcome>(_constraints.Length);
        for (int s = 0; s < _specMetric.Length; s++)
        {
            Spec spec = _definition.Specs[s];
            double v = metrics[_specMetric[s]];
            double f = spec.Constraint(v);
            rows.Add(new SpecOutcome(_constraints[s].Name, _metricNames[_specMetric[s]], spec.Kind == SpecKind.AtLeast ? ">" : "<", v, spec.Bound, -f, f <= 0, _definition.Metrics[_specMetric[s]].Unit));
        }

        if (_definition.Saturation is { } sat)
        {
            for (int k = 0; k < _saturationDevices.Length; k++)
            {
                double v = metrics[_definedMetrics + k];
                double f = sat.Margin - v;
                rows.Add(new SpecOutcome(_constraints[_specMetric.Length + k].Name, _metricNames[_definedMetrics + k], ">", v, sat.Margin, -f, f <= 0, "V"));
            }
        }

        return rows;
    }

    /// <summary>Unit of a metric (empty when dimensionless or unknown).</summary>
    /// <param name="metric">Metric name.</param>
    /// <returns>The unit symbol.</returns>
    public string UnitOf(string metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (!_metricIndex.TryGetValue(metric.ToLowerInvariant(), out int i))
        {
            return string.Empty;
        }

        return i < _definedMetrics ? _definition.Metrics[i].Unit : "V";
    }

    private string? Simulate(Circuit[] circuits, KeyValuePair<string, double>[][] assignments, double[] x, double[] values)
    {
        Dictionary<string, double>? reply = null;
        if (_external is not null)
        {
            var named = new KeyValuePair<string, double>[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                named[i] = new KeyValuePair<string, double>(_variableNames[i], x[i]);
            }

            string? failed = _external.Evaluate(named, out reply);
            if (failed is not null)
            {
                return failed;
            }
        }

        var ops = new OperatingPointResult?[circuits.Length];
        var measures = new MeasureValues?[circuits.Length];
        for (int k = 0; k < circuits.Length; k++)
        {
            Circuit circuit = circuits[k];
            circuit.SetParameters(assignments[k]);
            if (_deckNeedsAnalyses[k])
            {
                // Analyses record only the device quantities they are asked to save: those the measures read.
                IReadOnlyList<AnalysisResult> results = circuit.RunAnalyses(circuit.Measures.DeviceQuantities);
                foreach (AnalysisResult r in results)
                {
                    if (!r.Converged)
                    {
                        return $"{_definition.Decks[k].FileName}: {Describe(r)}";
                    }

                    ops[k] ??= r as OperatingPointResult;
                }

                measures[k] = MeasureValues.Evaluate(circuit, results);
            }

            if (_deckNeedsOp[k] && ops[k] is null)
            {
                OperatingPointResult op = circuit.OperatingPoint();
                if (!op.Converged)
                {
                    return $"{_definition.Decks[k].FileName}: {Describe(op)}";
                }

                ops[k] = op;
            }
        }

        // Every metric is attempted even after one fails, so a failed design still reports all it could measure;
        // the reason names the first failures (a metric computed from a failed one is NaN, not a second reason).
        var failures = new List<string>();
        var scope = new MetricScope(this, circuits.FirstOrDefault(), x, values);
        for (int i = 0; i < _definedMetrics; i++)
        {
            MetricDefinition m = _definition.Metrics[i];
            int deck = _metricDeck[i];
            double v;
            try
            {
                v = m.Source switch
                {
                    MetricSource.Expression => _expressions[i]!.Evaluate(scope.UpTo(i)),
                    MetricSource.Vector => ops[deck]!.Get(m.Text),
                    MetricSource.Area => GateArea(ops[deck]!, m.Text),
                    MetricSource.External => reply!.TryGetValue(m.Text.ToLowerInvariant(), out double r) ? r : throw new KeyNotFoundException($"the evaluator's reply has no metric '{m.Text}'"),
                    _ => measures[deck]!.Get(m.Text),
                };
            }
            catch (Exception e) when (e is KeyNotFoundException or ExpressionException or ArgumentException or MeasureFailedException)
            {
                failures.Add($"metric '{m.Name}' could not be measured: {e.Message}");
                continue;
            }

            if (!double.IsFinite(v))
            {
                if (failures.Count == 0 || m.Source != MetricSource.Expression)
                {
                    failures.Add($"metric '{m.Name}' is not finite ({Format(v)})");
                }

                continue;
            }

            values[i] = v;
        }

        for (int k = 0; k < _saturationDevices.Length; k++)
        {
            string d = _saturationDevices[k];
            double margin;
            try
            {
                margin = ops[0]!.Quantity(d, "vds") - Math.Abs(ops[0]!.Quantity(d, "vdsat"));
            }
            catch (KeyNotFoundException e)
            {
                failures.Add($"saturation margin of '{d}' could not be measured: {e.Message}");
                continue;
            }

            if (!double.IsFinite(margin))
            {
                failures.Add($"saturation margin of '{d}' is not finite ({Format(margin)})");
                continue;
            }

            values[_definedMetrics + k] = margin;
        }

        return failures.Count switch
        {
            0 => null,
            <= 3 => string.Join("; ", failures),
            _ => string.Join("; ", failures.Take(3)) + string.Create(CultureInfo.InvariantCulture, $"; and {failures.Count - 3} more"),
        };
    }

    private static string Describe(AnalysisResult r)
    {
        NewtonResult n = r.Newton;
        string what = r is OperatingPointResult ? "operating point" : r.GetType().Name.Replace("Result", string.Empty, StringComparison.Ordinal);
        return string.Create(CultureInfo.InvariantCulture, $"{what} did not converge ({n.Exit} after {n.Iterations} iterations, worst unknown '{n.WorstUnknownName}')");
    }

    private static double GateArea(OperatingPointResult op, string devices)
    {
        double area = 0;
        foreach (string d in devices.Split(','))
        {
            area += op.Quantity(d, "w") * op.Quantity(d, "l") * op.Quantity(d, "m");
        }

        return area;
    }

    private int DeckOf(MetricDefinition m)
    {
        if (m.Deck is { } name)
        {
            int k = _definition.Decks.ToList().FindIndex(d => d.FileName == name);
            return k >= 0 ? k : throw Invalid($"metric '{m.Name}': deck '{name}' is not one of the problem's decks");
        }

        if (m.Source != MetricSource.Measure)
        {
            return 0;
        }

        int[] defining = [.. Enumerable.Range(0, _netlists.Length).Where(k => _netlists[k].Measures.Any(x => string.Equals(x.Name, m.Text, StringComparison.OrdinalIgnoreCase)))];
        return defining.Length switch
        {
            1 => defining[0],
            0 => throw Invalid($"metric '{m.Name}': no deck has a .measure named '{m.Text}'"),
            _ => throw Invalid($"metric '{m.Name}': several decks have a .measure named '{m.Text}'; name the deck"),
        };
    }

    private Expression? CheckArea(MetricDefinition m, Circuit circuit)
    {
        var devices = new HashSet<string>(circuit.DeviceNames, StringComparer.Ordinal);
        foreach (string d in m.Text.Split(','))
        {
            if (!d.StartsWith('m') || !devices.Contains(d))
            {
                throw Invalid($"metric '{m.Name}': '{d}' is not a MOSFET of the deck");
            }
        }

        return null;
    }

    private Evaluation Assemble(double[] values)
    {
        var f = new double[_constraints.Length];
        for (int s = 0; s < _specMetric.Length; s++)
        {
            f[s] = _definition.Specs[s].Constraint(values[_specMetric[s]]);
        }

        if (_definition.Saturation is { } sat)
        {
            for (int k = 0; k < _saturationDevices.Length; k++)
            {
                f[_specMetric.Length + k] = sat.Margin - values[_definedMetrics + k];
            }
        }

        return Evaluation.Success(values[_objectiveIndex], f, values);
    }

    private PooledCircuit Rent()
    {
        if (_pool.TryTake(out PooledCircuit? c))
        {
            return c;
        }

        Interlocked.Increment(ref _circuitsBuilt);
        return PooledCircuit.Build(_netlists);
    }

    private Expression? CheckVector(MetricDefinition m, Circuit circuit)
    {
        string v = m.Text.Trim().ToLowerInvariant();
        var devices = new HashSet<string>(circuit.DeviceNames, StringComparer.Ordinal);
        var unknowns = new HashSet<string>(circuit.UnknownNames, StringComparer.Ordinal);
        if (v.StartsWith('@'))
        {
            int open = v.IndexOf('[', StringComparison.Ordinal);
            if (open < 2 || !v.EndsWith(']') || !devices.Contains(v[1..open]))
            {
                throw Invalid($"metric '{m.Name}': '{m.Text}' is not @device[quantity] of a device of the deck");
            }

            return null;
        }

        if (v.Length > 3 && (v[0] is 'v' or 'i') && v[1] == '(' && v.EndsWith(')'))
        {
            string[] parts = [.. v[2..^1].Split(',').Select(p => p.Trim())];
            bool ok = v[0] == 'v'
                ? parts.Length is 1 or 2 && parts.All(p => p is "0" or "gnd" || unknowns.Contains(p))
                : parts.Length == 1 && (unknowns.Contains(parts[0] + "#branch") || devices.Contains(parts[0]));
            if (ok)
            {
                return null;
            }
        }

        throw Invalid($"metric '{m.Name}': '{m.Text}' is not a node voltage v(node), v(a,b), current i(device) or @device[quantity] of the deck");
    }

    private Expression ParseExpression(MetricDefinition m, int index, Circuit? circuit)
    {
        Expression e;
        try
        {
            e = ExpressionParser.Parse(m.Text.ToLowerInvariant());
        }
        catch (ExpressionException ex)
        {
            throw Invalid($"metric '{m.Name}': expression does not parse: {ex.Message}");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        e.CollectNames(names);
        foreach (string n in names)
        {
            bool earlierMetric = _metricIndex.TryGetValue(n, out int k) && k < index;
            bool known = earlierMetric || _variableNames.Contains(n) || (circuit is not null && HasParameter(circuit, n));
            if (!known)
            {
                throw Invalid(_metricIndex.ContainsKey(n)
                    ? $"metric '{m.Name}': uses '{n}', which is defined after it"
                    : $"metric '{m.Name}': '{n}' is not a metric defined before it, a variable or a deck parameter");
            }
        }

        return e;
    }

    private static bool HasParameter(Circuit circuit, string name)
    {
        try
        {
            _ = circuit.GetParameter(name);
            return true;
        }
        catch (KeyNotFoundException)
        {
            return false;
        }
    }

    private static void CheckIdentifier(string name, string what)
    {
        if (!Identifiers.IsMetricName(name))
        {
            throw new SizingProblemException($"{what} name '{name}' must start with a letter and hold only letters, digits and '_'");
        }
    }

    private SizingProblemException Invalid(string message) => new($"problem '{_definition.Name}': {message}");

    private static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>One circuit per deck, with the LU pivot-order counts they had after their warm-up at the deck's defaults.</summary>
    private sealed class PooledCircuit(Circuit[] circuits)
    {
        private int[] _orderings = [];

        public Circuit[] Circuits { get; } = circuits;

        /// <summary>True while no circuit had to choose a new pivot order (results stay independent of history).</summary>
        public bool Healthy => Circuits.Select(c => c.LuOrderings).SequenceEqual(_orderings);

        public static PooledCircuit Build(Netlist[] netlists)
        {
            var p = new PooledCircuit([.. netlists.Select(n => Circuit.Create(n))]);
            foreach (Circuit c in p.Circuits)
            {
                _ = c.OperatingPoint();
            }

            p._orderings = [.. p.Circuits.Select(c => c.LuOrderings)];
            return p;
        }
    }

    /// <summary>Names an expression metric may use: earlier metrics, variables, deck parameters.</summary>
    private sealed class MetricScope(CircuitProblem problem, Circuit? circuit, double[] x, double[] values) : IParameterScope
    {
        private int _limit;

        public MetricScope UpTo(int limit)
        {
            _limit = limit;
            return this;
        }

        public bool TryGetValue(string name, out double value)
        {
            if (problem._metricIndex.TryGetValue(name, out int k) && k < _limit)
            {
                value = values[k];
                return true;
            }

            int v = Array.IndexOf(problem._variableNames, name);
            if (v >= 0)
            {
                value = x[v];
                return true;
            }

            if (circuit is not null && HasParameter(circuit, name))
            {
                value = circuit.GetParameter(name);
                return true;
            }

            value = double.NaN;
            return false;
        }
    }
}
