using DnnOpt.Spice.Algebra;
using DnnOpt.Spice.Circuits;

namespace DnnOpt.Spice.Devices.Sources;

/// <summary>Independent current source: the value flows from n+ through the source to n- (into n- of the circuit).</summary>
internal sealed partial class CurrentSource : ISweepableSource, ITimeDependentSource
{
    private static readonly string[] Quantities = ["i", "v"];
    private readonly string[] _nodeNames;
    private int _p;
    private int _n;
    private double _multiplier;

    public CurrentSource(ResolvedElement e)
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
        e.CheckParameters("m");
        _multiplier = e.Get("m", 1);
        DcValue = SourceValues.DcValue(e) * _multiplier;
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

    public void AllocateUnknowns(UnknownTable unknowns)
    {
        _p = unknowns.Node(_nodeNames[0]);
        _n = unknowns.Node(_nodeNames[1]);
    }

    public void AllocateSlots(MatrixStructureBuilder matrix)
    {
    }

    public void Load(LoadContext context)
    {
        double i = Value(context) * context.SourceFactor;
        context.AddRhs(_p, -i);
        context.AddRhs(_n, i);
    }

    public bool TryGetQuantity(string name, ReadOnlySpan<double> solution, out double value)
    {
        value = name switch
        {
            "i" or "current" or "dc" => DcValue,
            "v" => (_p < 0 ? 0 : solution[_p]) - (_n < 0 ? 0 : solution[_n]),
            _ => double.NaN,
        };
        return !double.IsNaN(value);
    }
}
