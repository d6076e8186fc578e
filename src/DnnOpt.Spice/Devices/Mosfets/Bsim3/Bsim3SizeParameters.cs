using System.Globalization;
using System.Runtime.CompilerServices;
using B = DnnOpt.Spice.Devices.Mosfets.Bsim3.Bsim3Model.Bin;

namespace DnnOpt.Spice.Devices.Mosfets.Bsim3;

/// <summary>
/// The BSIM3v3.3 parameters of one device size at one temperature (manual chapter 2 and appendix A/B): effective
/// channel length and width (eqs. 2.8.x with lint/wint and the ll/lw/lwl, wl/ww/wwl laws), every binnable parameter
/// binned, temperature-scaled mobility, velocity saturation and Rds (manual section 5 "Temperature dependence"),
/// and the derived threshold-voltage constants (phi, Xdep0, vbi, k1/k2 from the doping profile when not given,
/// vfb/vth0, theta0vb0, thetaRout, vbsc). Everything voltage-independent is done here, once per size and
/// temperature; the load evaluates only bias-dependent arithmetic. Fields hold SI units (m, V, A, F/m²).
/// </summary>
internal sealed class Bsim3SizeParameters
{
    private const double ExpThreshold = 34.0;
    private const double MinExp = 1.713908431e-15;
    private const double MaxExp = 5.834617425e14;

    /// <summary>
    /// The instance that last evaluated the channel with these parameters, its channel-result version then, and the
    /// arguments it used (see <c>Bsim3.EvaluateChannel</c>): instances of one size seeing bit-identical voltages, as
    /// the units of an arrayed device in parallel do, take that instance's result instead of evaluating it again.
    /// Single-threaded, like the card's size cache that owns these parameters.
    /// </summary>
    internal Bsim3? LastEvaluator;
    internal long LastVersion;
    internal double LastVgs;
    internal double LastVds;
    internal double LastVbs;

    /// <summary>
    /// The channel result of the last evaluation with these parameters, by <see cref="LastEvaluator"/> at
    /// <see cref="LastVersion"/> (see <c>Bsim3.EvaluateChannel</c>): instances do not keep one each.
    /// </summary>
    internal Bsim3.ChannelBox? Scratch;

#pragma warning disable CA1051 // plain data read in the load loop
    public double Leff;
    public double Weff;
    public double LeffCv;
    public double WeffCv;
    public double Cdsc;
    public double Cdscb;
    public double Cdscd;
    public double Cit;
    public double Nfactor;
    public double Xj;
    public double VsatTemp;
    public double A0;
    public double Ags;
    public double A1;
    public double A2;
    public double Keta;
    public double Ngate;
    public double K1;
    public double K2;
    public double K1ox;
    public double K2ox;
    public double K3;
    public double K3b;
    public double Kt1;
    public double Kt1l;
    public double Kt2;
    public double W0;
    public double Nlx;
    public double Dvt0;
    public double Dvt1;
    public double Dvt2;
    public double Dvt0w;
    public double Dvt1w;
    public double Dvt2w;
    public double Eta0;
    public double Etab;
    public double Ua;
    public double Ub;
    public double Uc;
    public double U0Temp;
    public double Voff;
    public double Delta;
    public double Rds0;
    public double Prwg;
    public double Prwb;
    public double Pclm;
    public double Pdiblb;
    public double Pscbe1;
    public double Pscbe2;
    public double Pvag;
    public double Dwg;
    public double Dwb;
    public double B0;
    public double B1;
    public double Alpha0;
    public double Alpha1;
    public double Beta0;
    public double Phi;
    public double SqrtPhi;
    public double Phis3;
    public double Xdep0;
    public double Litl;
    public double Vbi;
    public double Cdep0;
    public double Vbsc;
    public double Vfb;
    public double Vth0;
    public double Theta0vb0;
    public double ThetaRout;
    public double Vfbzb;
    public double Factor1;
    public double TempRatio;
    public double Vtm;

    // Bias-independent parts of the channel equations (Bsim3Channel), each formed exactly as the equation there
    // would form it, so precomputing them changes no bit; "Inv" values replace divisions by a constant, which the
    // dual numbers carry out as multiplications by the reciprocal anyway.
    public double VthBase;
    public double LateralVth;
    public double Kt1Total;
    public double WidthTerm;
    public double V0;
    public double ThetaArg;
    public double ThetaArgW;
    public double NfactorEps;
    public double InvSqrtPhi;
    public double InvCox;
    public double InvTox;
    public double InvLeff;
    public double VfbPhi;
    public double PolyK;
    public double InvPolyK;
    public double SubthresholdScale;
    public double InvSubthresholdScale;
    public double HalfK1ox;
    public double B0Term;
    public double TwoVsat;
    public double InvThetaRout;
    public double PscbeLitl;
    public double InvPscbe2;
    public double ScbeFloor;
    public double IsubScale;

    // Capacitance-model parameters (capMod 0-3), binned.
    public double Elm;
    public double Cgsl;
    public double Cgdl;
    public double Ckappa;
    public double Cf;
    public double Clc;
    public double Cle;
    public double Vfbcv;
    public double Acde;
    public double Moin;
    public double Noff;
    public double Voffcv;
    public double AbulkCvFactor;
    public double Ldeb;
    public double CgsoW;
    public double CgdoW;
    public double CgboL;
#pragma warning restore CA1051

    /// <summary>
    /// Size- and temperature-dependent parameters for drawn <paramref name="l"/> × <paramref name="w"/> (m) at
    /// <paramref name="temperature"/> (K), with the instance's <c>delvto</c> (V) and <c>mulu0</c> applied.
    /// Reports ngspice's fatal conditions (b3check: BSIM3v3.3 manual appendix A ranges) as parse errors.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Bsim3SizeParameters Compute(Bsim3Model m, double l, double w, double temperature, double delvto, double mulu0, string device)
    {
        var s = new Bsim3SizeParameters();
        double tnom = m.Tnom;
        double tRatio = temperature / tnom;
        s.TempRatio = tRatio - 1.0;
        s.Vtm = Bsim3Model.KbOverQ * temperature;
        s.Factor1 = Math.Sqrt(Bsim3Model.EpsSi / Bsim3Model.EpsOx * m.Tox);
        double vtm0 = Bsim3Model.KbOverQ * tnom;
        double eg0 = 1.16 - (7.02e-4 * tnom * tnom / (tnom + 1108.0));
        double ni = 1.45e10 * (tnom / 300.15) * Math.Sqrt(tnom / 300.15) * Math.Exp(21.5565981 - (eg0 / (2.0 * vtm0)));

        // Effective geometry (manual eqs. 2.8.3-2.8.6): dL, dW from lint/wint and the power laws.
        double t0 = Math.Pow(l, m.Lln);
        double t1 = Math.Pow(w, m.Lwn);
        double dl = m.Lint + (m.Ll / t0) + (m.Lw / t1) + (m.Lwl / (t0 * t1));
        double dlc = m.Dlc + (m.Llc / t0) + (m.Lwc / t1) + (m.Lwlc / (t0 * t1));
        double t2 = Math.Pow(l, m.Wln);
        double t3 = Math.Pow(w, m.Wwn);
        double dw = m.Wint + (m.Wl / t2) + (m.Ww / t3) + (m.Wwl / (t2 * t3));
        double dwc = m.Dwc + (m.Wlc / t2) + (m.Wwc / t3) + (m.Wwlc / (t2 * t3));
        s.Leff = l + m.Xl - (2.0 * dl);
        s.Weff = w + m.Xw - (2.0 * dw);
        s.LeffCv = l + m.Xl - (2.0 * dlc);
        s.WeffCv = w + m.Xw - (2.0 * dwc);
        if (s.Leff <= 0)
        {
            throw m.Error($"BSIM3: mosfet {device}: Effective channel length <= 0");
        }

        if (s.Weff <= 0)
        {
            throw m.Error($"BSIM3: mosfet {device}: Effective channel width <= 0");
        }

        if (s.LeffCv <= 0)
        {
            throw m.Error($"BSIM3: mosfet {device}: Effective channel length for C-V <= 0");
        }

        if (s.WeffCv <= 0)
        {
            throw m.Error($"BSIM3: mosfet {device}: Effective channel width for C-V <= 0");
        }

        double invL;
        double invW;
        double invLW;
        if (m.BinUnit == 1)
        {
            invL = 1.0e-6 / s.Leff;
            invW = 1.0e-6 / s.Weff;
            invLW = 1.0e-12 / (s.Leff * s.Weff);
        }
        else
        {
            invL = 1.0 / s.Leff;
            invW = 1.0 / s.Weff;
            invLW = 1.0 / (s.Leff * s.Weff);
        }

        double P(B p) => m.Binned(p, invL, invW, invLW);

        s.Cdsc = P(B.Cdsc);
        s.Cdscb = P(B.Cdscb);
        s.Cdscd = P(B.Cdscd);
        s.Cit = P(B.Cit);
        s.Nfactor = P(B.Nfactor);
        s.Xj = P(B.Xj);
        double vsat = P(B.Vsat);
        double at = P(B.At);
        s.A0 = P(B.A0);
        s.Ags = P(B.Ags);
        s.A1 = P(B.A1);
        s.A2 = P(B.A2);
        s.Keta = P(B.Keta);
        double nsub = P(B.Nsub);
        double npeak = P(B.Npeak);
        s.Ngate = P(B.Ngate);
        double gamma1 = P(B.Gamma1);
        double gamma2 = P(B.Gamma2);
        double vbx = P(B.Vbx);
        double vbm = P(B.Vbm);
        double xt = P(B.Xt);
        s.Vfb = P(B.Vfb);
        s.K1 = P(B.K1);
        s.Kt1 = P(B.Kt1);
        s.Kt1l = P(B.Kt1l);
        s.K2 = P(B.K2);
        s.Kt2 = P(B.Kt2);
        s.K3 = P(B.K3);
        s.K3b = P(B.K3b);
        s.W0 = P(B.W0);
        s.Nlx = P(B.Nlx);
        s.Dvt0 = P(B.Dvt0);
        s.Dvt1 = P(B.Dvt1);
        s.Dvt2 = P(B.Dvt2);
        s.Dvt0w = P(B.Dvt0w);
        s.Dvt1w = P(B.Dvt1w);
        s.Dvt2w = P(B.Dvt2w);
        double drout = P(B.Drout);
        double dsub = P(B.Dsub);
        s.Vth0 = P(B.Vth0);
        double ua = P(B.Ua);
        double ua1 = P(B.Ua1);
        double ub = P(B.Ub);
        double ub1 = P(B.Ub1);
        double uc = P(B.Uc);
        double uc1 = P(B.Uc1);
        double u0 = P(B.U0);
        double ute = P(B.Ute);
        s.Voff = P(B.Voff);
        s.Delta = P(B.Delta);
        double rdsw = P(B.Rdsw);
        s.Prwg = P(B.Prwg);
        s.Prwb = P(B.Prwb);
        double prt = P(B.Prt);
        s.Eta0 = P(B.Eta0);
        s.Etab = P(B.Etab);
        s.Pclm = P(B.Pclm);
        double pdibl1 = P(B.Pdibl1);
        double pdibl2 = P(B.Pdibl2);
        s.Pdiblb = P(B.Pdiblb);
        s.Pscbe1 = P(B.Pscbe1);
        s.Pscbe2 = P(B.Pscbe2);
        s.Pvag = P(B.Pvag);
        double wr = P(B.Wr);
        s.Dwg = P(B.Dwg);
        s.Dwb = P(B.Dwb);
        s.B0 = P(B.B0);
        s.B1 = P(B.B1);
        s.Alpha0 = P(B.Alpha0);
        s.Alpha1 = P(B.Alpha1);
        s.Beta0 = P(B.Beta0);
        s.Elm = P(B.Elm);
        s.Cgsl = P(B.Cgsl);
        s.Cgdl = P(B.Cgdl);
        s.Ckappa = P(B.Ckappa);
        s.Cf = P(B.Cf);
        s.Clc = P(B.Clc);
        s.Cle = P(B.Cle);
        s.Vfbcv = P(B.Vfbcv);
        s.Acde = P(B.Acde);
        s.Moin = P(B.Moin);
        s.Noff = P(B.Noff);
        s.Voffcv = P(B.Voffcv);
        s.AbulkCvFactor = 1.0 + Math.Pow(s.Clc / s.LeffCv, s.Cle);

        // Temperature (manual section 5): mobility and velocity saturation scale with T/Tnom.
        double dT = tRatio - 1.0;
        s.Ua = ua + (ua1 * dT);
        s.Ub = ub + (ub1 * dT);
        s.Uc = uc + (uc1 * dT);
        if (u0 > 1.0)
        {
            u0 /= 1.0e4; // cm²/Vs given: BSIM3 converts to m²/Vs
        }

        s.U0Temp = u0 * Math.Pow(tRatio, ute);
        s.VsatTemp = vsat - (at * dT);
        s.Rds0 = (rdsw + (prt * dT)) / Math.Pow(s.Weff * 1e6, wr);

        Check(m, s, device, npeak, nsub, dsub, drout);

        s.CgdoW = (m.Cgdo + s.Cf) * s.WeffCv;
        s.CgsoW = (m.Cgso + s.Cf) * s.WeffCv;
        s.CgboL = m.Cgbo * s.LeffCv;

        if (!m.IsGiven("nch") && m.IsGiven("gamma1"))
        {
            double g = gamma1 * m.Cox;
            npeak = 3.021e22 * g * g;
        }

        s.Phi = 2.0 * vtm0 * Math.Log(npeak / ni);
        s.SqrtPhi = Math.Sqrt(s.Phi);
        s.Phis3 = s.SqrtPhi * s.Phi;
        s.Xdep0 = Math.Sqrt(2.0 * Bsim3Model.EpsSi / (Bsim3Model.Charge * npeak * 1.0e6)) * s.SqrtPhi;
        s.Litl = Math.Sqrt(3.0 * s.Xj * m.Tox);
        s.Vbi = vtm0 * Math.Log(1.0e20 * npeak / (ni * ni));
        s.Cdep0 = Math.Sqrt(Bsim3Model.Charge * Bsim3Model.EpsSi * npeak * 1.0e6 / 2.0 / s.Phi);
        s.Ldeb = Math.Sqrt(Bsim3Model.EpsSi * vtm0 / (Bsim3Model.Charge * npeak * 1.0e6)) / 3.0;
        s.Acde *= Math.Pow(npeak / 2.0e16, -0.25);

        // Body-effect coefficients: given k1/k2, or from the two-level doping profile (manual eqs. 2.1.11-2.1.14).
        if (m.IsGiven("k1") || m.IsGiven("k2"))
        {
            if (!m.IsGiven("k1"))
            {
                s.K1 = 0.53;
            }

            if (!m.IsGiven("k2"))
            {
                s.K2 = -0.0186;
            }
        }
        else
        {
            if (!m.IsGiven("vbx"))
            {
                vbx = s.Phi - (7.7348e-4 * npeak * xt * xt);
            }

            if (vbx > 0.0)
            {
                vbx = -vbx;
            }

            if (vbm > 0.0)
            {
                vbm = -vbm;
            }

            if (!m.IsGiven("gamma1"))
            {
                gamma1 = 5.753e-12 * Math.Sqrt(npeak) / m.Cox;
            }

            if (!m.IsGiven("gamma2"))
            {
                gamma2 = 5.753e-12 * Math.Sqrt(nsub) / m.Cox;
            }

            double a = gamma1 - gamma2;
            double b = Math.Sqrt(s.Phi - vbx) - s.SqrtPhi;
            double c = Math.Sqrt(s.Phi * (s.Phi - vbm)) - s.Phi;
            s.K2 = a * b / ((2.0 * c) + vbm);
            s.K1 = gamma2 - (2.0 * s.K2 * Math.Sqrt(s.Phi - vbm));
        }

        if (s.K2 < 0.0)
        {
            double a = 0.5 * s.K1 / s.K2;
            s.Vbsc = 0.9 * (s.Phi - (a * a));
            s.Vbsc = s.Vbsc > -3.0 ? -3.0 : Math.Max(s.Vbsc, -30.0);
        }
        else
        {
            s.Vbsc = -30.0;
        }

        if (s.Vbsc > vbm)
        {
            s.Vbsc = vbm;
        }

        if (!m.IsGiven("vfb"))
        {
            s.Vfb = m.IsGiven("vth0") ? (m.Type * s.Vth0) - s.Phi - (s.K1 * s.SqrtPhi) : -1.0;
        }

        if (!m.IsGiven("vth0"))
        {
            s.Vth0 = m.Type * (s.Vfb + s.Phi + (s.K1 * s.SqrtPhi));
        }

        s.K1ox = s.K1 * m.Tox / m.Toxm;
        s.K2ox = s.K2 * m.Tox / m.Toxm;

        double lt = Math.Sqrt(Bsim3Model.EpsSi / Bsim3Model.EpsOx * m.Tox * s.Xdep0);
        double e = Math.Exp(-0.5 * dsub * s.Leff / lt);
        s.Theta0vb0 = e + (2.0 * e * e);
        e = Math.Exp(-0.5 * drout * s.Leff / lt);
        s.ThetaRout = (pdibl1 * (e + (2.0 * e * e))) + pdibl2;

        // Zero-bias flat-band voltage for the capMod 3 charge model.
        double ltz = s.Factor1 * Math.Sqrt(s.Xdep0);
        double v0 = s.Vbi - s.Phi;
        double narrow = s.Dvt0w * Theta(-0.5 * s.Dvt1w * s.Weff * s.Leff / ltz) * v0;
        double shortCh = s.Dvt0 * Theta(-0.5 * s.Dvt1 * s.Leff / ltz) * v0;
        double widthTerm = m.Tox * s.Phi / (s.Weff + s.W0);
        double lateral = (s.K1ox * (Math.Sqrt(1.0 + (s.Nlx / s.Leff)) - 1.0) * s.SqrtPhi) + ((s.Kt1 + (s.Kt1l / s.Leff)) * dT);
        double vthz = (m.Type * s.Vth0) - narrow - shortCh + (s.K3 * widthTerm) + lateral;
        s.Vfbzb = vthz - s.Phi - (s.K1 * s.SqrtPhi);

        // Instance offsets (ngspice's delvto and mulu0 instance parameters).
        s.Vth0 += delvto;
        s.Vfb += m.Type * delvto;
        s.Vfbzb += m.Type * delvto;
        s.U0Temp *= mulu0;
        DeriveChannelConstants(m, s);
        return s;
    }

    private static void DeriveChannelConstants(Bsim3Model m, Bsim3SizeParameters s)
    {
        s.VthBase = (m.Type * s.Vth0) - (s.K1 * s.SqrtPhi);
        s.LateralVth = s.K1ox * (Math.Sqrt(1.0 + (s.Nlx / s.Leff)) - 1.0) * s.SqrtPhi;
        s.Kt1Total = s.Kt1 + (s.Kt1l / s.Leff);
        s.WidthTerm = m.Tox * s.Phi / (s.Weff + s.W0);
        s.V0 = s.Vbi - s.Phi;
        s.ThetaArg = -0.5 * s.Dvt1 * s.Leff;
        s.ThetaArgW = -0.5 * s.Dvt1w * s.Weff * s.Leff;
        s.NfactorEps = s.Nfactor * Bsim3Model.EpsSi;
        s.InvSqrtPhi = 1 / s.SqrtPhi;
        s.InvCox = 1 / m.Cox;
        s.InvTox = 1 / m.Tox;
        s.InvLeff = 1 / s.Leff;
        s.VfbPhi = s.Vfb + s.Phi;
        s.PolyK = 1.0e6 * Bsim3Model.Charge * Bsim3Model.EpsSi * s.Ngate / (m.Cox * m.Cox);
        s.InvPolyK = 1 / s.PolyK;
        s.SubthresholdScale = s.Vtm * s.Cdep0 / m.Cox;
        s.InvSubthresholdScale = m.Cox / (s.Vtm * s.Cdep0);
        s.HalfK1ox = 0.5 * s.K1ox;
        s.B0Term = s.B0 / (s.Weff + s.B1);
        s.TwoVsat = 2.0 * s.VsatTemp;
        s.InvThetaRout = 1 / s.ThetaRout;
        s.PscbeLitl = s.Pscbe1 * s.Litl;
        s.InvPscbe2 = 1 / s.Pscbe2;
        s.ScbeFloor = MaxExp * s.Leff / s.Pscbe2;
        s.IsubScale = (s.Alpha0 + (s.Alpha1 * s.Leff)) / s.Leff;
    }

    /// <summary>The short-channel shape exp(x) (1 + 2 exp(x)), with BSIM3's floor for very negative x.</summary>
    public static double Theta(double x)
    {
        double t = x > -ExpThreshold ? Math.Exp(x) : MinExp;
        return t * (1.0 + (2.0 * t));
    }

    /// <summary>The fatal checks of BSIM3v3.3 (ngspice b3check.c), with ngspice's wording.</summary>
    private static void Check(Bsim3Model m, Bsim3SizeParameters s, string device, double npeak, double nsub, double dsub, double drout)
    {
        string? fatal = null;
        if (s.Nlx < -s.Leff)
        {
            fatal = F($"Nlx = {s.Nlx:G} is less than -Leff.");
        }
        else if (npeak <= 0)
        {
            fatal = F($"Nch = {npeak:G} is not positive.");
        }
        else if (nsub <= 0)
        {
            fatal = F($"Nsub = {nsub:G} is not positive.");
        }
        else if (s.Ngate < 0)
        {
            fatal = F($"Ngate = {s.Ngate:G} Ngate is not positive.");
        }
        else if (s.Ngate > 1e25)
        {
            fatal = F($"Ngate = {s.Ngate:G} is greater than 1.e25.");
        }
        else if (s.Xj <= 0)
        {
            fatal = F($"Xj = {s.Xj:G} is not positive.");
        }
        else if (s.Dvt1 < 0)
        {
            fatal = F($"Dvt1 = {s.Dvt1:G} is negative.");
        }
        else if (s.Dvt1w < 0)
        {
            fatal = F($"Dvt1w = {s.Dvt1w:G} is negative.");
        }
        else if (s.W0 == -s.Weff)
        {
            fatal = F($"(W0 + Weff) = 0 causing divided-by-zero.");
        }
        else if (dsub < 0)
        {
            fatal = F($"Dsub = {dsub:G} is negative.");
        }
        else if (s.B1 == -s.Weff)
        {
            fatal = F($"(B1 + Weff) = 0 causing divided-by-zero.");
        }
        else if (s.U0Temp <= 0)
        {
            fatal = F($"u0 at current temperature = {s.U0Temp:G} is not positive.");
        }
        else if (s.Delta < 0)
        {
            fatal = F($"Delta = {s.Delta:G} is less than zero.");
        }
        else if (s.VsatTemp <= 0)
        {
            fatal = F($"Vsat at current temperature = {s.VsatTemp:G} is not positive.");
        }
        else if (s.Pclm <= 0)
        {
            fatal = F($"Pclm = {s.Pclm:G} is not positive.");
        }
        else if (drout < 0)
        {
            fatal = F($"Drout = {drout:G} is negative.");
        }

        if (fatal is not null)
        {
            throw m.Error($"fatal error(s) detected during BSIM3v3.3 parameter checking for {device}: Fatal: {fatal}");
        }

        static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
    }
}
