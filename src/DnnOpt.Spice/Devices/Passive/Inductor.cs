using DnnOpt.Spice.Algebra;
using DnnOpt.Spice.Circuits;

namespace DnnOpt.Spice.Devices.Passive;

/// <summary>Linear inductor: a short (0 V branch) for DC analyses, with its current as an unknown; value kept for part 2.</summary>
internal sealed partial class Inductor : IDevice
{
    private static readonly string[] Quantities = ["i", "l"];
    private readonly string[] _nodeNames;
    private int _p;
    private int _n;
    private int _k;
    private BranchStamp _stamp;

    public Inductor(ResolvedElement e)
    {
        Name = e.Name;
        _nodeNames = e.Nodes;
        Assign(e);
    }

    public bool TryUpdate(ResolvedElement e, DeviceFactory factory)
    {
        Assign(e);
        return true;
    }

    private void Assign(ResolvedElement e)
    {
        e.CheckParameters("m", "ic");
        Inductance = (e.Value ?? 0) / e.Get("m", 1);
        InitialCurrent = e.Has("ic") ? e.Get("ic", 0) : null;
    }

    public string Name { get; }

    public IReadOnlyList<string> QuantityNames => Quantities;

    /// <summary>Inductance divided by m, in henries.</summary>
    public double Inductance { get; private set; }

    /// <summary>The <c>ic=</c> current in amperes, when given.</summary>
    public double? InitialCurrent { get; private set; }

    public int BranchIndex => _k;

    public void AllocateUnknowns(UnknownTable unknowns)
    {
        _p = unknowns.Node(_nodeNames[0]);
        _n = unknowns.Node(_nodeNames[1]);
        _k = unknowns.Branch(Name);
    }

    /// <summary>The branch-equation diagonal slot (k, k) where the AC (-jωL) and transient (-Req) loads write.</summary>
    internal int BranchDiagonalSlot { get; private set; } = -1;

    public void AllocateSlots(MatrixStructureBuilder matrix)
    {
        _stamp = new BranchStamp(matrix, _p, _n, _k);
        BranchDiagonalSlot = matrix.GetSlot(_k, _k);
    }

    public void Load(LoadContext context)
    {
        _stamp.Load(context.Matrix);
        if (context.Analysis != AnalysisMode.Dc)
        {
            LoadTransient(context);
        }
    }

    public bool TryGetQuantity(string name, ReadOnlySpan<double> solution, out double value)
    {
        value = name switch
        {
            "i" => solution[_k],
            "l" or "inductance" => Inductance,
            _ => double.NaN,
        };
        return !double.IsNaN(value);
    }
}
