namespace DnnOpt.Spice.Devices;

/// <summary>
/// Physical constants (the CODATA 2014 values ngspice 39 uses) and the SPICE Newton helpers for semiconductor
/// devices: junction voltage limiting (pnjlim), FET gate and drain voltage limiting (fetlim, limvds) from Nagel's
/// SPICE2 thesis (UCB/ERL M520, 1975) and the silicon band-gap temperature law used by SPICE3.
/// </summary>
internal static class Semiconductor
{
    public const double Charge = 1.6021766208e-19;
    public const double Boltzmann = 1.38064852e-23;
    public const double KOverQ = Boltzmann / Charge;
    public const double ReferenceTemperature = 300.15;
    public const double CelsiusToKelvin = 273.15;
    public const double MaxExpArgument = 709.0;

    /// <summary>Silicon band gap in eV at temperature <paramref name="t"/> kelvin: 1.16 - 7.02e-4 T²/(T + 1108).</summary>
    public static double BandGap(double t) => 1.16 - (7.02e-4 * t * t / (t + 1108));

    /// <summary>
    /// The temperature term of junction potentials, -2 vt (1.5 ln(T/Tref) + q (-Eg/(2kT) + Eg(Tref)/(2k Tref))), used
    /// to move built-in potentials (phi, pb, vj) from tnom to T.
    /// </summary>
    public static double PotentialFactor(double t)
    {
        double vt = KOverQ * t;
        double arg = (-BandGap(t) / (2 * Boltzmann * t)) + (1.1150877 / (Boltzmann * (2 * ReferenceTemperature)));
        return -2 * vt * ((1.5 * Math.Log(t / ReferenceTemperature)) + (Charge * arg));
    }

    /// <summary>
    /// Limits the change of a junction voltage so exp(v/vt) cannot overflow or oscillate: above the critical voltage a
    /// step larger than 2 vt is compressed logarithmically (vold ± vt (2 + ln(|Δ|/vt - 2)), the form ngspice uses);
    /// large negative steps are bounded as well (Gillespie's extension).
    /// </summary>
    /// <param name="vnew">Proposed voltage.</param>
    /// <param name="vold">Voltage used in the previous iteration.</param>
    /// <param name="vt">Thermal voltage times emission coefficient.</param>
    /// <param name="vcrit">Critical voltage vt ln(vt / (√2 Is)).</param>
    /// <param name="limited">Set when the voltage was changed.</param>
    /// <returns>The limited voltage.</returns>
    public static double LimitJunction(double vnew, double vold, double vt, double vcrit, out bool limited)
    {
        limited = false;
        if (vnew > vcrit && Math.Abs(vnew - vold) > (vt + vt))
        {
            if (vold > 0)
            {
                // ngspice's form of the logarithmic compression (|arg| > 2 here, so both logarithms are defined).
                double arg = (vnew - vold) / vt;
                vnew = arg > 0 ? vold + (vt * (2 + Math.Log(arg - 2))) : vold - (vt * (2 + Math.Log(2 - arg)));
            }
            else
            {
                vnew = vt * Math.Log(vnew / vt);
            }

            limited = true;
        }
        else if (vnew < 0)
        {
            double arg = vold > 0 ? (-1 * vold) - 1 : (2 * vold) - 1;
            if (vnew < arg)
            {
                vnew = arg;
                limited = true;
            }
        }

        return vnew;
    }

    /// <summary>
    /// Limits the gate-source (or gate-drain) voltage change of a FET relative to its threshold <paramref name="vto"/>,
    /// so Newton does not jump between cut-off and strong inversion in one step.
    /// </summary>
    public static double LimitFet(double vnew, double vold, double vto)
    {
        // Gillespie's step bounds, as in ngspice: at most 2|vold - vto| + 2 up or down, |vold - vto| + 1 when small.
        double vtsthi = Math.Abs(2 * (vold - vto)) + 2;
        double vtstlo = Math.Abs(vold - vto) + 1;
        double vtox = vto + 3.5;
        double delv = vnew - vold;
        if (vold >= vto)
        {
            if (vold >= vtox)
            {
                if (delv <= 0)
                {
                    if (vnew >= vtox)
                    {
                        if (-delv > vtstlo)
                        {
                            vnew = vold - vtstlo;
                        }
                    }
                    else
                    {
                        vnew = Math.Max(vnew, vto + 2);
                    }
                }
                else if (delv >= vtsthi)
                {
                    vnew = vold + vtsthi;
                }
            }
            else
            {
                vnew = delv <= 0 ? Math.Max(vnew, vto - 0.5) : Math.Min(vnew, vto + 4);
            }
        }
        else if (delv <= 0)
        {
            if (-delv > vtsthi)
            {
                vnew = vold - vtsthi;
            }
        }
        else
        {
            double vtemp = vto + 0.5;
            if (vnew <= vtemp)
            {
                if (delv > vtstlo)
                {
                    vnew = vold + vtstlo;
                }
            }
            else
            {
                vnew = vtemp;
            }
        }

        return vnew;
    }

    /// <summary>Limits the drain-source voltage change of a FET (large steps only while vds is small or growing fast).</summary>
    public static double LimitDrainSource(double vnew, double vold)
    {
        if (vold >= 3.5)
        {
            if (vnew > vold)
            {
                vnew = Math.Min(vnew, (3 * vold) + 2);
            }
            else if (vnew < 3.5)
            {
                vnew = Math.Max(vnew, 2);
            }
        }
        else
        {
            vnew = vnew > vold ? Math.Min(vnew, 4) : Math.Max(vnew, -0.5);
        }

        return vnew;
    }

    /// <summary>
    /// SPICE's MOSFET channel-voltage limiting for one Newton load, judged by the last load's vds sign: in forward
    /// mode fetlim on vgs, then vds rebuilt from the limited vgs and the unlimited <paramref name="vgd"/> and passed
    /// through limvds; in reverse mode fetlim on vgd, vds rebuilt from the unlimited vgs and the limited vgd, limvds on
    /// -vds, and vgs rebuilt from them. Returns whether either limiter moved a voltage.
    /// </summary>
    /// <remarks>
    /// ngspice 39.3 flags only junction (pnjlim) limiting as non-convergence (built with NEWCONV, its device current
    /// tests never gate), so where every terminal is pinned by a source it can stop with limvds still holding a device
    /// at a voltage the circuit does not have (the node test passes: nothing can move). Reporting this limiting lets
    /// the caller refuse convergence until the device holds Newton's voltages. Near a solution the steps are far
    /// below the limiters' thresholds, so this adds no iteration there.
    /// </remarks>
    public static bool LimitMosfet(ref double vgs, ref double vds, double vgd, double vgsOld, double vdsOld, double von)
    {
        double vgsIn = vgs;
        double vgdIn = vgd;
        double vdsIn;
        if (vdsOld >= 0)
        {
            vgs = LimitFet(vgs, vgsOld, von);
            vds = vgs - vgd;
            vdsIn = vds;
            vds = LimitDrainSource(vds, vdsOld);
            return vgs != vgsIn || vds != vdsIn;
        }

        vgd = LimitFet(vgd, vgsOld - vdsOld, von);
        vds = vgs - vgd;
        vdsIn = vds;
        vds = -LimitDrainSource(-vds, -vdsOld);
        vgs = vgd + vds;
        return vgd != vgdIn || vds != vdsIn;
    }

    /// <summary>Guarded exponential: linear continuation past <see cref="MaxExpArgument"/> keeps the Jacobian finite.</summary>
    public static double SafeExp(double x) => x <= MaxExpArgument ? Math.Exp(x) : Math.Exp(MaxExpArgument) * (1 + x - MaxExpArgument);

    /// <summary>
    /// Junction current and conductance with gmin in parallel, SPICE form: exponential above -3 vt, a smooth cubic
    /// tail (tends to -Is) below it.
    /// </summary>
    public static (double Current, double Conductance) Junction(double v, double isat, double vte, double gmin)
    {
        double i;
        double g;
        if (v >= -3 * vte)
        {
            double e = SafeExp(v / vte);
            i = isat * (e - 1);
            g = isat * e / vte;
        }
        else
        {
            double arg = 3 * vte / (v * Math.E);
            arg = arg * arg * arg;
            i = -isat * (1 + arg);
            g = isat * 3 * arg / v;
        }

        return (i + (gmin * v), g + gmin);
    }
}
