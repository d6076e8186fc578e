using System.Runtime.CompilerServices;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Devices.Mosfets;

/// <summary>
/// A level-1 MOSFET model card (Shichman-Hodges as in SPICE3 and the ngspice manual "MOSFET level 1"), with the
/// SPICE2 derivation of KP, PHI, GAMMA and VTO from process parameters (TOX, UO, NSUB, NSS, TPG) when those are not
/// given. Capacitance parameters (CGSO CGDO CGBO CBD CBS CJ MJ CJSW MJSW FC PB) are used by <c>Mosfet1.Capacitance.cs</c>.
/// </summary>
internal sealed class Mosfet1Model
{
    private static readonly HashSet<string> Accepted = new(StringComparer.Ordinal)
    {
        "level", "vto", "vt0", "kp", "gamma", "phi", "lambda", "rd", "rs", "cbd", "cbs", "is", "pb", "cgso", "cgdo",
        "cgbo", "rsh", "cj", "mj", "cjsw", "mjsw", "js", "tox", "ld", "uo", "u0", "fc", "nsub", "tpg", "nss", "kf", "af",
        "tnom", "nmos", "pmos",
    };

    private static readonly HashSet<string> Unsupported = new(StringComparer.Ordinal)
    {
        "nfs", "xj", "ucrit", "uexp", "utra", "vmax", "neff", "delta", "theta", "eta", "kappa", "wd", "xqc",
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Mosfet1Model(ResolvedModel card, double nominalKelvin, ICollection<string> warnings)
    {
        ModelParameters.Check(card, Accepted, Unsupported, warnings);
        double level = card.Get("level", 1);
        if (level != 1)
        {
            throw new SpiceParseException(card.Location, $".model {card.Name}: MOSFET level {SpiceNumber.Format(level)} is not supported yet (level 1 only)");
        }

        Type = card.Type switch
        {
            "nmos" => 1,
            "pmos" => -1,
            _ => throw new SpiceParseException(card.Location, $".model {card.Name}: type '{card.Type}' is not a MOSFET type (nmos, pmos)"),
        };
        Name = card.Name;
        Tnom = card.Has("tnom") ? card.Get("tnom", 27) + Semiconductor.CelsiusToKelvin : nominalKelvin;
        Lambda = card.Get("lambda", 0);
        Rd = card.Get("rd", 0);
        Rs = card.Get("rs", 0);
        RdGiven = card.Has("rd");
        RsGiven = card.Has("rs");
        Rsh = card.Get("rsh", 0);
        Is = card.Get("is", 1e-14);
        Js = card.Get("js", 0);
        Ld = card.Get("ld", 0);
        Pb = card.Get("pb", 0.8);
        Cbd = card.Get("cbd", 0);
        Cbs = card.Get("cbs", 0);
        Cj = card.Get("cj", 0);
        Mj = card.Get("mj", 0.5);
        Cjsw = card.Get("cjsw", 0);
        Mjsw = card.Get("mjsw", 0.5);
        Fc = card.Get("fc", 0.5);
        Cgso = card.Get("cgso", 0);
        Cgdo = card.Get("cgdo", 0);
        Cgbo = card.Get("cgbo", 0);
        CbdGiven = card.Has("cbd");
        CbsGiven = card.Has("cbs");
        CjGiven = card.Has("cj");
        CjswGiven = card.Has("cjsw");
        Kf = card.Get("kf", 0);
        Af = card.Get("af", 1);

        Phi = card.Get("phi", 0.6);
        Gamma = card.Get("gamma", 0);
        Vto = card.Has("vto") ? card.Get("vto", 0) : card.Get("vt0", 0);
        Kp = card.Get("kp", 2e-5);
        double uo = card.Has("uo") ? card.Get("uo", 600) : card.Get("u0", 600);
        double tox = card.Get("tox", 0);
        if (card.Has("tox") && tox > 0)
        {
            OxideCapacitance = 3.9 * 8.854214871e-12 / tox;
            if (!card.Has("kp"))
            {
                Kp = uo * OxideCapacitance * 1e-4;
            }

            if (card.Has("nsub"))
            {
                DeriveFromDoping(card);
            }
        }

        if (!(Phi > 0))
        {
            throw new SpiceParseException(card.Location, $".model {card.Name}: phi must be positive");
        }
    }

    public string Name { get; }

    /// <summary>+1 for NMOS, -1 for PMOS.</summary>
    public int Type { get; }

    public double Tnom { get; }

    public double Vto { get; private set; }

    public double Kp { get; }

    public double Gamma { get; private set; }

    public double Phi { get; private set; }

    public double Lambda { get; }

    public double Rd { get; }

    public double Rs { get; }

    public bool RdGiven { get; }

    public bool RsGiven { get; }

    public double Rsh { get; }

    public double Is { get; }

    public double Js { get; }

    public double Ld { get; }

    public double Pb { get; }

    /// <summary>Oxide capacitance per area in F/m² (0 when TOX is not given).</summary>
    public double OxideCapacitance { get; }

    public double Cbd { get; }

    public double Cbs { get; }

    public double Cj { get; }

    public double Mj { get; }

    public double Cjsw { get; }

    public double Mjsw { get; }

    public double Fc { get; }

    public double Cgso { get; }

    public double Cgdo { get; }

    public double Cgbo { get; }

    /// <summary>CBD was given on the card (it then wins over CJ·AD, as in SPICE3).</summary>
    public bool CbdGiven { get; }

    /// <summary>CBS was given on the card.</summary>
    public bool CbsGiven { get; }

    /// <summary>CJ was given on the card (bottom junction capacitance from AD/AS).</summary>
    public bool CjGiven { get; }

    /// <summary>CJSW was given on the card (sidewall junction capacitance from PD/PS).</summary>
    public bool CjswGiven { get; }

    /// <summary>Flicker-noise coefficient KF.</summary>
    public double Kf { get; }

    /// <summary>Flicker-noise exponent AF.</summary>
    public double Af { get; }

    private void DeriveFromDoping(ResolvedModel card)
    {
        double nsub = card.Get("nsub", 0);
        double vtnom = Semiconductor.KOverQ * Tnom;
        double egfet1 = Semiconductor.BandGap(Tnom);
        if (nsub * 1e6 <= 1.45e16)
        {
            throw new SpiceParseException(card.Location, $".model {card.Name}: nsub is below the intrinsic carrier density");
        }

        if (!card.Has("phi"))
        {
            Phi = Math.Max(0.1, 2 * vtnom * Math.Log(nsub * 1e6 / 1.45e16));
        }

        double fermis = Type * 0.5 * Phi;
        double wkfng = 3.2;
        double tpg = card.Get("tpg", 1);
        if (tpg != 0)
        {
            double fermig = Type * tpg * 0.5 * egfet1;
            wkfng = 3.25 + (0.5 * egfet1) - fermig;
        }

        double wkfngs = wkfng - (3.25 + (0.5 * egfet1) + fermis);
        if (!card.Has("gamma"))
        {
            Gamma = Math.Sqrt(2 * 11.70 * 8.854214871e-12 * Semiconductor.Charge * nsub * 1e6) / OxideCapacitance;
        }

        if (!card.Has("vto") && !card.Has("vt0"))
        {
            double nss = card.Get("nss", 0);
            double vfb = wkfngs - (nss * 1e4 * Semiconductor.Charge / OxideCapacitance);
            Vto = vfb + (Type * ((Gamma * Math.Sqrt(Phi)) + Phi));
        }
    }
}
