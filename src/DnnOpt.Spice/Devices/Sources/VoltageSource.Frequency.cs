namespace DnnOpt.Spice.Devices.Sources;

/// <summary>Small-signal stamp of the voltage source: the branch equation with the AC phasor (0 without <c>ac</c>).</summary>
internal sealed partial class VoltageSource : IFrequencyDevice
{
    public bool IsNoiseless => true;

    public void LoadAc(AcLoadContext context)
    {
        _stamp.Load(context.Real);
        if (Ac is (double magnitude, double phase))
        {
            context.AddExcitation(_k, AcLoadContext.Phasor(magnitude, phase));
        }
    }

    /// <summary>The noise analysis's input: a unit phasor on this source alone (ngspice excites only the noise input).</summary>
    internal void AddUnitExcitation(System.Numerics.Complex[] rhs) => rhs[_k] += 1;
}
