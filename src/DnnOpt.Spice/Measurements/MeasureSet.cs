using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Expressions;
using DnnOpt.Spice.Netlists;

namespace DnnOpt.Spice.Measurements;

/// <summary>
/// The <c>.measure</c> statements of a deck, parsed once, evaluated over the results of each simulation as ngspice
/// does: after each analysis its own measures in statement order (each successful result becoming a parameter),
/// then its <c>param=</c> measures in statement order, which may use any measure evaluated so far and the
/// <c>.param</c>s.
/// </summary>
public sealed class MeasureSet
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    /// <summary>Parses statements.</summary>
    /// <param name="statements">The deck's <see cref="Netlist.Measures"/>.</param>
    /// <exception cref="Parsing.SpiceParseException">A statement is malformed (file, line and what).</exception>
    public MeasureSet(IReadOnlyList<MeasureStatement> statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var defs = new MeasureDefinition[statements.Count];
        for (int i = 0; i < defs.Length; i++)
        {
            defs[i] = MeasureDefinition.Parse(statements[i]);
            _index[defs[i].Name] = i;
        }

        Definitions = defs;
        var quantities = new List<string>();
        foreach (MeasureDefinition d in defs)
        {
            foreach (VectorExpression? v in (VectorExpression?[])[d.Vector, d.When?.Vector, d.When?.Other, d.Target?.Vector, d.Target?.Other])
            {
                foreach (string? name in (string?[])[v?.Positive, v?.Negative])
                {
                    if (name is not null && name.StartsWith('@') && !quantities.Contains(name))
                    {
                        quantities.Add(name);
                    }
                }
            }
        }

        DeviceQuantities = quantities;
    }

    /// <summary>The device quantities (<c>@m1[gm]</c>) the measures read: analyses record only what they are asked to
    /// save, so pass these to <see cref="Circuits.Circuit.RunAnalyses"/>.</summary>
    public IReadOnlyList<string> DeviceQuantities { get; }

    /// <summary>The definitions in statement order.</summary>
    public IReadOnlyList<MeasureDefinition> Definitions { get; }

    /// <summary>
    /// Evaluates every measure over analysis results. Results that are not vector sets (an operating point) are
    /// skipped; the measures of an analysis that did not converge fail with that reason; measures whose analysis
    /// is absent are <see cref="MeasureStatus.NotRun"/>. When a deck has two analyses of a kind, the later one's
    /// values are kept.
    /// </summary>
    /// <param name="results">Analysis results in the order they ran.</param>
    /// <param name="parameters">The circuit's parameters (for expressions), or null.</param>
    /// <param name="options">Phase units; null for the defaults.</param>
    /// <returns>One result per definition, in statement order.</returns>
    public MeasureResults Evaluate(IReadOnlyList<AnalysisResult> results, IParameterScope? parameters = null, MeasureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var values = new MeasureResult[Definitions.Count];
        for (int i = 0; i < values.Length; i++)
        {
            MeasureDefinition d = Definitions[i];
            values[i] = new MeasureResult(d.Name, d.Analysis, MeasureStatus.NotRun, double.NaN, $"the deck has no {d.Analysis} analysis");
        }

        var scope = new MeasureScope(parameters);
        foreach (AnalysisResult r in results)
        {
            if (r is IVectorSet set)
            {
                EvaluateKind(set, r.Converged, scope, options, values);
            }
        }

        return new MeasureResults(values, _index);
    }

    /// <summary>Evaluates every measure over vector sets that are not <see cref="AnalysisResult"/>s (tests, other
    /// simulators' data).</summary>
    /// <param name="sets">Vector sets in analysis order.</param>
    /// <param name="parameters">Parameters for expressions, or null.</param>
    /// <param name="options">Phase units; null for the defaults.</param>
    /// <returns>One result per definition, in statement order.</returns>
    public MeasureResults Evaluate(IReadOnlyList<IVectorSet> sets, IParameterScope? parameters = null, MeasureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sets);
        var values = new MeasureResult[Definitions.Count];
        for (int i = 0; i < values.Length; i++)
        {
            MeasureDefinition d = Definitions[i];
            values[i] = new MeasureResult(d.Name, d.Analysis, MeasureStatus.NotRun, double.NaN, $"no {d.Analysis} analysis");
        }

        var scope = new MeasureScope(parameters);
        foreach (IVectorSet set in sets)
        {
            EvaluateKind(set, converged: true, scope, options, values);
        }

        return new MeasureResults(values, _index);
    }

    private void EvaluateKind(IVectorSet results, bool converged, MeasureScope scope, MeasureOptions? options, MeasureResult[] values)
    {
        string kind = results.AnalysisKind;
        if (results is NoiseResult noise && converged)
        {
            // The integrated totals (ngspice's second noise plot) are scalars: param measures can use them by name.
            scope.Set("onoise_total", noise.OutputNoiseTotal);
            scope.Set("inoise_total", noise.InputNoiseTotal);
        }

        if (!Definitions.Any(d => d.Analysis == kind))
        {
            return;
        }

        var set = new CachedVectors(results);

        for (int pass = 0; pass < 2; pass++)
        {
            for (int i = 0; i < values.Length; i++)
            {
                MeasureDefinition d = Definitions[i];
                if (d.Analysis != kind || d.Function == MeasureFunction.Param != (pass == 1))
                {
                    continue;
                }

                values[i] = converged
                    ? d.Evaluate(set, scope, options)
                    : MeasureResult.Fail(d, $"the {kind} analysis did not converge");
                if (values[i].Succeeded)
                {
                    scope.Set(d.Name, values[i].Value);
                }
                else
                {
                    scope.Remove(d.Name);
                }
            }
        }
    }

    /// <summary>Measure results first, then the circuit's parameters (ngspice adds results as parameters).</summary>
    private sealed class MeasureScope(IParameterScope? parent) : IParameterScope
    {
        private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);

        public void Set(string name, double value) => _values[name] = value;

        public void Remove(string name) => _values.Remove(name);

        public bool TryGetValue(string name, out double value) =>
            _values.TryGetValue(name, out value) || (parent is not null && parent.TryGetValue(name, out value));
    }
}

/// <summary>
/// One analysis's vectors as the measures of one evaluation see them: each vector is fetched from the result once
/// (results may build a fresh array per lookup) and the scale is read once.
/// </summary>
internal sealed class CachedVectors(IVectorSet inner) : IVectorSet
{
    private readonly Dictionary<string, IReadOnlyList<System.Numerics.Complex>?> _vectors = new(StringComparer.Ordinal);

    public string AnalysisKind { get; } = inner.AnalysisKind;

    public string ScaleName => inner.ScaleName;

    public IReadOnlyList<double> Scale { get; } = inner.Scale;

    public bool IsComplex => inner.IsComplex;

    public IReadOnlyList<string> VectorNames => inner.VectorNames;

    public bool TryGetVector(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IReadOnlyList<System.Numerics.Complex>? values)
    {
        if (!_vectors.TryGetValue(name, out values))
        {
            values = inner.TryGetVector(name, out IReadOnlyList<System.Numerics.Complex>? v) ? v : null;
            _vectors[name] = values;
        }

        return values is not null;
    }
}
