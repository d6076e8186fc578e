using DnnOpt.Spice.Analyses;

namespace DnnOpt.Spice.Devices.Diodes;

/// <summary>
/// The diode's stored charge in a transient (SPICE3 DIOload): Q = TT·Id + Qdep (<see cref="Charge"/>), integrated into
/// a companion conductance and current added to the junction's; the charge takes part in the truncation-error step
/// control (DIOtrunc).
/// </summary>
internal sealed partial class Diode
{
    private int _q;

    /// <summary>The <c>ic=</c> junction voltage for a <c>uic</c> transient, when given.</summary>
    public double? InitialVoltage { get; private set; }

    public void AllocateStates(StateAllocator states) => _q = states.AllocateCharge(truncate: true);

    private void LoadCharge(LoadContext context, double vd, ref double id, ref double gd)
    {
        (double charge, double capacitance) = Charge(vd, id, gd);
        double[] s0 = context.State0;
        s0[_q] = charge;
        if (!context.IsTransient)
        {
            return;
        }

        if (context.Mode == LoadMode.InitTransient)
        {
            context.State1[_q] = charge;
        }

        context.Integrator.Integrate(_q, capacitance, out double geq, out _);
        gd += geq;
        id += s0[_q + 1];
        if (context.Mode == LoadMode.InitTransient)
        {
            context.State1[_q + 1] = s0[_q + 1];
        }
    }
}
