using DnnOpt.Spice.Algebra;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Devices.Controlled;

/// <summary>E: V(n+) - V(n-) = gain (V(nc+) - V(nc-)), with a branch current unknown.</summary>
internal sealed partial class Vcvs : IDevice
{
    private static readonly string[] Quantities = ["i", "gain"];
    private readonly string[] _nodeNames;
    private double _gain;
    private int _p;
    private int _n;
    private int _cp;
    private int _cn;
    private int _k;
    private BranchStamp _stamp;
    private int _kcp;
    private int _kcn;

    public Vcvs(ResolvedElement e)
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
        e.CheckParameters();
        _gain = e.Value ?? 0;
    }

    public string Name { get; }

    public IReadOnlyList<string> QuantityNames => Quantities;

    public int BranchIndex => _k;

    public void AllocateUnknowns(UnknownTable unknowns)
    {
        _p = unknowns.Node(_nodeNames[0]);
        _n = unknowns.Node(_nodeNames[1]);
        _cp = unknowns.Node(_nodeNames[2]);
        _cn = unknowns.Node(_nodeNames[3]);
        _k = unknowns.Branch(Name);
    }

    public void AllocateSlots(MatrixStructureBuilder matrix)
    {
        _stamp = new BranchStamp(matrix, _p, _n, _k);
        _kcp = matrix.GetSlot(_k, _cp);
        _kcn = matrix.GetSlot(_k, _cn);
    }

    public void Load(LoadContext context)
    {
        _stamp.Load(context.Matrix);
        context.AddMatrix(_kcp, -_gain);
        context.AddMatrix(_kcn, _gain);
    }

    public bool TryGetQuantity(string name, ReadOnlySpan<double> solution, out double value)
    {
        value = name switch { "i" => solution[_k], "gain" => _gain, _ => double.NaN };
        return !double.IsNaN(value);
    }
}

/// <summary>G: a current gm (V(nc+) - V(nc-)) flows from n+ through the source to n-.</summary>
internal sealed partial class Vccs : IDevice
{
    private static readonly string[] Quantities = ["i", "gm"];
    private readonly string[] _nodeNames;
    private double _gm;
    private int _p;
    private int _n;
    private int _cp;
    private int _cn;
    private int _pcp;
    private int _pcn;
    private int _ncp;
    private int _ncn;

    public Vccs(ResolvedElement e)
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
        e.CheckParameters("m");
        _gm = (e.Value ?? 0) * e.Get("m", 1);
    }

    public string Name { get; }

    public IReadOnlyList<string> QuantityNames => Quantities;

    public void AllocateUnknowns(UnknownTable unknowns)
    {
        _p = unknowns.Node(_nodeNames[0]);
        _n = unknowns.Node(_nodeNames[1]);
        _cp = unknowns.Node(_nodeNames[2]);
        _cn = unknowns.Node(_nodeNames[3]);
    }

    public void AllocateSlots(MatrixStructureBuilder matrix)
    {
        _pcp = matrix.GetSlot(_p, _cp);
        _pcn = matrix.GetSlot(_p, _cn);
        _ncp = matrix.GetSlot(_n, _cp);
        _ncn = matrix.GetSlot(_n, _cn);
    }

    public void Load(LoadContext context)
    {
        context.AddMatrix(_pcp, _gm);
        context.AddMatrix(_pcn, -_gm);
        context.AddMatrix(_ncp, -_gm);
        context.AddMatrix(_ncn, _gm);
    }

    public bool TryGetQuantity(string name, ReadOnlySpan<double> solution, out double value)
    {
        double vc = (_cp < 0 ? 0 : solution[_cp]) - (_cn < 0 ? 0 : solution[_cn]);
        value = name switch { "i" => _gm * vc, "gm" => _gm, _ => double.NaN };
        return !double.IsNaN(value);
    }
}

/// <summary>Shared lookup of the controlling voltage source of F and H.</summary>
internal static class ControllingSource
{
    public static int Resolve(ResolvedElement e, IReadOnlyDictionary<string, IDevice> devices)
    {
        string reference = e.Reference ?? string.Empty;
        if (!devices.TryGetValue(reference, out IDevice? d) || d is not Sources.VoltageSource)
        {
            throw new SpiceParseException(e.Location, $"{e.LocalName}: controlling voltage source '{reference}' not found");
        }

        return d.BranchIndex;
    }
}

/// <summary>F: a current gain · I(vcontrol) flows from n+ through the source to n-.</summary>
internal sealed partial class Cccs : IDevice
{
    private static readonly string[] Quantities = ["i", "gain"];
    private readonly ResolvedElement _element;
    private double _gain;
    private int _p;
    private int _n;
    private int _c;
    private int _pc;
    private int _nc;

    public Cccs(ResolvedElement e)
    {
        _element = e;
        Name = e.Name;
        Assign(e);
    }

    public bool TryUpdate(ResolvedElement e, DeviceFactory factory)
    {
        Assign(e);
        return true;
    }

    private void Assign(ResolvedElement e)
    {
        // Only the gain is a value; the controlling source (a name) stays as bound.
        e.CheckParameters("m");
        _gain = (e.Value ?? 0) * e.Get("m", 1);
    }

    public string Name { get; }

    public IReadOnlyList<string> QuantityNames => Quantities;

    public void AllocateUnknowns(UnknownTable unknowns)
    {
        _p = unknowns.Node(_element.Nodes[0]);
        _n = unknowns.Node(_element.Nodes[1]);
    }

    public void Bind(IReadOnlyDictionary<string, IDevice> devices) => _c = ControllingSource.Resolve(_element, devices);

    public void AllocateSlots(MatrixStructureBuilder matrix)
    {
        _pc = matrix.GetSlot(_p, _c);
        _nc = matrix.GetSlot(_n, _c);
    }

    public void Load(LoadContext context)
    {
        context.AddMatrix(_pc, _gain);
        context.AddMatrix(_nc, -_gain);
    }

    public bool TryGetQuantity(string name, ReadOnlySpan<double> solution, out double value)
    {
        value = name switch { "i" => _gain * solution[_c], "gain" => _gain, _ => double.NaN };
        return !double.IsNaN(value);
    }
}

/// <summary>H: V(n+) - V(n-) = r · I(vcontrol), with a branch current unknown.</summary>
internal sealed partial class Ccvs : IDevice
{
    private static readonly string[] Quantities = ["i", "gain"];
    private readonly ResolvedElement _element;
    private double _r;
    private int _p;
    private int _n;
    private int _k;
    private int _c;
    private BranchStamp _stamp;
    private int _kc;

    public Ccvs(ResolvedElement e)
    {
        _element = e;
        Name = e.Name;
        Assign(e);
    }

    public bool TryUpdate(ResolvedElement e, DeviceFactory factory)
    {
        Assign(e);
        return true;
    }

    private void Assign(ResolvedElement e)
    {
        // Only the transresistance is a value; the controlling source (a name) stays as bound.
        e.CheckParameters();
        _r = e.Value ?? 0;
    }

    public string Name { get; }

    public IReadOnlyList<string> QuantityNames => Quantities;

    public int BranchIndex => _k;

    public void AllocateUnknowns(UnknownTable unknowns)
    {
        _p = unknowns.Node(_element.Nodes[0]);
        _n = unknowns.Node(_element.Nodes[1]);
        _k = unknowns.Branch(Name);
    }

    public void Bind(IReadOnlyDictionary<string, IDevice> devices) => _c = ControllingSource.Resolve(_element, devices);

    public void AllocateSlots(MatrixStructureBuilder matrix)
    {
        _stamp = new BranchStamp(matrix, _p, _n, _k);
        _kc = matrix.GetSlot(_k, _c);
    }

    public void Load(LoadContext context)
    {
        _stamp.Load(context.Matrix);
        context.AddMatrix(_kc, -_r);
    }

    public bool TryGetQuantity(string name, ReadOnlySpan<double> solution, out double value)
    {
        value = name switch { "i" => solution[_k], "gain" => _r, _ => double.NaN };
        return !double.IsNaN(value);
    }
}
