using System.Runtime.CompilerServices;
using DnnOpt.Spice.Algebra;

namespace DnnOpt.Spice.Devices;

/// <summary>The four slots of a two-terminal conductance between nodes p and n (-1 = ground).</summary>
internal readonly struct ConductanceStamp
{
    private readonly int _pp;
    private readonly int _pn;
    private readonly int _np;
    private readonly int _nn;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ConductanceStamp(MatrixStructureBuilder m, int p, int n)
    {
        _pp = m.GetSlot(p, p);
        _pn = m.GetSlot(p, n);
        _np = m.GetSlot(n, p);
        _nn = m.GetSlot(n, n);
    }

    public void Load(double[] values, double g)
    {
        Add(values, _pp, g);
        Add(values, _pn, -g);
        Add(values, _np, -g);
        Add(values, _nn, g);
    }

    private static void Add(double[] v, int slot, double x)
    {
        if (slot >= 0)
        {
            v[slot] += x;
        }
    }
}

/// <summary>Slots of a branch-current unknown k tied to nodes p and n: KCL columns and the branch-equation row.</summary>
internal readonly struct BranchStamp
{
    private readonly int _pk;
    private readonly int _nk;
    private readonly int _kp;
    private readonly int _kn;

    public BranchStamp(MatrixStructureBuilder m, int p, int n, int k)
    {
        _pk = m.GetSlot(p, k);
        _nk = m.GetSlot(n, k);
        _kp = m.GetSlot(k, p);
        _kn = m.GetSlot(k, n);
    }

    /// <summary>Adds +I at node p, -I at node n (current flows p to n through the element) and V(p)-V(n) in row k.</summary>
    public void Load(double[] values)
    {
        Add(values, _pk, 1);
        Add(values, _nk, -1);
        Add(values, _kp, 1);
        Add(values, _kn, -1);
    }

    private static void Add(double[] v, int slot, double x)
    {
        if (slot >= 0)
        {
            v[slot] += x;
        }
    }
}
