namespace DnnOpt.Spice.Devices.Sources;

/// <summary>Small-signal current source: the AC phasor flows from n+ through the source to n-.</summary>
internal sealed partial class CurrentSource : IFrequencyDevice
{
    public void LoadAc(AcLoadContext context)
    {
        if (Ac is (double magnitude, double phase))
        {
            System.Numerics.Complex i = AcLoadContext.Phasor(magnitude, phase);
            context.AddExcitation(_p, -i);
            context.AddExcitation(_n, i);
        }
    }

    /// <summary>The noise analysis's input: a unit current on this source alone.</summary>
    internal void AddUnitExcitation(System.Numerics.Complex[] rhs)
    {
        if (_p >= 0)
        {
            rhs[_p] -= 1;
        }

        if (_n >= 0)
        {
            rhs[_n] += 1;
        }
    }
}
