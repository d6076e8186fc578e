using System.Runtime.CompilerServices;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Devices.Controlled;
using DnnOpt.Spice.Devices.Diodes;
using DnnOpt.Spice.Devices.Mosfets;
using DnnOpt.Spice.Devices.Passive;
using DnnOpt.Spice.Devices.Sources;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Devices;

/// <summary>
/// Makes devices from resolved elements, one build's worth: model cards are interpreted once and shared
/// (<see cref="MosfetFactory"/>). The same factory serves <see cref="IDevice.TryUpdate"/> when a new design changes
/// values in place, so a card is interpreted once per set of values however its instances learn of it.
/// </summary>
internal sealed class DeviceFactory(double nominalKelvin, SimulationOptions options, ICollection<string> warnings)
{
    /// <summary>Interpreted MOSFET cards.</summary>
    public MosfetFactory Mosfets { get; } = new(nominalKelvin, options, warnings);

    /// <summary>Options a device reads when it is made (default MOSFET sizes).</summary>
    public SimulationOptions Options { get; } = options;

    /// <summary>Where model-card remarks go (deduplicated by the writers).</summary>
    public ICollection<string> Warnings { get; } = warnings;

    /// <summary>A device for the element, by its type letter.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public IDevice Create(ResolvedElement e) => e.Kind switch
    {
        'r' => new Resistor(e),
        'c' => new Capacitor(e),
        'l' => new Inductor(e),
        'v' => new VoltageSource(e),
        'i' => new CurrentSource(e),
        'e' => new Vcvs(e),
        'g' => new Vccs(e),
        'f' => new Cccs(e),
        'h' => new Ccvs(e),
        'd' => new Diode(e, Warnings),
        'm' => Mosfets.Create(e),
        _ => throw new SpiceParseException(e.Location, $"unsupported element '{e.LocalName}'"),
    };
}
