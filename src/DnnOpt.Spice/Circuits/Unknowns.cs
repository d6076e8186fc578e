using System.Runtime.CompilerServices;

namespace DnnOpt.Spice.Circuits;

/// <summary>What an MNA unknown measures, which decides its convergence tolerance (vntol or abstol).</summary>
public enum UnknownKind
{
    /// <summary>A node voltage in volts.</summary>
    Voltage,

    /// <summary>A branch current in amperes (voltage sources, inductors, E and H).</summary>
    Current,
}

/// <summary>The table of MNA unknowns: circuit nodes first, then internal nodes and branch currents as devices ask.</summary>
internal sealed class UnknownTable
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];
    private readonly List<UnknownKind> _kinds = [];

    public int Count => _names.Count;

    public IReadOnlyList<string> Names => _names;

    public IReadOnlyList<UnknownKind> Kinds => _kinds;

    public static bool IsGround(string node) => node is "0" or "gnd";

    /// <summary>Index of a circuit node, creating it on first use; ground is -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Node(string name)
    {
        if (IsGround(name))
        {
            return -1;
        }

        if (!_index.TryGetValue(name, out int i))
        {
            i = Add(name, UnknownKind.Voltage);
        }

        return i;
    }

    public bool TryGet(string name, out int index) => _index.TryGetValue(name, out index);

    /// <summary>An internal node of a device (e.g. the drain behind RD), named like ngspice: <c>m1#drain</c>.</summary>
    public int Internal(string device, string suffix) => Add(device + "#" + suffix, UnknownKind.Voltage);

    /// <summary>A branch current unknown, named like ngspice: <c>v1#branch</c>.</summary>
    public int Branch(string device) => Add(device + "#branch", UnknownKind.Current);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Add(string name, UnknownKind kind)
    {
        int i = _names.Count;
        _index.Add(name, i);
        _names.Add(name);
        _kinds.Add(kind);
        return i;
    }
}
