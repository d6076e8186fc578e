namespace DnnOpt.Spice.Devices.Mosfets.Bsim3;

/// <summary>
/// BSIM3v3.3 charge models as pure functions (manual chapter 4 "Capacitance modeling" and appendix B): the intrinsic
/// gate, bulk and source charges of capMod 0 (simple piece-wise model with vfbcv), 1 (piece-wise, single equation
/// per region), 2 (smooth, single equation) and 3 (charge-thickness model with acde/moin), with the 0/100, 40/60 and
/// 50/50 drain/source partitions (xpart &gt; 0.5, &lt; 0.5, = 0.5); the bias-dependent overlap charges (capMod 0: constant
/// cgso/cgdo; 1 and 2/3: cgsl/cgdl with ckappa); and the bulk-source/drain junction depletion charges (bottom,
/// field-oxide sidewall and gate-edge sidewall). Charges carry their exact derivatives (<see cref="Dual3"/>), so the
/// capacitance matrix Cij = ∂Qi/∂Vj comes with them.
/// </summary>
internal static class Bsim3Charges
{
    private const double ExpThreshold = 34.0;
    private const double MaxExp = 5.834617425e14;
    private const double MinExp = 1.713908431e-15;
    private const double Delta3 = 0.02;
    private const double Delta4 = 0.02;
    private const double Delta1 = 0.02;

    /// <summary>
    /// Intrinsic charges (C) in the normalised, forward-mode frame; Qd = -(Qg + Qb + Qs). <c>Qinv</c> is the inversion
    /// charge the BSIM3 thermal-noise model (noiMod 2, 4) uses, as each capMod defines it.
    /// </summary>
    public readonly record struct Intrinsic(Dual3 Qg, Dual3 Qb, Dual3 Qs, double Qinv = 0)
    {
        public Dual3 Qd => -(Qg + Qb + Qs);
    }

    /// <summary>
    /// Intrinsic charges at the normalised forward-mode bias the channel was evaluated at (<paramref name="vds"/> ≥ 0,
    /// <paramref name="vbs"/> the same as given to <c>Bsim3Channel.Evaluate</c>).
    /// </summary>
    public static Intrinsic Evaluate(Bsim3Model m, Bsim3SizeParameters p, in Bsim3Channel.Result r, double vds, double vbs)
    {
        double coxWl = m.Cox * p.WeffCv * p.LeffCv;
        var vdsD = new Dual3(vds, 0, 1, 0);
        return m.CapMod == 0 ? CapMod0(m, p, r, coxWl, vdsD, vbs) : Smooth(m, p, r, coxWl, vdsD);
    }

    private static Intrinsic CapMod0(Bsim3Model m, Bsim3SizeParameters p, in Bsim3Channel.Result r, double coxWl, Dual3 vds, double vbs)
    {
        // capMod 0 uses d/dVbseff of the surface potential without the smoothing slope of Vbseff (release code).
        double k = 1.0 / r.VbseffSlope;
        Dual3 phis = new(r.Phis.V, r.Phis.G, r.Phis.D, r.Phis.B * k);
        Dual3 sqrtPhis = new(r.SqrtPhis.V, r.SqrtPhis.G, r.SqrtPhis.D, r.SqrtPhis.B * k);
        Dual3 abulk0 = new(r.Abulk0.V, r.Abulk0.G, r.Abulk0.D, r.Abulk0.B * k);
        Dual3 vbseff = r.Vbseff.V < 0.0 ? new Dual3(vbs, 0, 0, 1) : p.Phi - phis;
        double vfb = p.Vfbcv;
        Dual3 vgsEff = r.Vgs_eff;
        Dual3 vth = vfb + p.Phi + (p.K1ox * sqrtPhis);
        Dual3 vgst = vgsEff - vth;
        Dual3 arg1 = vgsEff - vbseff - vfb;
        Dual3 qg;
        Dual3 qb;
        Dual3 qd = 0.0;
        if (arg1.V <= 0.0)
        {
            qg = coxWl * arg1;
            qb = -qg;
        }
        else if (vgst.V <= 0.0)
        {
            double t1 = 0.5 * p.K1ox;
            qg = coxWl * p.K1ox * (Dual3.Sqrt((t1 * t1) + arg1) - t1);
            qb = -qg;
        }
        else
        {
            Dual3 abulkCv = abulk0 * p.AbulkCvFactor;
            Dual3 vdsat = vgst / abulkCv;
            Dual3 baseQg = coxWl * (vgsEff - vfb - p.Phi);
            if (vdsat.V <= vds.V)
            {
                qg = baseQg - (coxWl * vdsat / 3.0);
                Dual3 t2 = -2.0 / 3.0 * coxWl * vgst;
                qb = -(qg + t2);
                qd = m.Xpart > 0.5 ? 0.0 : m.Xpart < 0.5 ? 0.4 * t2 : 0.5 * t2;
            }
            else
            {
                Dual3 alphaz = vgst / vdsat;
                Dual3 t1 = (2.0 * vdsat) - vds;
                Dual3 t2 = vds / (3.0 * t1);
                Dual3 t3 = t2 * vds;
                double t9 = 0.25 * coxWl;
                Dual3 t4 = t9 * alphaz;
                qg = baseQg - (coxWl * 0.5 * (vds - t3));
                if (m.Xpart > 0.5)
                {
                    Dual3 t7 = (2.0 * vds) - t1 - (3.0 * t3);
                    Dual3 t8 = t3 - t1 - (2.0 * vds);
                    qd = t4 * t7;
                    qb = -(qg + qd + (t4 * t8));
                }
                else if (m.Xpart < 0.5)
                {
                    Dual3 t6 = (8.0 * vdsat * vdsat) - (6.0 * vdsat * vds) + (1.2 * vds * vds);
                    Dual3 t8 = t2 / t1;
                    qd = t4 * (vds - t1 - (t8 * t6));
                    qb = -(qg - (t4 * 2.0 * (t1 + t3)));
                }
                else
                {
                    qd = -t4 * (t1 + t3);
                    qb = -(qg + qd + qd);
                }
            }
        }

        return new Intrinsic(qg, qb, -(qg + qb + qd), -(qg.V + qb.V));
    }

    /// <summary>capMod 1, 2 and 3: VgsteffCV with noff/voffcv, then the model's charge equations.</summary>
    private static Intrinsic Smooth(Bsim3Model m, Bsim3SizeParameters p, in Bsim3Channel.Result r, double coxWl, Dual3 vds)
    {
        Dual3 vbseffCv = r.Vbseff.V < 0.0 ? r.Vbseff : p.Phi - r.Phis;
        Dual3 vgsEff = r.Vgs_eff;
        Dual3 vgst = vgsEff - r.Vth;
        Dual3 noff = r.N * p.Noff;
        Dual3 t0 = p.Vtm * noff;
        Dual3 vgstNvt = (vgst - p.Voffcv) / t0;
        Dual3 vgsteff = vgstNvt.V > ExpThreshold
            ? vgst - p.Voffcv
            : vgstNvt.V < -ExpThreshold ? t0 * Math.Log(1.0 + MinExp) : t0 * Dual3.Log(1.0 + Dual3.Exp(vgstNvt));
        Dual3 abulkCv = r.Abulk0 * p.AbulkCvFactor;
        return m.CapMod switch
        {
            1 => CapMod1(m, p, coxWl, vds, vbseffCv, vgsEff, vgsteff, abulkCv),
            2 => CapMod2(m, p, coxWl, vds, vbseffCv, vgsEff, vgsteff, abulkCv),
            _ => CapMod3(m, p, r, coxWl, vds, vbseffCv, vgsEff, vgsteff, abulkCv),
        };
    }

    private static Intrinsic CapMod1(Bsim3Model m, Bsim3SizeParameters p, double coxWl, Dual3 vds, Dual3 vbseffCv, Dual3 vgsEff, Dual3 vgsteff, Dual3 abulkCv)
    {
        Dual3 arg1 = vgsEff - vbseffCv - p.Vfbzb - vgsteff;
        Dual3 qg;
        if (arg1.V <= 0.0)
        {
            qg = coxWl * arg1;
        }
        else
        {
            double t0 = 0.5 * p.K1ox;
            qg = coxWl * p.K1ox * (Dual3.Sqrt((t0 * t0) + arg1) - t0);
        }

        Dual3 qb = -qg;
        Dual3 qs;
        Dual3 vdsatCv = vgsteff / abulkCv;
        if (vdsatCv.V < vds.V)
        {
            qg += coxWl * (vgsteff - (vdsatCv / 3.0));
            qb += coxWl / 3.0 * (vdsatCv - vgsteff);
            double share = m.Xpart > 0.5 ? -2.0 / 3.0 : m.Xpart < 0.5 ? -0.4 : -1.0 / 3.0;
            qs = share * coxWl * vgsteff;
        }
        else
        {
            Dual3 t0 = abulkCv * vds;
            Dual3 t1 = 12.0 * (vgsteff - (0.5 * t0) + 1.0e-20);
            Dual3 t3 = t0 * (vds / t1);
            Dual3 innerG = coxWl * (vgsteff - (0.5 * vds) + t3);
            Dual3 innerB = coxWl * (1.0 - abulkCv) * ((0.5 * vds) - t3);
            qg += innerG;
            qb += innerB;
            qs = SourceShare(m.Xpart, coxWl, vgsteff, t0, t1, innerG + innerB);
        }

        return new Intrinsic(qg, qb, qs, -(qg.V + qb.V));
    }

    private static Intrinsic CapMod2(Bsim3Model m, Bsim3SizeParameters p, double coxWl, Dual3 vds, Dual3 vbseffCv, Dual3 vgsEff, Dual3 vgsteff, Dual3 abulkCv)
    {
        double vfb = p.Vfbzb;
        Dual3 vfbeff = FlatBand(vfb, vgsEff, vbseffCv);
        Dual3 qac0 = coxWl * (vfbeff - vfb);
        Dual3 qsub0 = Depletion(p.K1ox, coxWl, vgsEff - vfbeff - vbseffCv - vgsteff);

        Dual3 vdsatCv = vgsteff / abulkCv;
        Dual3 v4 = vdsatCv - vds - Delta4;
        Dual3 s = Dual3.Sqrt((v4 * v4) + (4.0 * Delta4 * vdsatCv));
        Dual3 vdseffCv = vdsatCv - (0.5 * (v4 + s));
        if (vds.V == 0.0)
        {
            // The release code zeroes VdseffCV at Vds = 0 keeping only its partial slope in Vds.
            vdseffCv = new Dual3(0, 0, 0.5 * (1.0 + (v4.V / s.V)), 0);
        }

        Dual3 t0 = abulkCv * vdseffCv;
        Dual3 t1 = 12.0 * (vgsteff - (0.5 * t0) + 1e-20);
        Dual3 t3 = t0 * (vdseffCv / t1);
        Dual3 qg = coxWl * (vgsteff - (0.5 * vdseffCv) + t3);
        Dual3 qb = coxWl * (1.0 - abulkCv) * ((0.5 * vdseffCv) - t3);
        Dual3 qs = SourceShare(m.Xpart, coxWl, vgsteff, t0, t1, qg + qb);
        double qinv = -coxWl * (vgsteff.V - (0.5 * t0.V) + (abulkCv.V * t3.V));
        qg += qac0 + qsub0;
        qb -= qac0 + qsub0;
        return new Intrinsic(qg, qb, qs, qinv);
    }

    private static Intrinsic CapMod3(Bsim3Model m, Bsim3SizeParameters p, in Bsim3Channel.Result r, double coxWl, Dual3 vds, Dual3 vbseffCv, Dual3 vgsEff, Dual3 vgsteff, Dual3 abulkCv)
    {
        double vfbzb = p.Vfbzb;
        double cox = m.Cox;
        Dual3 vfbeff = FlatBand(vfbzb, vgsEff, vbseffCv);

        // Charge centroid in accumulation/depletion (manual eq. 4.3.x): Tcen = ldeb exp(acde (Vgs - Vbs - Vfbzb)/tox).
        double toxA = 1.0e8 * m.Tox;
        Dual3 tmp = (vgsEff - vbseffCv - vfbzb) / toxA * p.Acde;
        Dual3 tcen = tmp.V > -ExpThreshold && tmp.V < ExpThreshold ? p.Ldeb * Dual3.Exp(tmp) : tmp.V <= -ExpThreshold ? p.Ldeb * MinExp : p.Ldeb * MaxExp;
        double link = 1.0e-3 * m.Tox;
        Dual3 v3 = p.Ldeb - tcen - link;
        tcen = p.Ldeb - (0.5 * (v3 + Dual3.Sqrt((v3 * v3) + (4.0 * link * p.Ldeb))));
        Dual3 coxWlCen = CoxWlCentroid(cox, coxWl, tcen);
        Dual3 qac0 = coxWlCen * (vfbeff - vfbzb);
        Dual3 qsub0 = Depletion(p.K1ox, coxWlCen, vgsEff - vfbeff - vbseffCv - vgsteff);

        // Gate-bias dependent surface-potential correction DeltaPhi in inversion.
        double denomi;
        double t0p;
        if (p.K1ox <= 0.0)
        {
            denomi = 0.25 * p.Moin * p.Vtm;
            t0p = 0.5 * p.SqrtPhi;
        }
        else
        {
            denomi = p.Moin * p.Vtm * p.K1ox * p.K1ox;
            t0p = p.K1ox * p.SqrtPhi;
        }

        Dual3 deltaPhi = p.Vtm * Dual3.Log(1.0 + (((2.0 * t0p) + vgsteff) * vgsteff / denomi));
        Dual3 a = vgsteff - deltaPhi - 0.001;
        Dual3 vgdp = 0.5 * (a + Dual3.Sqrt((a * a) + (vgsteff * 0.004)));

        // Inversion charge centroid.
        double toxB = 2.0 * toxA;
        Dual3 t3 = 4.0 * (r.Vth - vfbzb - p.Phi);
        Dual3 tt = t3.V >= 0.0 ? (vgsteff + t3) / toxB : (vgsteff + 1.0e-20) / toxB;
        Dual3 tcenInv = 1.9e-9 / (1.0 + Dual3.Exp(0.7 * Dual3.Log(tt)));
        Dual3 coxWlCenInv = CoxWlCentroid(cox, coxWl, tcenInv);

        Dual3 vdsatCv = vgdp / abulkCv;
        Dual3 u = vdsatCv - vds - Delta4;
        Dual3 w = Dual3.Sqrt((u * u) + (4.0 * Delta4 * vdsatCv));
        Dual3 vdseffCv;
        if (u.V >= 0.0)
        {
            vdseffCv = vdsatCv - (0.5 * (u + w));
        }
        else
        {
            Dual3 tq = (Delta4 + Delta4) / (w - u);
            vdseffCv = vdsatCv * (1.0 - tq);

            // The release code's body slope here takes (1 - T5) where (1 - T3 - T5) belongs, i.e. it adds T3 times
            // the Abulk part of dVdsatCV/dVbs; reproduced so Cxb matches ngspice (its charges do not carry it).
            double abulkSlope = -vdsatCv.V / abulkCv.V * abulkCv.B;
            vdseffCv = new Dual3(vdseffCv.V, vdseffCv.G, vdseffCv.D, vdseffCv.B + (tq.V * abulkSlope));
        }
        if (vds.V == 0.0)
        {
            double slope = u.V >= 0.0
                ? 0.5 * (1.0 + (u.V / w.V))
                : vdsatCv.V * ((Delta4 + Delta4) / (w.V - u.V)) / (w.V - u.V) * (1.0 - (u.V / w.V));
            vdseffCv = new Dual3(0, 0, slope, 0);
        }

        Dual3 c0 = abulkCv * vdseffCv;
        Dual3 c1 = vgdp;
        Dual3 c2 = 12.0 * (c1 - (0.5 * c0) + 1.0e-20);
        Dual3 c3 = c0 / c2;
        Dual3 qgInv = coxWlCenInv * (c1 - (c0 * (0.5 - c3)));
        Dual3 qbInv = coxWlCenInv * (1.0 - abulkCv) * ((0.5 * vdseffCv) - (c0 * vdseffCv / c2));
        Dual3 qs;
        if (m.Xpart > 0.5)
        {
            qs = -coxWlCenInv * ((c1 / 2.0) + (c0 / 4.0) - (0.5 * c0 * c0 / c2));
        }
        else if (m.Xpart < 0.5)
        {
            Dual3 d2 = c2 / 12.0;
            Dual3 d3 = 0.5 * coxWlCenInv / (d2 * d2);
            Dual3 d4 = (c1 * ((2.0 * c0 * c0 / 3.0) + (c1 * (c1 - (4.0 * c0 / 3.0))))) - (2.0 * c0 * c0 * c0 / 15.0);
            qs = -d3 * d4;
        }
        else
        {
            qs = -0.5 * qgInv;
        }

        Dual3 qg = qgInv + qac0 + qsub0 - qbInv;
        Dual3 qb = qbInv - (qac0 + qsub0);
        return new Intrinsic(qg, qb, qs, -qgInv.V);
    }

    /// <summary>Source charge of capMod 1/2 below saturation for the three partitions.</summary>
    private static Dual3 SourceShare(double xpart, double coxWl, Dual3 vgsteff, Dual3 t0, Dual3 t1, Dual3 innerSum)
    {
        if (xpart > 0.5)
        {
            Dual3 twoT1 = t1 + t1;
            return -coxWl * ((0.5 * vgsteff) + (0.25 * t0) - (t0 * t0 / twoT1));
        }

        if (xpart < 0.5)
        {
            Dual3 d1 = t1 / 12.0;
            Dual3 d2 = 0.5 * coxWl / (d1 * d1);
            Dual3 d3 = (vgsteff * ((2.0 * t0 * t0 / 3.0) + (vgsteff * (vgsteff - (4.0 * t0 / 3.0))))) - (2.0 * t0 * t0 * t0 / 15.0);
            return -d2 * d3;
        }

        return -0.5 * innerSum;
    }

    /// <summary>Smooth effective flat-band voltage min(Vfb, Vgs - Vbs) with DELTA_3 (manual eq. 4.2.x).</summary>
    private static Dual3 FlatBand(double vfb, Dual3 vgsEff, Dual3 vbseffCv)
    {
        Dual3 v3 = vfb - vgsEff + vbseffCv - Delta3;
        Dual3 t0 = vfb <= 0.0 ? Dual3.Sqrt((v3 * v3) - (4.0 * Delta3 * vfb)) : Dual3.Sqrt((v3 * v3) + (4.0 * Delta3 * vfb));
        return vfb - (0.5 * (v3 + t0));
    }

    /// <summary>Depletion charge CoxWL k1ox (sqrt(k1ox²/4 + V) - k1ox/2), continued linearly for V &lt; 0.</summary>
    private static Dual3 Depletion(double k1ox, Dual3 coxWl, Dual3 v)
    {
        if (k1ox == 0.0)
        {
            return 0.0;
        }

        double t0 = 0.5 * k1ox;
        Dual3 t1 = v.V < 0.0 ? t0 + (v / k1ox) : Dual3.Sqrt((t0 * t0) + v);
        return coxWl * k1ox * (t1 - t0);
    }

    /// <summary>CoxWL scaled by the series combination of Cox and the centroid capacitance εSi/Tcen.</summary>
    private static Dual3 CoxWlCentroid(double cox, double coxWl, Dual3 tcen)
    {
        Dual3 ccen = Bsim3Model.EpsSi / tcen;
        Dual3 coxeff = cox / (cox + ccen) * ccen;
        return coxWl * coxeff / cox;
    }

    /// <summary>
    /// Gate overlap charge (C) and capacitance (F) on one side at gate-side voltage <paramref name="v"/> (vgs or vgd):
    /// capMod 0 constant cgxo·Weff; capMod 1 piece-wise cgxl/ckappa; capMod 2-3 the smooth form with DELTA_1.
    /// </summary>
    public static (double Charge, double Capacitance) Overlap(int capMod, double cgxoW, double cgxl, double weffCv, double ckappa, double v)
    {
        if (capMod == 0)
        {
            return (cgxoW * v, cgxoW);
        }

        double t3 = weffCv * cgxl;
        if (capMod == 1)
        {
            if (v < 0.0)
            {
                double t1 = Math.Sqrt(1.0 - (4.0 * v / ckappa));
                return ((cgxoW * v) - (t3 * 0.5 * ckappa * (t1 - 1.0)), cgxoW + (t3 / t1));
            }

            return ((t3 + cgxoW) * v, cgxoW + t3);
        }

        double t0 = v + Delta1;
        double s = Math.Sqrt((t0 * t0) + (4.0 * Delta1));
        double t2 = 0.5 * (t0 - s);
        double t4 = Math.Sqrt(1.0 - (4.0 * t2 / ckappa));
        double c = cgxoW + t3 - (t3 * (1.0 - (1.0 / t4)) * (0.5 - (0.5 * t0 / s)));
        double q = ((cgxoW + t3) * v) - (t3 * (t2 + (0.5 * ckappa * (t4 - 1.0))));
        return (q, c);
    }

    /// <summary>One junction's depletion charge and capacitance with bottom, sidewall and gate-edge components.</summary>
    public static (double Charge, double Capacitance) Junction(double v, double cBottom, double cSide, double cGate, double phiB, double phiSw, double phiSwg, double mj, double mjsw, double mjswg)
    {
        if (v == 0.0)
        {
            return (0.0, cBottom + cSide + cGate);
        }

        if (v < 0.0)
        {
            double q = 0.0;
            double c = 0.0;
            Add(cBottom, phiB, mj);
            Add(cSide, phiSw, mjsw);
            Add(cGate, phiSwg, mjswg);
            return (q, c);

            void Add(double cz, double pb, double mg)
            {
                if (cz > 0.0)
                {
                    double arg = 1.0 - (v / pb);
                    double sarg = mg == 0.5 ? 1.0 / Math.Sqrt(arg) : Math.Exp(-mg * Math.Log(arg));
                    q += pb * cz * (1.0 - (arg * sarg)) / (1.0 - mg);
                    c += cz * sarg;
                }
            }
        }

        double t0 = cBottom + cSide + cGate;
        double t1 = v * ((cBottom * mj / phiB) + (cSide * mjsw / phiSw) + (cGate * mjswg / phiSwg));
        return (v * (t0 + (0.5 * t1)), t0 + t1);
    }
}
