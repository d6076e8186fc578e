namespace DnnOpt.Spice.Devices.Mosfets.Bsim3;

/// <summary>
/// BSIM3v3.3 noise sources as pure functions (manual chapter 8 "Noise modeling"; ngspice's noiMod selection):
/// noiMod 1 SPICE2 thermal + SPICE2 flicker, 2 BSIM3 thermal + BSIM3 flicker, 3 SPICE2 thermal + BSIM3 flicker,
/// 4 BSIM3 thermal + SPICE2 flicker. All densities are current-noise power spectral densities in A²/Hz of sources
/// between the internal drain and source (channel) or across rd/rs, for the whole instance (times m).
/// </summary>
internal static class Bsim3Noise
{
    private const double Charge = 1.6021766208e-19;
    private const double Boltzmann = 1.38064852e-23;
    private const double MinLog = 1e-38;

    /// <summary>What the noise model needs from the operating point (one device, normalised polarity).</summary>
    /// <remarks><c>Abulk</c> is the bulk-charge factor with keta, <c>AbulkNoise</c> the one without (the release code
    /// stores that one for the flicker model's Cox·Abulk term).</remarks>
    public readonly record struct OperatingPoint(
        double Id, double Gm, double Gds, double Gmbs, double Vds, double Vdseff, double Vgsteff, double Abulk, double Ueff, double Rds, double Qinv, double AbulkNoise);

    /// <summary>Thermal noise 4kTG of a resistor-like conductance <paramref name="g"/> (S) at <paramref name="temperature"/> (K).</summary>
    public static double Thermal(double g, double temperature) => 4.0 * Boltzmann * temperature * g;

    /// <summary>
    /// Channel thermal noise: SPICE2 form 4kT (2/3)|gm + gds + gmbs| (noiMod 1, 3) or the BSIM3 charge form
    /// 4kT µeff |Qinv| / (Leff² + µeff |Qinv| Rds) (noiMod 2, 4), times m.
    /// </summary>
    public static double ChannelThermal(Bsim3Model model, Bsim3SizeParameters p, in OperatingPoint op, double m, double temperature)
    {
        if (model.NoiMod is 1 or 3)
        {
            return Thermal(2.0 * Math.Abs(op.Gm + op.Gds + op.Gmbs) / 3.0 * m, temperature);
        }

        double uq = op.Ueff * Math.Abs(op.Qinv);
        return Thermal(m * uq / ((p.Leff * p.Leff) + (uq * op.Rds)), temperature);
    }

    /// <summary>
    /// Flicker noise at <paramref name="frequency"/> (Hz): SPICE2 form kf |Id|^af / (f^ef Leff² Cox) (noiMod 1, 4) or
    /// the BSIM3 unified oxide-trap form Ssi·Swi/(Ssi + Swi) with noia/noib/noic, em, ef, lintnoi (noiMod 2, 3), times m.
    /// </summary>
    public static double Flicker(Bsim3Model model, Bsim3SizeParameters p, in OperatingPoint op, double m, double frequency, double temperature)
    {
        if (model.NoiMod is 1 or 4)
        {
            return m * model.Kf * Math.Exp(model.Af * Math.Log(Math.Max(Math.Abs(op.Id), MinLog)))
                / (Math.Pow(frequency, model.Ef) * p.Leff * p.Leff * model.Cox);
        }

        double ssi = StrongInversion(model, p, op, Math.Abs(op.Vds), frequency, temperature);
        double t10 = model.Noia * 8.62e-5 * temperature;
        double t11 = p.Weff * p.Leff * Math.Pow(frequency, model.Ef) * 4.0e36;
        double swi = t10 / t11 * op.Id * op.Id;
        double sum = swi + ssi;
        return sum > 0.0 ? m * (ssi * swi) / sum : 0.0;
    }

    /// <summary>The strong-inversion oxide-trap flicker density of the BSIM3 noise model (manual eq. 8.2.x).</summary>
    private static double StrongInversion(Bsim3Model model, Bsim3SizeParameters p, in OperatingPoint op, double vds, double frequency, double temperature)
    {
        double cd = Math.Abs(op.Id);
        double leff = p.Leff - (2.0 * model.Lintnoi);
        double leffsq = leff * leff;
        double esat = 2.0 * p.VsatTemp / op.Ueff;
        double delClm = 0.0;
        if (model.Em > 0.0)
        {
            double t0 = (((vds - op.Vdseff) / p.Litl) + model.Em) / esat;
            delClm = Math.Max(p.Litl * Math.Log(Math.Max(t0, MinLog)), 0.0);
        }

        double effFreq = Math.Pow(frequency, model.Ef);
        double t1 = Charge * Charge * 8.62e-5 * cd * temperature * op.Ueff;
        double t2 = 1.0e8 * effFreq * op.AbulkNoise * model.Cox * leffsq;
        double n0 = model.Cox * op.Vgsteff / Charge;
        double abovVgst2Vtm = op.Abulk / (op.Vgsteff + (2.0 * p.Vtm));
        double nl = model.Cox * op.Vgsteff * (1.0 - (abovVgst2Vtm * op.Vdseff)) / Charge;
        double t3 = model.Noia * Math.Log(Math.Max((n0 + 2.0e14) / (nl + 2.0e14), MinLog));
        double t4 = model.Noib * (n0 - nl);
        double t5 = model.Noic * 0.5 * ((n0 * n0) - (nl * nl));
        double t6 = 8.62e-5 * temperature * cd * cd;
        double t7 = 1.0e8 * effFreq * leffsq * p.Weff;
        double t8 = model.Noia + (model.Noib * nl) + (model.Noic * nl * nl);
        double t9 = (nl + 2.0e14) * (nl + 2.0e14);
        return (t1 / t2 * (t3 + t4 + t5)) + (t6 / t7 * delClm * t8 / t9);
    }
}
