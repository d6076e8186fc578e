using DnnOpt.Spice.Algebra;
using DnnOpt.Spice.Circuits;

namespace DnnOpt.Spice.Devices.Passive;

/// <summary>Linear capacitor: an open circuit for DC analyses; value, <c>m</c> and <c>ic</c> kept for part 2.</summary>
internal sealed partial class Capacitor : IDevice
{
    private static readonly string[] Quantities = ["c"];
    private readonly string[] _nodeNames;

    public Capacitor(ResolvedElement e)
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
        Capacitance = (e.Value ?? 0) * e.Get("m", 1);
        InitialVoltage = e.Has("ic") ? e.Get("ic", 0) : null;
    }

    public string Name { get; }

    public IReadOnlyList<string> QuantityNames => Quantities;

    /// <summary>Capacitance times m, in farads.</summary>
    public double Capacitance { get; private set; }

    /// <summary>The <c>ic=</c> voltage, when given.</summary>
    public double? InitialVoltage { get; private set; }

    public void AllocateUnknowns(UnknownTable unknowns)
    {
        // The nodes exist even when only capacitors touch them; the floating-node check reports such nodes.
        Nodes = (unknowns.Node(_nodeNames[0]), unknowns.Node(_nodeNames[1]));
    }

    /// <summary>Node unknowns (-1 = ground), set by <see cref="AllocateUnknowns"/>.</summary>
    internal (int P, int N) Nodes { get; private set; }

    /// <summary>The conductance slots the AC (jωC) and transient (companion) loads write into; unused at DC.</summary>
    internal ConductanceStamp Stamp { get; private set; }

    public void AllocateSlots(MatrixStructureBuilder matrix) => Stamp = new ConductanceStamp(matrix, Nodes.P, Nodes.N);

    public void Load(LoadContext context)
    {
        // Open at DC; charges exist only in the transient analysis and its operating point.
        if (context.Analysis != AnalysisMode.Dc)
        {
            LoadTransient(context);
        }
    }

    public bool TryGetQuantity(string name, ReadOnlySpan<double> solution, out double value)
    {
        value = name == "c" || name == "capacitance" ? Capacitance : double.NaN;
        return !double.IsNaN(value);
    }
}
