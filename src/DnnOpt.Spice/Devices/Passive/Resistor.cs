using DnnOpt.Spice.Algebra;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Devices.Passive;

/// <summary>
/// Linear resistor: G = m / (R (1 + tc1 dT + tc2 dT²)), dT = T - Tnom (ngspice manual, "Resistors").
/// Quantities: <c>i</c> (A, from n+ to n-), <c>p</c> (W), <c>g</c> (S), <c>r</c> (Ω).
/// </summary>
internal sealed partial class Resistor : IDevice
{
    private static readonly string[] Quantities = ["i", "p", "g", "r"];
    private readonly string[] _nodeNames;
    private double _r;
    private double _m;
    private double _tc1;
    private double _tc2;
    private double _dtemp;
    private int _p;
    private int _n;
    private ConductanceStamp _stamp;
    private double _g;

    public Resistor(ResolvedElement e)
    {
        Name = e.Name;
        _nodeNames = e.Nodes;
        Assign(e);
    }

    public string Name { get; }

    public IReadOnlyList<string> QuantityNames => Quantities;

    public bool TryUpdate(ResolvedElement e, DeviceFactory factory)
    {
        Assign(e);
        return true;
    }

    private void Assign(ResolvedElement e)
    {
        e.CheckParameters("m", "tc1", "tc2", "dtemp");
        _r = e.Value ?? 0;
        _m = e.Get("m", 1);
        _tc1 = e.Get("tc1", 0);
        _tc2 = e.Get("tc2", 0);
        _dtemp = e.Get("dtemp", 0);
        if (!(_r != 0) || !double.IsFinite(_r))
        {
            throw new SpiceParseException(e.Location, $"{e.LocalName}: resistance must be non-zero and finite, got {SpiceNumber.Format(_r)}");
        }

        _g = _m / _r;
    }

    /// <summary>Nominal resistance in ohms (a DC sweep of the resistor sets it; temperature scaling follows).</summary>
    public double Resistance
    {
        get => _r;
        set => _r = value;
    }

    /// <summary>Conductance now in use (after temperature scaling), in siemens.</summary>
    public double Conductance => _g;

    public void AllocateUnknowns(UnknownTable unknowns)
    {
        _p = unknowns.Node(_nodeNames[0]);
        _n = unknowns.Node(_nodeNames[1]);
    }

    public void AllocateSlots(MatrixStructureBuilder matrix) => _stamp = new ConductanceStamp(matrix, _p, _n);

    public void Temperature(double temperature, double nominal)
    {
        double dt = temperature + _dtemp - nominal;
        double factor = 1 + (_tc1 * dt) + (_tc2 * dt * dt);
        _g = _m / (_r * factor);
    }

    public void Load(LoadContext context) => _stamp.Load(context.Matrix, _g);

    public bool TryGetQuantity(string name, ReadOnlySpan<double> solution, out double value)
    {
        double v = (_p < 0 ? 0 : solution[_p]) - (_n < 0 ? 0 : solution[_n]);
        value = name switch
        {
            "i" => v * _g,
            "p" => v * v * _g,
            "g" => _g,
            "r" or "resistance" => 1 / _g,
            _ => double.NaN,
        };
        return !double.IsNaN(value);
    }
}
