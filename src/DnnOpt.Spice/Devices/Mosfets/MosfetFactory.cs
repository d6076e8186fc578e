using System.Globalization;
using System.Runtime.CompilerServices;
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public IDevice Create(ResolvedElement e)
    {
        ResolvedModel card = e.Model ?? throw new SpiceParseException(e.Location, "MOSFET without model");
        if (Level1(card) is Mosfet1Model m1)
        {
            return new Mosfet1(e, m1, options);
        }

        return new Bsim3.Bsim3(e, Bsim3(card) ?? throw UnsupportedLevel(card));
    }

    /// <summary>The card interpreted as level 1 (once per card), or null when its level is another.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Mosfet1Model? Level1(ResolvedModel card)
    {
        if (card.Get("level", 1) != 1)
        {
            return null;
        }

        if (!_level1.TryGetValue(card, out Mosfet1Model? m1))
        {
            m1 = new Mosfet1Model(card, nominalKelvin, warnings);
            _level1[card] = m1;
        }

        return m1;
    }

    /// <summary>The card interpreted as BSIM3v3.3 (once per card), or null when its level is not 8 or 49.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Bsim3Model? Bsim3(ResolvedModel card)
    {
        if (card.Get("level", 1) is not (8 or 49))
        {
            if (card.Get("level", 1) != 1)
            {
                throw UnsupportedLevel(card);
            }

            return null;
        }

        if (!_bsim3.TryGetValue(card, out Bsim3Model? m3))
        {
            m3 = new Bsim3Model(card, nominalKelvin, warnings);
            _bsim3[card] = m3;
        }

        return m3;
    }

    /// <summary>Drops a card whose values were replaced by a new design (its interpretation is no longer used).</summary>
    public void Forget(ResolvedModel card)
    {
        _level1.Remove(card);
        _bsim3.Remove(card);
    }

    /// <summary>The interpreted BSIM3 cards (to trim their size-parameter caches).</summary>
    public IEnumerable<Bsim3Model> Bsim3Models => _bsim3.Values;

    /// <summary>The options MOSFET instances read (default sizes).</summary>
    public SimulationOptions Options => options;

    private static SpiceParseException UnsupportedLevel(ResolvedModel card) =>
        new(card.Location, string.Create(CultureInfo.InvariantCulture, $".model {card.Name}: MOSFET level {card.Get("level", 1)} is not supported (level 1, and 8/49 = BSIM3v3.3)"));
}
