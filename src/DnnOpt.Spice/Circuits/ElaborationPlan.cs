using System.Runtime.CompilerServices;
using DnnOpt.Spice.Expressions;
using DnnOpt.Spice.Netlists;

namespace DnnOpt.Spice.Circuits;

/// <summary>
/// What a new set of top-level parameter values touches, resolved once per full build: for every top-level
/// <c>.param</c>, the subcircuit-instance scopes whose definitions read it (directly or through other parameters and
/// subcircuit instance values), the model cards whose values read it, and the flattened elements whose values read it
/// (directly, through their scope, or through their card). <see cref="Circuit.SetParameters"/> re-evaluates exactly
/// those, in the order a full elaboration evaluates them, so the numbers are the same as a fresh build's.
/// Dependencies are taken from the names an expression mentions, every branch of a conditional included: a superset
/// of what an evaluation reads, so an element is sometimes re-evaluated to the same value, never missed.
/// </summary>
internal sealed class ElaborationPlan
{
    private readonly Dictionary<string, int> _topIndex = new(StringComparer.Ordinal);
    private readonly List<ScopeRecord> _scopes = [];
    private readonly Dictionary<ParameterScope, ScopeRecord> _scopeOf = new(ReferenceEqualityComparer.Instance);
    private readonly List<CardRecord> _cards = [];
    private readonly List<ElementRecord> _elements = [];
    private readonly Dictionary<(ParameterScope Scope, string Name), ulong[]> _resolved = [];
    private readonly HashSet<(ParameterScope Scope, string Name)> _resolving = [];
    private readonly ParameterScope _top;
    private readonly Netlist _netlist;
    private int _words;

    // Per top-level parameter: ids of the scopes, cards and elements to re-evaluate when it changes (ascending).
    private int[][] _scopesByParameter = [];
    private int[][] _cardsByParameter = [];
    private int[][] _elementsByParameter = [];

    // Reusable marks for unions (a stamp per id, so nothing is cleared between designs).
    private int[] _scopeMark = [];
    private int[] _cardMark = [];
    private int[] _elementMark = [];
    private int _stamp;

    public ElaborationPlan(Netlist netlist, ParameterScope top)
    {
        _netlist = netlist;
        _top = top;
        foreach (ParameterAssignment p in netlist.Top.Parameters)
        {
            _topIndex.TryAdd(p.Name, _topIndex.Count);
        }

        _words = Math.Max(1, (_topIndex.Count + 63) / 64);
    }

    /// <summary>Elements whose values may change with some top-level parameter (the others never do).</summary>
    public IReadOnlyList<ElementRecord> Elements => _elements;

    /// <summary>Model cards whose values may change with some top-level parameter.</summary>
    public IReadOnlyList<CardRecord> Cards => _cards;

    /// <summary>Registers a subcircuit-instance scope and how it is filled (in elaboration order: parents first).</summary>
    internal void AddScope(ParameterScope scope, ParameterScope parent, SubcircuitDefinition definition, ElementStatement instance)
    {
        var record = new ScopeRecord(scope, parent, definition, instance);
        _scopeOf[scope] = record;
        _scopes.Add(record);
    }

    /// <summary>Registers a resolved card (once per card and deciding scope); returns its id.</summary>
    internal int AddCard(ModelStatement statement, ParameterScope evaluatedIn, ResolvedModel resolved)
    {
        _cards.Add(new CardRecord(statement, evaluatedIn, resolved));
        return _cards.Count - 1;
    }

    /// <summary>Registers a flattened element (in device order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void AddElement(int index, ElementStatement statement, ParameterScope scope, ResolvedElement resolved, int card)
    {
        _elements.Add(new ElementRecord(index, statement, scope, resolved.Name, resolved.Nodes, resolved.Reference, card));
    }

    /// <summary>
    /// Computes every dependency, keeps only the scopes, cards and elements that depend on some parameter, and builds
    /// the per-parameter lists. Called once after the elaboration that registered them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Complete()
    {
        int n = _topIndex.Count;
        var scopes = new List<int>[n];
        var cards = new List<int>[n];
        var elements = new List<int>[n];
        for (int i = 0; i < n; i++)
        {
            scopes[i] = [];
            cards[i] = [];
            elements[i] = [];
        }

        // Keep the scopes whose bindings depend on something (parents before children, as registered).
        var keptScopes = new List<ScopeRecord>();
        foreach (ScopeRecord r in _scopes)
        {
            ulong[] bits = new ulong[_words];
            foreach ((string _, (Expression expression, ParameterScope evaluatedIn)) in r.Bindings())
            {
                Or(bits, ExpressionDependencies(expression, evaluatedIn));
            }

            if (!IsEmpty(bits))
            {
                AddTo(scopes, bits, keptScopes.Count);
                keptScopes.Add(r);
            }
        }

        var cardBits = new ulong[_cards.Count][];
        for (int c = 0; c < _cards.Count; c++)
        {
            CardRecord r = _cards[c];
            ulong[] bits = new ulong[_words];
            foreach (ParameterAssignment p in r.Statement.Parameters)
            {
                Or(bits, ExpressionDependencies(p.Value, r.EvaluatedIn));
            }

            cardBits[c] = bits;
            AddTo(cards, bits, c);
        }

        // Keep the elements that depend on something; their ids become positions in the kept list. One scratch set and
        // one scratch mask serve every element (a flat deck has as many statements as elements).
        var kept = new List<ElementRecord>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        ulong[] mask = new ulong[_words];
        foreach (ElementRecord r in _elements)
        {
            Array.Clear(mask);
            names.Clear();
            CollectNames(r.Statement, names);
            foreach (string name in names)
            {
                Or(mask, NameDependencies(r.Scope, name));
            }

            if (r.Card >= 0)
            {
                Or(mask, cardBits[r.Card]);
            }

            if (IsEmpty(mask))
            {
                continue;
            }

            AddTo(elements, mask, kept.Count);
            kept.Add(r);
        }

        _elements.Clear();
        _elements.AddRange(kept);
        _scopes.Clear();
        _scopes.AddRange(keptScopes);
        _scopesByParameter = [.. scopes.Select(l => l.ToArray())];
        _cardsByParameter = [.. cards.Select(l => l.ToArray())];
        _elementsByParameter = [.. elements.Select(l => l.ToArray())];
        _scopeMark = new int[_scopes.Count];
        _cardMark = new int[_cards.Count];
        _elementMark = new int[_elements.Count];

        // Only the lists are needed from here on.
        _resolved.Clear();
        _scopeOf.Clear();
    }

    /// <summary>Index of a top-level parameter (or -1).</summary>
    public int ParameterIndex(string name) => _topIndex.TryGetValue(name, out int i) ? i : -1;

    /// <summary>The scopes, cards and elements to re-evaluate when the given parameters change, each ascending.</summary>
    public (List<ScopeRecord> Scopes, List<int> Cards, List<ElementRecord> Elements) Affected(IReadOnlyList<int> changed)
    {
        _stamp++;
        var scopeIds = new List<int>();
        var cardIds = new List<int>();
        var elementIds = new List<int>();
        foreach (int p in changed)
        {
            Collect(_scopesByParameter[p], _scopeMark, scopeIds);
            Collect(_cardsByParameter[p], _cardMark, cardIds);
            Collect(_elementsByParameter[p], _elementMark, elementIds);
        }

        scopeIds.Sort();
        cardIds.Sort();
        elementIds.Sort();
        return ([.. scopeIds.Select(i => _scopes[i])], cardIds, [.. elementIds.Select(i => _elements[i])]);
    }

    private void Collect(int[] ids, int[] mark, List<int> into)
    {
        foreach (int id in ids)
        {
            if (mark[id] != _stamp)
            {
                mark[id] = _stamp;
                into.Add(id);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CollectNames(ElementStatement e, HashSet<string> names)
    {
        e.Value?.CollectNames(names);
        NamedValues<Expression> named = e.NamedParameters;
        for (int i = 0; i < named.Count; i++)
        {
            named.ValueAt(i).CollectNames(names);
        }

        if (e.Ac is (Expression mag, Expression phase))
        {
            mag.CollectNames(names);
            phase.CollectNames(names);
        }

        if (e.Waveform is SourceWaveform w)
        {
            foreach (Expression a in w.Arguments)
            {
                a.CollectNames(names);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ulong[] ExpressionDependencies(Expression e, ParameterScope scope)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        e.CollectNames(names);
        ulong[] bits = new ulong[_words];
        foreach (string n in names)
        {
            Or(bits, NameDependencies(scope, n));
        }

        return bits;
    }

    /// <summary>The top-level parameters a name read in <paramref name="scope"/> depends on (memoised).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ulong[] NameDependencies(ParameterScope scope, string name)
    {
        // The scope that defines the name decides its value; walk out to it as ParameterScope.TryGetValue does.
        ParameterScope? s = scope;
        while (s is not null && !s.IsDefinedHere(name))
        {
            s = s.Parent;
        }

        if (s is null)
        {
            return new ulong[_words];
        }

        if (_resolved.TryGetValue((s, name), out ulong[]? known))
        {
            return known;
        }

        ulong[] bits = new ulong[_words];
        if (!_resolving.Add((s, name)))
        {
            // A cycle through an untaken branch of a conditional (a real one fails when the deck is built); the names
            // on the cycle are already being collected by the outer call.
            return bits;
        }

        try
        {
            if (ReferenceEquals(s, _top))
            {
                if (_topIndex.TryGetValue(name, out int index))
                {
                    bits[index / 64] |= 1UL << (index % 64);
                }

                // Its definition too: while it is not overridden it follows the parameters it is defined from.
                foreach (ParameterAssignment p in _netlist.Top.Parameters)
                {
                    if (p.Name == name)
                    {
                        Or(bits, ExpressionDependencies(p.Value, _top));
                    }
                }
            }
            else if (_scopeOf.TryGetValue(s, out ScopeRecord? record) && record.Binding(name) is (Expression expression, ParameterScope evaluatedIn))
            {
                Or(bits, ExpressionDependencies(expression, evaluatedIn));
            }
        }
        finally
        {
            _resolving.Remove((s, name));
        }

        _resolved[(s, name)] = bits;
        return bits;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddTo(List<int>[] lists, ulong[] bits, int id)
    {
        for (int w = 0; w < bits.Length; w++)
        {
            ulong b = bits[w];
            while (b != 0)
            {
                int bit = System.Numerics.BitOperations.TrailingZeroCount(b);
                lists[(w * 64) + bit].Add(id);
                b &= b - 1;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Or(ulong[] into, ulong[] from)
    {
        for (int i = 0; i < into.Length; i++)
        {
            into[i] |= from[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool IsEmpty(ulong[] bits)
    {
        foreach (ulong b in bits)
        {
            if (b != 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A subcircuit-instance scope and how the elaboration filled it: the definition's defaults, then the instance's
    /// values (evaluated in the parent scope), then the body's <c>.param</c> lines (a later one of a name wins).
    /// </summary>
    internal sealed class ScopeRecord(ParameterScope scope, ParameterScope parent, SubcircuitDefinition definition, ElementStatement instance)
    {
        public ParameterScope Scope { get; } = scope;

        public ParameterScope Parent { get; } = parent;

        public SubcircuitDefinition Definition { get; } = definition;

        public ElementStatement Instance { get; } = instance;

        /// <summary>Every binding in the order the elaboration makes it: name, expression, scope it is evaluated in.</summary>
        public IEnumerable<(string Name, (Expression Expression, ParameterScope EvaluatedIn) Binding)> Bindings()
        {
            foreach (ParameterAssignment d in Definition.DefaultParameters)
            {
                yield return (d.Name, (d.Value, Scope));
            }

            foreach (KeyValuePair<string, Expression> kv in Instance.Parameters)
            {
                yield return (kv.Key, (kv.Value, Parent));
            }

            foreach (ParameterAssignment p in Definition.Body.Parameters)
            {
                yield return (p.Name, (p.Value, Scope));
            }
        }

        /// <summary>The binding that decides a name's value in this scope (the last one made), or null.</summary>
        public (Expression Expression, ParameterScope EvaluatedIn)? Binding(string name)
        {
            (Expression, ParameterScope)? last = null;
            foreach ((string n, (Expression, ParameterScope) b) in Bindings())
            {
                if (n == name)
                {
                    last = b;
                }
            }

            return last;
        }

        /// <summary>Fills the scope again exactly as the elaboration did, with the present parameter values.</summary>
        public void Refill()
        {
            Scope.Clear();
            Elaborator.FillScope(Scope, Parent, Definition, Instance);
        }
    }

    /// <summary>A resolved model card: where it was evaluated and its present values.</summary>
    internal sealed class CardRecord(ModelStatement statement, ParameterScope evaluatedIn, ResolvedModel resolved)
    {
        public ModelStatement Statement { get; } = statement;

        public ParameterScope EvaluatedIn { get; } = evaluatedIn;

        public ResolvedModel Resolved { get; set; } = resolved;
    }

    /// <summary>A flattened element whose values depend on top-level parameters.</summary>
    internal sealed class ElementRecord(int device, ElementStatement statement, ParameterScope scope, string name, string[] nodes, string? reference, int card)
    {
        /// <summary>Position of the element among the build's devices.</summary>
        public int Device { get; } = device;

        public ElementStatement Statement { get; } = statement;

        public ParameterScope Scope { get; } = scope;

        public string Name { get; } = name;

        public string[] Nodes { get; } = nodes;

        public string? Reference { get; } = reference;

        /// <summary>Id of its card record, or -1 (no card).</summary>
        public int Card { get; } = card;
    }
}
