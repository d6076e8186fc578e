using DnnOpt.Spice.Algebra;
using DnnOpt.Spice.Circuits;

namespace DnnOpt.Spice.Devices.Sources;

/// <summary>Independent current source: the value flows from n+ through the source to n- (into n- of the circuit).</summary>
internal sealed partial class CurrentSource : ISweepableSource
{
    private static readonly string[] Quantities = ["i", "v"];
    private readonly string[] _nodeNames;
    private int _p;
    private int _n;

    public CurrentSource(ResolvedElement e)
    {
        e.CheckParameters("m");
        Name = e.Name;
        _nodeNames = e.Nodes;
        DcValue = SourceValues.DcValue(e) * e.Get("m", 1);
        Ac = e.Ac;
        Waveform = e.Waveform;
    }

    public string Name { get; }

    public double DcValue { get; set; }

    /// <summary>AC magnitude and phase in degrees (part 2).</summary>
    public (double Magnitude, double Phase)? Ac { get; }

    /// <summary>Time-domain waveform (part 2).</summary>
    public (string Kind, double[] Arguments)? Waveform { get; }

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
        double i = DcValue * context.SourceFactor;
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
