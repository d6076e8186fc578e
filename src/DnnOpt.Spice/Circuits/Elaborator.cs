using System.Runtime.CompilerServices;
using DnnOpt.Spice.Expressions;
using DnnOpt.Spice.Netlists;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Circuits;

/// <summary>
/// Flattens the subcircuit hierarchy of a <see cref="Netlist"/> and evaluates every expression for a given set of
/// top-level parameter values. Naming follows ngspice so results can be compared by name: nodes of instance x1 become
/// <c>x1.n</c>, devices become <c>r.x1.r1</c> (type letter, instance path, local name).
/// </summary>
internal static class Elaborator
{
    private const int MaxDepth = 64;

    public static List<ResolvedElement> Elaborate(Netlist netlist, IReadOnlyDictionary<string, double> overrides, ParameterScope global, ElaborationPlan? plan = null)
    {
        FillTop(netlist, overrides, global);
        var result = new List<ResolvedElement>();
        var bodies = new List<CircuitBody> { netlist.Top };
        var models = new ModelCache();
        var context = new ExpandContext(netlist.GlobalNodes, models, result, plan);
        Expand(netlist.Top, bodies, global, string.Empty, new Dictionary<string, string>(StringComparer.Ordinal), context, 0);
        plan?.Complete();
        return result;
    }

    /// <summary>Fills the top-level scope: every <c>.param</c>, then the values set from outside.</summary>
    public static void FillTop(Netlist netlist, IReadOnlyDictionary<string, double> overrides, ParameterScope global)
    {
        foreach (ParameterAssignment p in netlist.Top.Parameters)
        {
            global.Define(p.Name, p.Value, p.Location);
        }

        foreach (KeyValuePair<string, double> kv in overrides)
        {
            global.SetValue(kv.Key, kv.Value);
        }
    }

    /// <summary>
    /// Fills a subcircuit instance's scope: the definition's defaults, the instance's values (evaluated where the
    /// instance is written, then fixed for the body), then the body's <c>.param</c> lines.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FillScope(ParameterScope inner, ParameterScope scope, SubcircuitDefinition def, ElementStatement e)
    {
        foreach (ParameterAssignment d in def.DefaultParameters)
        {
            inner.Define(d.Name, d.Value, d.Location);
        }

        NamedValues<Expression> values = e.NamedParameters;
        for (int i = 0; i < values.Count; i++)
        {
            string name = values.KeyAt(i);
            if (!HasDefault(def, name))
            {
                throw new SpiceParseException(e.Location, $"{e.Name}: subcircuit '{def.Name}' has no parameter '{name}'");
            }

            inner.SetValue(name, ParameterScope.Evaluate(values.ValueAt(i), scope, e.Location));
        }

        foreach (ParameterAssignment p in def.Body.Parameters)
        {
            inner.Define(p.Name, p.Value, p.Location);
        }
    }

    private static bool HasDefault(SubcircuitDefinition def, string name)
    {
        foreach (ParameterAssignment d in def.DefaultParameters)
        {
            if (d.Name == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Evaluates one device line in its scope: the numbers a device is built from. <paramref name="name"/>,
    /// <paramref name="nodes"/> and <paramref name="reference"/> are the flattened ones.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ResolvedElement ResolveLeaf(ElementStatement e, ParameterScope scope, string name, string[] nodes, string? reference, ResolvedModel? model)
    {
        NamedValues<Expression> named = e.NamedParameters;
        var parameters = new NamedValues<double>(named.Count);
        for (int i = 0; i < named.Count; i++)
        {
            parameters.Set(named.KeyAt(i), ParameterScope.Evaluate(named.ValueAt(i), scope, e.Location));
        }

        (double, double)? ac = null;
        if (e.Ac is (Expression mag, Expression phase))
        {
            ac = (ParameterScope.Evaluate(mag, scope, e.Location), ParameterScope.Evaluate(phase, scope, e.Location));
        }

        (string, double[])? waveform = null;
        if (e.Waveform is SourceWaveform w)
        {
            double[] arguments = new double[w.Arguments.Count];
            for (int i = 0; i < arguments.Length; i++)
            {
                arguments[i] = ParameterScope.Evaluate(w.Arguments[i], scope, e.Location);
            }

            waveform = (w.Kind, arguments);
        }

        return new ResolvedElement
        {
            Name = name,
            LocalName = e.Name,
            Nodes = nodes,
            Value = e.Value is null ? null : ParameterScope.Evaluate(e.Value, scope, e.Location),
            Parameters = parameters,
            Flags = e.Flags,
            Reference = reference,
            Model = model,
            Ac = ac,
            Waveform = waveform,
            Location = e.Location,
        };
    }

    /// <summary>Evaluates a model card's parameters in a scope.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ResolvedModel ResolveCard(ModelStatement m, ParameterScope scope)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (ParameterAssignment p in m.Parameters)
        {
            values[p.Name] = ParameterScope.Evaluate(p.Value, scope, p.Location);
        }

        return new ResolvedModel(m.Name, m.Type, values, m.Location);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Expand(
        CircuitBody body,
        List<CircuitBody> lexical,
        ParameterScope scope,
        string path,
        Dictionary<string, string> portMap,
        ExpandContext context,
        int depth)
    {
        string MapNode(string node)
        {
            if (UnknownTable.IsGround(node))
            {
                return "0";
            }

            if (portMap.TryGetValue(node, out string? mapped))
            {
                return mapped;
            }

            if (context.Globals.Contains(node))
            {
                return node;
            }

            return path.Length == 0 ? node : path + "." + node;
        }

        string MapName(string local) => path.Length == 0 ? local : $"{local[0]}.{path}.{local}";

        // Within one body and scope a model name always resolves to the same card: look each name up once here (a flat
        // deck resolves its two models once instead of once per MOSFET).
        List<(string Name, ResolvedModel Model, int Card)>? models = null;

        foreach (ElementStatement e in body.Elements)
        {
            if (e.Kind == 'x')
            {
                SubcircuitDefinition def = FindSubcircuit(e, lexical);
                if (depth >= MaxDepth)
                {
                    throw new SpiceParseException(e.Location, $"{e.Name}: subcircuits nested deeper than {MaxDepth} (recursive definition of '{def.Name}'?)");
                }

                if (def.Ports.Count != e.Nodes.Count)
                {
                    throw new SpiceParseException(e.Location, $"{e.Name}: subcircuit '{def.Name}' has {def.Ports.Count} ports, instance gives {e.Nodes.Count} nodes");
                }

                var inner = new ParameterScope(scope);
                FillScope(inner, scope, def, e);
                context.Plan?.AddScope(inner, scope, def, e);
                var ports = new Dictionary<string, string>(StringComparer.Ordinal);
                for (int i = 0; i < def.Ports.Count; i++)
                {
                    ports[def.Ports[i]] = MapNode(e.Nodes[i]);
                }

                string innerPath = path.Length == 0 ? e.Name : path + "." + e.Name;
                var innerLexical = new List<CircuitBody>(lexical) { def.Body };
                Expand(def.Body, innerLexical, inner, innerPath, ports, context, depth + 1);
                continue;
            }

            ResolvedModel? model = null;
            int card = -1;
            if (e.Kind is 'd' or 'm')
            {
                models ??= [];
                foreach ((string name, ResolvedModel m, int c) in models)
                {
                    if (name == e.Reference)
                    {
                        (model, card) = (m, c);
                        break;
                    }
                }

                if (model is null)
                {
                    (model, card) = ResolveModel(e, lexical, scope, context);
                    models.Add((e.Reference ?? string.Empty, model, card));
                }
            }

            string[] nodes = new string[e.Nodes.Count];
            for (int i = 0; i < nodes.Length; i++)
            {
                nodes[i] = MapNode(e.Nodes[i]);
            }

            ResolvedElement resolved = ResolveLeaf(
                e,
                scope,
                MapName(e.Name),
                nodes,
                e.Kind is 'f' or 'h' && e.Reference is string r ? MapName(r) : e.Reference,
                model);
            context.Plan?.AddElement(context.Result.Count, e, scope, resolved, card);
            context.Result.Add(resolved);
        }
    }

    private static SubcircuitDefinition FindSubcircuit(ElementStatement e, List<CircuitBody> lexical)
    {
        string name = e.Reference ?? string.Empty;
        for (int i = lexical.Count - 1; i >= 0; i--)
        {
            if (lexical[i].Subcircuits.TryGetValue(name, out SubcircuitDefinition? def))
            {
                return def;
            }
        }

        throw new SpiceParseException(e.Location, $"{e.Name}: subcircuit '{name}' is not defined");
    }

    /// <summary>
    /// Finds the model an element names (innermost definition first) and evaluates its parameters in the element's
    /// scope; one evaluation per model and scope is shared by all the elements that use it.
    /// </summary>
    private static (ResolvedModel Model, int Card) ResolveModel(ElementStatement e, List<CircuitBody> lexical, ParameterScope scope, ExpandContext context)
    {
        ModelCache cache = context.Models;
        string name = e.Reference ?? string.Empty;
        for (int i = lexical.Count - 1; i >= 0; i--)
        {
            if (lexical[i].Models.TryGetValue(name, out ModelStatement? m))
            {
                // The card's values depend only on the parameters it reads; the innermost scope defining one of them
                // decides them, so every instance below that scope shares one resolved card (and one interpreted
                // model): a card of plain numbers is resolved once per build, not once per subcircuit instance.
                ParameterScope owner = DecidingScope(m, scope, cache);
                if (cache.Resolved.TryGetValue((m, owner), out (ResolvedModel Model, int Card) known))
                {
                    return known;
                }

                ResolvedModel resolved = ResolveCard(m, scope);
                int card = context.Plan?.AddCard(m, scope, resolved) ?? -1;
                cache.Resolved[(m, owner)] = (resolved, card);
                return (resolved, card);
            }
        }

        throw new SpiceParseException(e.Location, $"{e.Name}: model '{name}' is not defined");
    }

    /// <summary>
    /// The innermost scope, from the element's outwards, that defines a parameter the card reads (the top-level scope
    /// when none does): evaluating the card there gives exactly the values it has in the element's scope.
    /// </summary>
    private static ParameterScope DecidingScope(ModelStatement m, ParameterScope scope, ModelCache cache)
    {
        if (!cache.Names.TryGetValue(m, out HashSet<string>? names))
        {
            names = new HashSet<string>(StringComparer.Ordinal);
            foreach (ParameterAssignment p in m.Parameters)
            {
                p.Value.CollectNames(names);
            }

            cache.Names[m] = names;
        }

        ParameterScope s = scope;
        while (s.Parent is ParameterScope parent)
        {
            foreach (string n in names)
            {
                if (s.IsDefinedHere(n))
                {
                    return s;
                }
            }

            s = parent;
        }

        return s;
    }

    /// <summary>Resolved cards per (card, deciding scope) and the parameter names each card reads.</summary>
    private sealed class ModelCache
    {
        public Dictionary<(ModelStatement, ParameterScope), (ResolvedModel Model, int Card)> Resolved { get; } = [];

        public Dictionary<ModelStatement, HashSet<string>> Names { get; } = [];
    }

    /// <summary>What every level of the expansion shares.</summary>
    private sealed record ExpandContext(IReadOnlySet<string> Globals, ModelCache Models, List<ResolvedElement> Result, ElaborationPlan? Plan);
}
