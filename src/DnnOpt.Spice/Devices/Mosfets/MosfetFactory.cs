using System.Globalization;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Devices.Mosfets.Bsim3;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Devices.Mosfets;

/// <summary>
/// Creates a MOSFET instance from its model card's <c>level</c>, as ngspice dispatches: 1 (or none) is
/// Shichman-Hodges (<see cref="Mosfet1"/>), 8 and 49 are BSIM3v3.3 (<see cref="Bsim3.Bsim3"/>). Model cards are
/// interpreted once per circuit build and shared by the instances that use them.
/// </summary>
internal sealed class MosfetFactory(double nominalKelvin, SimulationOptions options, ICollection<string> warnings)
{
    private readonly Dictionary<ResolvedModel, Mosfet1Model> _level1 = [];
    private readonly Dictionary<ResolvedModel, Bsim3Model> _bsim3 = [];

    public IDevice Create(ResolvedElement e)
    {
        ResolvedModel card = e.Model ?? throw new SpiceParseException(e.Location, "MOSFET without model");
        double level = card.Get("level", 1);
        switch (level)
        {
            case 1:
                if (!_level1.TryGetValue(card, out Mosfet1Model? m1))
                {
                    m1 = new Mosfet1Model(card, nominalKelvin, warnings);
                    _level1[card] = m1;
                }

                return new Mosfet1(e, m1, options);
            case 8:
            case 49:
                if (!_bsim3.TryGetValue(card, out Bsim3Model? m3))
                {
                    m3 = new Bsim3Model(card, nominalKelvin, warnings);
                    _bsim3[card] = m3;
                }

                return new Bsim3.Bsim3(e, m3);
            default:
                throw new SpiceParseException(card.Location, string.Create(CultureInfo.InvariantCulture, $".model {card.Name}: MOSFET level {level} is not supported (level 1, and 8/49 = BSIM3v3.3)"));
        }
    }
}
