using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Circuits;

/// <summary>
/// Finds, before any matrix is built, the two structural faults that make the DC matrix singular and reports them by
/// name: a node without a DC path to ground (only capacitors, current sources, gates or controlling inputs touch it),
/// and a loop made only of voltage-defined branches (V, E, H outputs and inductors, which are shorts at DC).
/// </summary>
internal static class TopologyCheck
{
    public static void Run(IReadOnlyList<ResolvedElement> elements)
    {
        var path = new UnionFind();
        var voltage = new UnionFind();
        var firstUse = new Dictionary<string, ResolvedElement>(StringComparer.Ordinal);
        foreach (ResolvedElement e in elements)
        {
            foreach (string n in e.Nodes)
            {
                firstUse.TryAdd(n, e);
            }

            switch (e.Kind)
            {
                case 'r':
                case 'd':
                    path.Union(e.Nodes[0], e.Nodes[1]);
                    break;
                case 'v':
                case 'l':
                case 'e':
                case 'h':
                    path.Union(e.Nodes[0], e.Nodes[1]);
                    if (!voltage.Union(e.Nodes[0], e.Nodes[1]))
                    {
                        throw new SpiceParseException(e.Location, $"{e.Name}: loop of voltage sources/inductors between nodes '{e.Nodes[0]}' and '{e.Nodes[1]}' (the DC matrix would be singular)");
                    }

                    break;
                case 'm':
                    // Channel and bulk junctions conduct; the gate does not.
                    path.Union(e.Nodes[0], e.Nodes[2]);
                    path.Union(e.Nodes[0], e.Nodes[3]);
                    break;
                default:
                    break;
            }
        }

        foreach (KeyValuePair<string, ResolvedElement> kv in firstUse)
        {
            if (kv.Key != "0" && !path.Connected(kv.Key, "0"))
            {
                throw new SpiceParseException(kv.Value.Location, $"node '{kv.Key}' has no DC path to ground (floating node; first used by {kv.Value.Name})");
            }
        }
    }

    private sealed class UnionFind
    {
        private readonly Dictionary<string, string> _parent = new(StringComparer.Ordinal);

        private string Find(string x)
        {
            if (!_parent.TryGetValue(x, out string? p))
            {
                _parent[x] = x;
                return x;
            }

            if (p == x)
            {
                return x;
            }

            string root = Find(p);
            _parent[x] = root;
            return root;
        }

        /// <summary>Joins two nodes; false when they were already connected.</summary>
        public bool Union(string a, string b)
        {
            string ra = Find(a);
            string rb = Find(b);
            if (ra == rb)
            {
                return false;
            }

            _parent[ra] = rb;
            return true;
        }

        public bool Connected(string a, string b) => Find(a) == Find(b);
    }
}
