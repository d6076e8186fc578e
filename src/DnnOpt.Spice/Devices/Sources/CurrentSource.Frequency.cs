using System.Numerics;

namespace DnnOpt.Spice.Devices.Sources;

/// <summary>Small-signal current source: the AC phasor times m flows from n+ through the source to n-.</summary>
internal sealed partial class CurrentSource : IFrequencyDevice
{
    public bool IsNoiseless => true;

    public void LoadAc(AcLoadContext context)
    {
        if (Ac is (double magnitude, double phase))
        {
            Complex i = AcLoadContext.Phasor(magnitude, phase) * _multiplier;
            context.AddExcitation(_p, -i);
            context.AddExcitation(_n, i);
        }
    }

    /// <summary>The noise analysis's input: a unit current times m on this source alone (as ngspice 39).</summary>
    internal void AddUnitExcitation(Complex[] rhs)
    {
        if (_p >= 0)
        {
            rhs[_p] -= _multiplier;
        }

        if (_n >= 0)
        {
            rhs[_n] += _multiplier;
        }
    }
}
