using System.Runtime.CompilerServices;

namespace DnnOpt.Spice.Devices.Mosfets.Bsim3;

/// <summary>
/// Channel current of BSIM3v3.3 at one bias, as a pure function (manual chapters 2-4, equations cited by section):
/// effective body bias, threshold voltage with body, short-channel, narrow-width, DIBL and temperature terms,
/// subthreshold swing n, poly depletion, the unified Vgsteff, bulk-charge factor Abulk, mobility (mobMod 1-3), Rds,
/// Vdsat and Vdseff, the output-resistance terms (CLM, DIBL, SCBE, pvag) and the substrate current. Inputs are the
/// normalised (NMOS-polarity, forward-mode: Vds ≥ 0) terminal voltages; every result carries its exact derivatives
/// with respect to them (<see cref="Dual3"/>). The smoothing guards (the "(a + b x)/(c + d x)" continuations ngspice
/// and the BSIM3 release code use to stay finite) are reproduced, so results agree with ngspice to rounding.
/// </summary>
internal static class Bsim3Channel
{
    private const double ExpThreshold = 34.0;
    private const double MaxExp = 5.834617425e14;
    private const double MinExp = 1.713908431e-15;

    /// <summary>What the load, the operating-point quantities and the charge model need from one evaluation.</summary>
    public struct Result
    {
        public Dual3 Ids;
        public Dual3 Isub;
        public Dual3 Vth;
        public Dual3 Vdsat;
        public Dual3 Vgsteff;
        public Dual3 Vbseff;
        public Dual3 Abulk;
        public Dual3 Abulk0;
        public Dual3 Vgs_eff;
        public Dual3 Phis;
        public Dual3 SqrtPhis;
        public Dual3 Vdseff;
        public Dual3 Ueff;
        public Dual3 Rds;
        public Dual3 N;

        /// <summary>dVbseff/dVbs of the smoothing function (the charge model of capMod 0 leaves it out).</summary>
        public double VbseffSlope;

        /// <summary>Abulk before the keta factor: what ngspice stores for the flicker-noise model.</summary>
        public double AbulkNoise;

        // Intermediates handed from one stage of the evaluation to the next.
        internal Dual3 Xdep;

        // The Vbs-only terms (BodyTerms), valid for BodyVbs (bit for bit) and BodyParameters.
        internal double BodyVbs;
        internal Bsim3SizeParameters? BodyParameters;
        internal Dual3 VthBody;
        internal Dual3 Eta;
        internal Dual3 Theta0;
        internal Dual3 NfactorTerm;
        internal Dual3 CdscBody;
        internal Dual3 Abulk0Body;
        internal Dual3 AgsBody;
        internal Dual3 KetaFactor;
        internal Dual3 Dsqrt;
        internal Dual3 MobilityBody;
        internal Dual3 Weff;
        internal Dual3 EsatL;
        internal Dual3 WvcoxRds;
        internal Dual3 Vasat;
    }

    /// <summary>Evaluates the channel at normalised Vgs, Vds (≥ 0) and Vbs, all in volts.</summary>
    public static Result Evaluate(Bsim3Model m, Bsim3SizeParameters p, double vgs, double vds, double vbs)
    {
        var r = default(Result);
        Evaluate(m, p, vgs, vds, vbs, ref r);
        return r;
    }

    /// <summary>
    /// Evaluates the channel at normalised Vgs, Vds (≥ 0) and Vbs (V) into <paramref name="r"/>. The work is split
    /// into stages (threshold, overdrive, bulk charge and mobility, saturation, output resistance and current) so
    /// that each method stays within the JIT's inlining limits: as one method, the hundreds of dual-number
    /// temporaries exhausted the JIT's local-variable budget and most operators became calls. The stages are compiled
    /// optimised at their first call: in tier-0 code every dual-number operator is a call, and a process's first
    /// operating point of a 1k BSIM3 chain took 261-328 ms against 36-52 ms for a later one while the stages waited for
    /// tiering (62-76 ms with the attribute; the steady state measured the same, Spice README, "JIT").
    /// </summary>
    public static void Evaluate(Bsim3Model m, Bsim3SizeParameters p, double vgs, double vds, double vbs, ref Result r)
    {
        Threshold(m, p, vds, vbs, ref r);
        Overdrive(m, p, vgs, ref r);
        BulkChargeAndMobility(m, p, ref r);
        Saturation(m, p, vds, ref r);
        Current(m, p, vds, ref r);
    }

    /// <summary>
    /// Threshold voltage and subthreshold swing n. Everything that depends on Vbs alone (effective body bias, surface
    /// potential, depletion width, the short-channel and narrow-width shapes, the body parts of Vth, Abulk and the
    /// mobility) is kept in <paramref name="r"/> with the Vbs it was computed at and reused while the same instance
    /// parameters see exactly the same Vbs again, as they do every Newton iteration of a device whose bulk is tied to
    /// its source. Reuse is exact (same inputs, same arithmetic), so results do not change by a bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Threshold(Bsim3Model m, Bsim3SizeParameters p, double vds, double vbs, ref Result r)
    {
        if (!ReferenceEquals(r.BodyParameters, p) || BitConverter.DoubleToInt64Bits(r.BodyVbs) != BitConverter.DoubleToInt64Bits(vbs))
        {
            BodyTerms(m, p, vbs, ref r);
        }

        var Vds = new Dual3(vds, 0, 1, 0);
        Dual3 diblSft = r.Eta * p.Theta0vb0 * Vds;
        r.Vth = r.VthBody - diblSft;

        // Subthreshold swing factor n (manual eq. 2.4.2).
        Dual3 nTerm = (r.NfactorTerm + ((r.CdscBody + (p.Cdscd * Vds)) * r.Theta0) + p.Cit) * p.InvCox;
        r.N = nTerm.V >= -0.5 ? 1.0 + nTerm : (1.0 + (3.0 * nTerm)) / (3.0 + (8.0 * nTerm));
    }

    /// <summary>The parts of the threshold, bulk-charge and mobility equations that depend on Vbs alone.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void BodyTerms(Bsim3Model m, Bsim3SizeParameters p, double vbs, ref Result r)
    {
        var Vbs = new Dual3(vbs, 0, 0, 1);

        // Effective body bias, smoothly limited at vbsc (manual eq. 2.1.26).
        Dual3 t0 = Vbs - p.Vbsc - 0.001;
        Dual3 t1 = Dual3.Sqrt((t0 * t0) - (0.004 * p.Vbsc));
        Dual3 vbseff = p.Vbsc + (0.5 * (t0 + t1));
        double vbseffSlope = vbseff.B;
        if (vbseff.V < vbs)
        {
            vbseff = vbseff.WithValue(vbs); // value clamp only, as the release code does
        }

        Dual3 phis;
        Dual3 sqrtPhis;
        if (vbseff.V > 0.0)
        {
            Dual3 a = p.Phi / (p.Phi + vbseff);
            phis = p.Phi * a;
            sqrtPhis = p.Phis3 / (p.Phi + (0.5 * vbseff));
        }
        else
        {
            phis = p.Phi - vbseff;
            sqrtPhis = Dual3.Sqrt(phis);
        }

        Dual3 xdep = p.Xdep0 * sqrtPhis * p.InvSqrtPhi;

        // Threshold voltage (manual section 2.1): characteristic lengths with dvt2/dvt2w body dependence; the DIBL
        // shift (the only Vds term) is subtracted last, in Threshold.
        Dual3 t3 = Dual3.Sqrt(xdep);
        Dual3 lt1 = p.Factor1 * t3 * Guard05(p.Dvt2 * vbseff);
        Dual3 ltw = p.Factor1 * t3 * Guard05(p.Dvt2w * vbseff);
        Dual3 theta0 = ThetaShape(p.ThetaArg / lt1);
        Dual3 deltVth = p.Dvt0 * theta0 * p.V0;
        Dual3 narrow = p.Dvt0w * ThetaShape(p.ThetaArgW / ltw) * p.V0;
        Dual3 tempTerm = p.LateralVth + ((p.Kt1Total + (p.Kt2 * vbseff)) * p.TempRatio);
        Dual3 eta = p.Eta0 + (p.Etab * vbseff);
        if (eta.V < 1.0e-4)
        {
            Dual3 t9 = 1.0 / (3.0 - (2.0e4 * eta));
            eta = (2.0e-4 - eta) * t9;
        }

        r.VthBody = p.VthBase + (p.K1ox * sqrtPhis) - (p.K2ox * vbseff) - deltVth - narrow
            + ((p.K3 + (p.K3b * vbseff)) * p.WidthTerm) + tempTerm;
        r.Eta = eta;
        r.Theta0 = theta0;
        r.NfactorTerm = p.NfactorEps / xdep;
        r.CdscBody = p.Cdsc + (p.Cdscb * vbseff);

        // Bulk-charge factor Abulk (manual eq. 2.5.4) up to its Vgsteff term, and the keta factor.
        Dual3 k1h = p.HalfK1ox / sqrtPhis;
        Dual3 t9x = Dual3.Sqrt(p.Xj * xdep);
        Dual3 t5x = p.Leff / (p.Leff + (2.0 * t9x));
        Dual3 tA = (p.A0 * t5x) + p.B0Term;
        r.Abulk0Body = 1.0 + (k1h * tA);
        r.AgsBody = k1h * p.Ags * p.A0 * t5x * t5x * t5x;
        Dual3 kb = p.Keta * vbseff;
        r.KetaFactor = kb.V >= -0.9 ? 1.0 / (1.0 + kb) : (17.0 + (20.0 * kb)) / (0.8 + kb);
        r.Dsqrt = sqrtPhis - p.SqrtPhi;

        // Body factors of the mobility degradation (manual section 2.6).
        r.MobilityBody = m.MobMod == 3 ? 1.0 + (p.Uc * vbseff) : p.Ua + (p.Uc * vbseff);

        r.Vbseff = vbseff;
        r.VbseffSlope = vbseffSlope;
        r.Phis = phis;
        r.SqrtPhis = sqrtPhis;
        r.Xdep = xdep;
        r.BodyVbs = vbs;
        r.BodyParameters = p;
    }

    /// <summary>Poly-gate depletion and the unified effective gate overdrive Vgsteff.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Overdrive(Bsim3Model m, Bsim3SizeParameters p, double vgs, ref Result r)
    {
        var Vgs = new Dual3(vgs, 1, 0, 0);
        double vtm = p.Vtm;
        Dual3 vth = r.Vth;
        Dual3 n = r.N;

        // Poly-gate depletion (manual section 2.2).
        Dual3 vgsEff = Vgs;
        double vfbPhi = p.VfbPhi;
        if (p.Ngate > 1.0e18 && p.Ngate < 1.0e25 && vgs > vfbPhi)
        {
            Dual3 t4 = Dual3.Sqrt(1.0 + (2.0 * (Vgs - vfbPhi) * p.InvPolyK));
            Dual3 t2 = p.PolyK * (t4 - 1.0);
            Dual3 vpoly = 0.5 * t2 * t2 * p.InvPolyK;
            Dual3 t7 = 1.12 - vpoly - 0.05;
            Dual3 t6 = Dual3.Sqrt((t7 * t7) + 0.224);
            Dual3 t5 = 1.12 - (0.5 * (t7 + t6));
            vgsEff = Vgs - t5;
        }

        // Unified effective gate overdrive Vgsteff (manual eq. 3.1.3).
        Dual3 vgst = vgsEff - vth;
        Dual3 t10 = 2.0 * n * vtm;
        Dual3 vgstNvt = vgst / t10;
        Dual3 expArg = ((2.0 * p.Voff) - vgst) / t10;
        Dual3 vgsteff;
        if (vgstNvt.V > ExpThreshold)
        {
            vgsteff = vgst;
        }
        else if (expArg.V > ExpThreshold)
        {
            vgsteff = p.SubthresholdScale * Dual3.Exp((vgst - p.Voff) / (n * vtm));
        }
        else
        {
            Dual3 num = t10 * Dual3.Log(1.0 + Dual3.Exp(vgstNvt));
            Dual3 den = 1.0 + (t10 * p.InvSubthresholdScale * Dual3.Exp(expArg));
            vgsteff = num / den;
        }

        r.Vgs_eff = vgsEff;
        r.Vgsteff = vgsteff;
    }

    /// <summary>Effective width, Rds, the bulk-charge factor Abulk and the effective mobility.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void BulkChargeAndMobility(Bsim3Model m, Bsim3SizeParameters p, ref Result r)
    {
        Dual3 vgsteff = r.Vgsteff;
        Dual3 vth = r.Vth;

        // Effective width and source/drain resistance (manual eqs. 2.8.1, 2.6.1).
        Dual3 dsqrt = r.Dsqrt;
        Dual3 weff = p.Weff - (2.0 * ((p.Dwg * vgsteff) + (p.Dwb * dsqrt)));
        if (weff.V < 2.0e-8)
        {
            weff = 2.0e-8 * (4.0e-8 - weff) / (6.0e-8 - (2.0 * weff));
        }

        Dual3 prw = (p.Prwg * vgsteff) + (p.Prwb * dsqrt);
        Dual3 rds = prw.V >= -0.9 ? p.Rds0 * (1.0 + prw) : p.Rds0 * (0.8 + prw) / (17.0 + (20.0 * prw));

        // Bulk-charge factor Abulk (manual eq. 2.5.4) with keta.
        Dual3 abulk0 = r.Abulk0Body;
        Dual3 abulk = abulk0 - (r.AgsBody * vgsteff);
        if (abulk0.V < 0.1)
        {
            abulk0 = (0.2 - abulk0) / (3.0 - (20.0 * abulk0));
        }

        if (abulk.V < 0.1)
        {
            abulk = (0.2 - abulk) / (3.0 - (20.0 * abulk));
        }

        double abulkNoise = abulk.V;
        Dual3 ketaFactor = r.KetaFactor;
        abulk *= ketaFactor;
        abulk0 *= ketaFactor;

        // Mobility (manual section 2.6).
        Dual3 denomArg;
        if (m.MobMod == 1)
        {
            Dual3 e = (vgsteff + vth + vth) * p.InvTox;
            denomArg = e * (r.MobilityBody + (p.Ub * e));
        }
        else if (m.MobMod == 2)
        {
            Dual3 e = vgsteff * p.InvTox;
            denomArg = e * (r.MobilityBody + (p.Ub * e));
        }
        else
        {
            Dual3 e = (vgsteff + vth + vth) * p.InvTox;
            denomArg = e * (p.Ua + (p.Ub * e)) * r.MobilityBody;
        }

        Dual3 denomi = denomArg.V >= -0.8 ? 1.0 + denomArg : (0.6 + denomArg) / (7.0 + (10.0 * denomArg));

        r.Weff = weff;
        r.Rds = rds;
        r.Abulk = abulk;
        r.Abulk0 = abulk0;
        r.AbulkNoise = abulkNoise;
        r.Ueff = p.U0Temp / denomi;
    }

    /// <summary>Saturation voltage Vdsat (with the a1/a2 lambda), the smooth Vdseff and Vasat.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Saturation(Bsim3Model m, Bsim3SizeParameters p, double vds, ref Result r)
    {
        var Vds = new Dual3(vds, 0, 1, 0);
        Dual3 vgsteff = r.Vgsteff;
        Dual3 abulk = r.Abulk;
        Dual3 rds = r.Rds;
        double leff = p.Leff;
        double vtm = p.Vtm;

        // Saturation voltage (manual section 3.2).
        Dual3 wvcox = r.Weff * p.VsatTemp * m.Cox;
        Dual3 wvcoxRds = wvcox * rds;
        Dual3 esatL = p.TwoVsat / r.Ueff * leff;
        Dual3 lambda;
        if (p.A1 == 0.0)
        {
            lambda = p.A2;
        }
        else if (p.A1 > 0.0)
        {
            double a = 1.0 - p.A2;
            Dual3 b = a - (p.A1 * vgsteff) - 0.0001;
            lambda = p.A2 + a - (0.5 * (b + Dual3.Sqrt((b * b) + (0.0004 * a))));
        }
        else
        {
            Dual3 b = p.A2 + (p.A1 * vgsteff) - 0.0001;
            lambda = 0.5 * (b + Dual3.Sqrt((b * b) + (0.0004 * p.A2)));
        }

        Dual3 vgst2Vtm = vgsteff + (2.0 * vtm);
        Dual3 vdsat;
        if (rds.V == 0.0 && lambda.V == 1.0)
        {
            vdsat = esatL * vgst2Vtm / ((abulk * esatL) + vgst2Vtm);
        }
        else
        {
            Dual3 t9 = abulk * wvcoxRds;
            Dual3 a = 2.0 * abulk * (t9 - 1.0 + (1.0 / lambda));
            Dual3 b = (vgst2Vtm * ((2.0 / lambda) - 1.0)) + (abulk * esatL) + (3.0 * vgst2Vtm * t9);
            Dual3 c = vgst2Vtm * (esatL + (2.0 * vgst2Vtm * wvcoxRds));
            vdsat = (b - Dual3.Sqrt((b * b) - (2.0 * a * c))) / a;
        }

        // Smooth Vdseff (manual eq. 3.3.1); the release code forces 0 at Vds = 0 keeping d/dVds.
        Dual3 s1 = vdsat - Vds - p.Delta;
        Dual3 vdseff = vdsat - (0.5 * (s1 + Dual3.Sqrt((s1 * s1) + (4.0 * p.Delta * vdsat))));
        if (vds == 0.0)
        {
            vdseff = new Dual3(0, 0, vdseff.D, 0);
        }

        // Vasat (manual eq. 3.4.x).
        Dual3 tmp4 = 1.0 - (0.5 * abulk * vdsat / vgst2Vtm);
        r.Vasat = (esatL + vdsat + (2.0 * wvcoxRds * vgsteff * tmp4)) / ((2.0 / lambda) - 1.0 + (wvcoxRds * abulk));

        if (vdseff.V > vds)
        {
            vdseff = vdseff.WithValue(vds);
        }

        r.WvcoxRds = wvcoxRds;
        r.EsatL = esatL;
        r.Vdsat = vdsat;
        r.Vdseff = vdseff;
    }

    /// <summary>Output resistance (CLM, DIBL, pvag, SCBE), drain current and substrate current.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Current(Bsim3Model m, Bsim3SizeParameters p, double vds, ref Result r)
    {
        var Vds = new Dual3(vds, 0, 1, 0);
        Dual3 vgsteff = r.Vgsteff;
        Dual3 abulk = r.Abulk;
        Dual3 vdsat = r.Vdsat;
        Dual3 vdseff = r.Vdseff;
        Dual3 esatL = r.EsatL;
        Dual3 rds = r.Rds;
        Dual3 vgst2Vtm = vgsteff + (2.0 * p.Vtm);
        double leff = p.Leff;
        Dual3 diffVds = Vds - vdseff;

        // Channel-length modulation (manual eq. 3.4.7).
        Dual3 vaclm = MaxExp;
        if (p.Pclm > 0.0 && diffVds.V > 1.0e-10)
        {
            vaclm = leff * (abulk + (vgsteff / esatL)) / (p.Pclm * abulk * p.Litl) * diffVds;
        }

        // DIBL (manual eq. 3.4.9), with pdiblcb.
        Dual3 vadibl = MaxExp;
        if (p.ThetaRout > 0.0)
        {
            Dual3 t8 = abulk * vdsat;
            vadibl = (vgst2Vtm - (vgst2Vtm * t8 / (vgst2Vtm + t8))) * p.InvThetaRout;
            Dual3 t7 = p.Pdiblb * r.Vbseff;
            vadibl = t7.V >= -0.9 ? vadibl / (1.0 + t7) : vadibl * ((17.0 + (20.0 * t7)) / (0.8 + t7));
        }

        // Early voltage with the gate dependence pvag.
        Dual3 pv = p.Pvag / esatL * vgsteff;
        Dual3 pvFactor = pv.V > -0.9 ? 1.0 + pv : (0.8 + pv) / (17.0 + (20.0 * pv));
        Dual3 va = r.Vasat + (pvFactor * (vaclm * vadibl / (vaclm + vadibl)));

        // Substrate-current-induced body effect (manual eq. 3.4.13).
        Dual3 vascbe = MaxExp;
        if (p.Pscbe2 > 0.0)
        {
            vascbe = diffVds.V > p.PscbeLitl / ExpThreshold
                ? leff * Dual3.Exp(p.PscbeLitl / diffVds) * p.InvPscbe2
                : p.ScbeFloor;
        }

        // Drain current (manual eq. 3.5.x).
        Dual3 beta = r.Ueff * m.Cox * r.Weff * p.InvLeff;
        Dual3 fgche1 = vgsteff * (1.0 - (0.5 * abulk * vdseff / vgst2Vtm));
        Dual3 fgche2 = 1.0 + (vdseff / esatL);
        Dual3 gche = beta * fgche1 / fgche2;
        Dual3 idl = gche * vdseff / (1.0 + (gche * rds));
        Dual3 idsa = idl * (1.0 + (diffVds / va));
        r.Ids = idsa * (1.0 + (diffVds / vascbe));

        // Substrate current (manual section 4).
        Dual3 isub = 0.0;
        double alpha = p.Alpha0 + (p.Alpha1 * leff);
        if (alpha > 0.0 && p.Beta0 > 0.0)
        {
            double t2 = p.IsubScale;
            Dual3 f = diffVds.V > p.Beta0 / ExpThreshold ? t2 * diffVds * Dual3.Exp(-p.Beta0 / diffVds) : t2 * MinExp * diffVds;
            isub = f * idsa;
        }

        r.Isub = isub;
    }

    /// <summary>1 + x, continued as (1 + 3x)/(3 + 8x) below x = -0.5 (dvt2/dvt2w guard).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Dual3 Guard05(Dual3 x) => x.V >= -0.5 ? 1.0 + x : (1.0 + (3.0 * x)) / (3.0 + (8.0 * x));

    /// <summary>exp(x)(1 + 2 exp(x)) with the release code's constant floor below -34.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Dual3 ThetaShape(Dual3 x)
    {
        if (x.V > -ExpThreshold)
        {
            Dual3 t = Dual3.Exp(x);
            return t * (1.0 + (2.0 * t));
        }

        return MinExp * (1.0 + (2.0 * MinExp));
    }
}
