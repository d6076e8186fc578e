using DnnOpt.Spice.Analyses;

namespace DnnOpt.Spice.Devices.Passive;

/// <summary>
/// The inductor in a transient (SPICE3 INDload): flux Φ = L i integrated into the branch equation
/// v = req i + veq, written as -req on the branch diagonal and veq on the branch right-hand side; the flux takes part
/// in the truncation-error step control. With <c>uic</c> the first point starts from <c>ic=</c>.
/// </summary>
internal sealed partial class Inductor
{
    private int _flux;

    public void AllocateStates(StateAllocator states) => _flux = states.AllocateCharge(truncate: true);

    private void LoadTransient(LoadContext context)
    {
        double i = context.UseInitialConditions && InitialCurrent is double ic && context.Mode is LoadMode.InitJunction or LoadMode.InitTransient
            ? ic
            : context.Solution[_k];
        double[] s0 = context.State0;
        s0[_flux] = Inductance * i;
        if (!context.IsTransient)
        {
            return;
        }

        if (context.Mode == LoadMode.InitTransient)
        {
            context.State1[_flux] = s0[_flux];
        }

        context.Integrator.Integrate(_flux, Inductance, out double req, out double veq);
        if (context.Mode == LoadMode.InitTransient)
        {
            context.State1[_flux + 1] = s0[_flux + 1];
        }

        context.Matrix[BranchDiagonalSlot] -= req;
        context.Rhs[_k] += veq;
    }
}
