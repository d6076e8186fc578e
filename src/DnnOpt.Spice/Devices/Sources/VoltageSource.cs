using DnnOpt.Spice.Algebra;
using DnnOpt.Spice.Circuits;

namespace DnnOpt.Spice.Devices.Sources;

/// <summary>
/// Independent voltage source: branch current unknown k with V(n+) - V(n-) = value. The current is positive when it
/// flows from n+ through the source to n- (so a supply delivering power reads negative, as in ngspice).
/// </summary>
internal sealed partial class VoltageSource : ISweepableSource, ITimeDependentSource
{
    private static readonly string[] Quantities = ["i", "v", "p"];
    private readonly string[] _nodeNames;
    private int _p;
    private int _n;
    private int _k;
    private BranchStamp _stamp;

    public VoltageSource(ResolvedElement e)
    {
        Name = e.Name;
        _nodeNames = e.Nodes;
        _location = e.Location;
        Assign(e);
    }

    public bool TryUpdate(ResolvedElement e, DeviceFactory factory)
    {
        Assign(e);

        // As a new source: the time function is made again when the next transient starts.
        _waveform = null;
        return true;
    }

    private void Assign(ResolvedElement e)
    {
        e.CheckParameters();
        DcValue = SourceValues.DcValue(e);
        Ac = e.Ac;
        Waveform = e.Waveform;
    }

    public string Name { get; }

    public double DcValue { get; set; }

    /// <summary>AC magnitude and phase in degrees (part 2).</summary>
    public (double Magnitude, double Phase)? Ac { get; private set; }

    /// <summary>Time-domain waveform (part 2).</summary>
    public (string Kind, double[] Arguments)? Waveform { get; private set; }

    public IReadOnlyList<string> QuantityNames => Quantities;

    public int BranchIndex => _k;

    public void AllocateUnknowns(UnknownTable unknowns)
    {
        _p = unknowns.Node(_nodeNames[0]);
        _n = unknowns.Node(_nodeNames[1]);
        _k = unknowns.Branch(Name);
    }

    public void AllocateSlots(MatrixStructureBuilder matrix) => _stamp = new BranchStamp(matrix, _p, _n, _k);

    public void Load(LoadContext context)
    {
        _stamp.Load(context.Matrix);
        context.Rhs[_k] += Value(context) * context.SourceFactor;
    }

    public bool TryGetQuantity(string name, ReadOnlySpan<double> solution, out double value)
    {
        value = name switch
        {
            "i" or "current" => solution[_k],
            "v" or "dc" => DcValue,
            "p" => -DcValue * solution[_k],
            _ => double.NaN,
        };
        return !double.IsNaN(value);
    }
}
