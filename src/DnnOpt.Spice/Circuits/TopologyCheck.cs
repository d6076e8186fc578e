using System.Runtime.CompilerServices;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Circuits;

/// <summary>
/// Finds, before any matrix is built, the two structural faults that make the DC matrix singular and reports them by
/// name: a node without a DC path to ground (only capacitors, current sources, gates or controlling inputs touch it),
/// and a loop made only of voltage-defined branches (V, E, H outputs and inductors, which are shorts at DC).
/// </summary>
internal static class TopologyCheck
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(IReadOnlyList<ResolvedElement> elements)
    {
        // Nodes are numbered in order of first use (ground included if used), so the union-finds are integer arrays.
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var firstUse = new List<ResolvedElement>();
        int[] Nodes(ResolvedElement e)
        {
            int[] n = new int[e.Nodes.Length];
            for (int i = 0; i < n.Length; i++)
            {
                if (!ids.TryGetValue(e.Nodes[i], out n[i]))
                {
                    n[i] = ids.Count;
                    ids.Add(e.Nodes[i], n[i]);
                    firstUse.Add(e);
                }
            }

            return n;
        }

        var path = new UnionFind(elements.Count);
        var voltage = new UnionFind(elements.Count);
        foreach (ResolvedElement e in elements)
        {
            int[] n = Nodes(e);
            switch (e.Kind)
            {
                case 'r':
                case 'd':
                    path.Union(n[0], n[1]);
                    break;
                case 'v':
                case 'l':
                case 'e':
                case 'h':
                    path.Union(n[0], n[1]);
                    if (!voltage.Union(n[0], n[1]))
                    {
                        throw new SpiceParseException(e.Location, $"{e.Name}: loop of voltage sources/inductors between nodes '{e.Nodes[0]}' and '{e.Nodes[1]}' (the DC matrix would be singular)");
                    }

                    break;
                case 'm':
                    // Channel and bulk junctions conduct; the gate does not.
                    path.Union(n[0], n[2]);
                    path.Union(n[0], n[3]);
                    break;
                default:
                    break;
            }
        }

        int used = ids.Count;
        int ground = ids.TryGetValue("0", out int g) ? g : used;
        string[] names = new string[used];
        foreach (KeyValuePair<string, int> kv in ids)
        {
            names[kv.Value] = kv.Key;
        }

        for (int i = 0; i < used; i++)
        {
            if (i != ground && !path.Connected(i, ground))
            {
                throw new SpiceParseException(firstUse[i].Location, $"node '{names[i]}' has no DC path to ground (floating node; first used by {firstUse[i].Name})");
            }
        }
    }

    /// <summary>Disjoint sets over node numbers, grown on demand (path halving).</summary>
    private sealed class UnionFind(int capacity)
    {
        private int[] _parent = new int[Math.Max(4, capacity)];
        private int _count;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int Find(int x)
        {
            Grow(x);
            while (_parent[x] != x)
            {
                _parent[x] = _parent[_parent[x]];
                x = _parent[x];
            }

            return x;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Grow(int x)
        {
            if (x >= _parent.Length)
            {
                Array.Resize(ref _parent, Math.Max(x + 1, 2 * _parent.Length));
            }

            for (; _count <= x; _count++)
            {
                _parent[_count] = _count;
            }
        }

        /// <summary>Joins two nodes; false when they were already connected.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool Union(int a, int b)
        {
            int ra = Find(a);
            int rb = Find(b);
            if (ra == rb)
            {
                return false;
            }

            _parent[ra] = rb;
            return true;
        }

        public bool Connected(int a, int b) => Find(a) == Find(b);
    }
}
