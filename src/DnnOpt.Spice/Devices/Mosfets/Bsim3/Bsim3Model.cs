using System.Globalization;
using System.Runtime.CompilerServices;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Devices.Mosfets.Bsim3;

/// <summary>
/// A BSIM3v3.3 model card (<c>level=8</c> or <c>level=49</c>, BSIM3v3.3.0 Users' Manual, UC Berkeley 2005, appendix A
/// "Parameter list"): every model parameter with the manual's default, the binnable ones with their L, W and P
/// (length, width, area) companions, and the flags for parameters whose absence changes how others are derived
/// (k1/k2 from the doping profile, vfb from vth0, npeak from gamma1...). Names the card does not know are warned
/// about once and ignored, as ngspice does with foreign (HSPICE) cards; selectors with unsupported values are errors.
/// </summary>
internal sealed class Bsim3Model
{
    /// <summary>Permittivity of SiO2 as BSIM3 uses it, F/m (3.9 ε0).</summary>
    public const double EpsOx = 3.453133e-11;

    /// <summary>Permittivity of Si as BSIM3 uses it, F/m (11.7 ε0).</summary>
    public const double EpsSi = 1.03594e-10;

    /// <summary>Elementary charge as BSIM3 uses it, C.</summary>
    public const double Charge = 1.60219e-19;

    /// <summary>k/q as BSIM3 uses it, V/K.</summary>
    public const double KbOverQ = 8.617087e-5;

    /// <summary>Card names of the binnable parameters, in the order of <see cref="Bin"/>.</summary>
    private static readonly string[] BinnedNames =
    [
        "cdsc", "cdscb", "cdscd", "cit", "nfactor", "xj", "vsat", "at", "a0", "ags", "a1", "a2", "keta", "nsub", "nch",
        "ngate", "gamma1", "gamma2", "vbx", "vbm", "xt", "vfb", "k1", "kt1", "kt1l", "k2", "kt2", "k3", "k3b", "w0", "nlx",
        "dvt0", "dvt1", "dvt2", "dvt0w", "dvt1w", "dvt2w", "drout", "dsub", "vth0", "ua", "ua1", "ub", "ub1", "uc", "uc1",
        "u0", "ute", "voff", "delta", "rdsw", "prwg", "prwb", "prt", "eta0", "etab", "pclm", "pdiblc1", "pdiblc2",
        "pdiblcb", "pscbe1", "pscbe2", "pvag", "wr", "dwg", "dwb", "b0", "b1", "alpha0", "alpha1", "beta0", "elm", "cgsl",
        "cgdl", "ckappa", "cf", "clc", "cle", "vfbcv", "acde", "moin", "noff", "voffcv",
    ];

    /// <summary>Parameters that are not binned (manual appendix A, ngspice's BSIM3 model table).</summary>
    private static readonly HashSet<string> PlainNames = new(StringComparer.Ordinal)
    {
        "level", "version", "capmod", "mobmod", "noimod", "nqsmod", "acnqsmod", "paramchk", "binunit", "tox", "toxm",
        "tnom", "cgso", "cgdo", "cgbo", "xpart", "rsh", "js", "jsw", "pb", "nj", "xti", "mj", "pbsw", "mjsw", "pbswg",
        "mjswg", "cj", "cjsw", "cjswg", "tpb", "tcj", "tpbsw", "tcjsw", "tpbswg", "tcjswg", "lint", "ll", "llc", "lln",
        "lw", "lwc", "lwn", "lwl", "lwlc", "lmin", "lmax", "wint", "wl", "wlc", "wln", "ww", "wwc", "wwn", "wwl", "wwlc",
        "wmin", "wmax", "dwc", "dlc", "xl", "xw", "ijth", "noia", "noib", "noic", "em", "ef", "af", "kf", "lintnoi",
        "acm", "hdif", "ldif", "ld", "rd", "rs", "rdc", "rsc", "wmlt", "calcacm", "vtho", "lvtho", "wvtho", "pvtho",
        "nmos", "pmos",
    };

    private readonly double[] _base = new double[BinnedNames.Length];
    private readonly double[] _l = new double[BinnedNames.Length];
    private readonly double[] _w = new double[BinnedNames.Length];
    private readonly double[] _p = new double[BinnedNames.Length];
    private readonly ResolvedModel _card;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Bsim3Model(ResolvedModel card, double nominalKelvin, ICollection<string> warnings)
    {
        _card = card;
        Name = card.Name;
        Location = card.Location;
        Type = card.Type switch
        {
            "nmos" => 1,
            "pmos" => -1,
            _ => throw Error($"type '{card.Type}' is not a MOSFET type (nmos, pmos)"),
        };
        CheckNames(warnings);

        MobMod = Selector("mobmod", 1, 1, 3);
        CapMod = Selector("capmod", 3, 0, 3);
        NoiMod = Selector("noimod", 1, 1, 4);
        BinUnit = (int)card.Get("binunit", 1);
        ParamChk = (int)card.Get("paramchk", 0);
        if (card.Get("nqsmod", 0) != 0 || card.Get("acnqsmod", 0) != 0)
        {
            throw Error("nqsmod/acnqsmod (non-quasi-static model) is not supported");
        }

        if (card.Get("acm", 0) != 0)
        {
            throw Error("acm (HSPICE area calculation method) is not supported");
        }

        double version = card.Get("version", 3.3);
        if (version != 3.3)
        {
            Warn(warnings, string.Create(CultureInfo.InvariantCulture, $"{Location}: .model {Name}: version={version} given; this is BSIM3v3.3.0 (ngspice selects another BSIM3 release for that version)"));
        }

        Tox = card.Get("tox", 150e-10);
        Toxm = card.Get("toxm", Tox);
        Cox = EpsOx / Tox;
        Tnom = card.Has("tnom") ? card.Get("tnom", 27) + Semiconductor.CelsiusToKelvin : nominalKelvin;

        // Binned defaults (manual appendix A); the type- and mobMod-dependent ones first.
        double[] defaults =
        [
            2.4e-4, 0, 0, 0, 1, 0.15e-6, 8.0e4, 3.3e4, 1, 0, 0, 1, -0.047, 6.0e16, 1.7e17,
            0, 0, 0, 0, -3.0, 1.55e-7, 0, 0, -0.11, 0, 0, 0.022, 80, 0, 2.5e-6, 1.74e-7,
            2.2, 0.53, -0.032, 0, 5.3e6, -0.032, 0.56, double.NaN, Type > 0 ? 0.7 : -0.7, 2.25e-9, 4.31e-9, 5.87e-19, -7.61e-18, MobMod == 3 ? -0.0465 : -0.0465e-9, MobMod == 3 ? -0.056 : -0.056e-9,
            Type > 0 ? 0.067 : 0.025, -1.5, -0.08, 0.01, 0, 0, 0, 0, 0.08, -0.07, 1.3, 0.39, 0.0086,
            0, 4.24e8, 1.0e-5, 0, 1, 0, 0, 0, 0, 0, 0, 30, 5, 0,
            0, 0.6, double.NaN, 0.1e-6, 0.6, -1, 1, 15, 1, 0,
        ];
        for (int i = 0; i < BinnedNames.Length; i++)
        {
            string n = BinnedNames[i];
            _base[i] = card.Has(n) ? card.Get(n, 0) : defaults[i];
            _l[i] = card.Get("l" + n, 0);
            _w[i] = card.Get("w" + n, 0);
            _p[i] = card.Get("p" + n, 0);
        }

        // Aliases ngspice accepts for vth0.
        Alias("vtho", Bin.Vth0);
        if (!card.Has("dsub"))
        {
            _base[(int)Bin.Dsub] = _base[(int)Bin.Drout];
        }

        if (!card.Has("cf"))
        {
            _base[(int)Bin.Cf] = 2.0 * EpsOx / 3.141592654 * Math.Log(1.0 + (0.4e-6 / Tox));
        }

        Given = new HashSet<string>(card.Parameters.Keys, StringComparer.Ordinal);
        if (card.Has("vtho"))
        {
            Given.Add("vth0");
        }

        Lint = card.Get("lint", 0);
        Ll = card.Get("ll", 0);
        Llc = card.Get("llc", Ll);
        Lln = card.Get("lln", 1);
        Lw = card.Get("lw", 0);
        Lwc = card.Get("lwc", Lw);
        Lwn = card.Get("lwn", 1);
        Lwl = card.Get("lwl", 0);
        Lwlc = card.Get("lwlc", Lwl);
        Wint = card.Get("wint", 0);
        Wl = card.Get("wl", 0);
        Wlc = card.Get("wlc", Wl);
        Wln = card.Get("wln", 1);
        Ww = card.Get("ww", 0);
        Wwc = card.Get("wwc", Ww);
        Wwn = card.Get("wwn", 1);
        Wwl = card.Get("wwl", 0);
        Wwlc = card.Get("wwlc", Wwl);
        Dwc = card.Get("dwc", Wint);
        Dlc = card.Get("dlc", Lint);
        Xl = card.Get("xl", 0);
        Xw = card.Get("xw", 0);

        Xpart = card.Get("xpart", 0);
        Rsh = card.Get("rsh", 0);
        Js = card.Get("js", 1.0e-4);
        Jsw = card.Get("jsw", 0);
        Pb = card.Get("pb", 1.0);
        Pbsw = card.Get("pbsw", 1.0);
        Pbswg = card.Get("pbswg", Pbsw);
        Mj = card.Get("mj", 0.5);
        Mjsw = card.Get("mjsw", 0.33);
        Mjswg = card.Get("mjswg", Mjsw);
        Cj = card.Get("cj", 5.0e-4);
        Cjsw = card.Get("cjsw", 5.0e-10);
        Cjswg = card.Get("cjswg", Cjsw);
        Nj = card.Get("nj", 1.0);
        Xti = card.Get("xti", 3.0);
        Tpb = card.Get("tpb", 0);
        Tcj = card.Get("tcj", 0);
        Tpbsw = card.Get("tpbsw", 0);
        Tcjsw = card.Get("tcjsw", 0);
        Tpbswg = card.Get("tpbswg", 0);
        Tcjswg = card.Get("tcjswg", 0);
        Ijth = card.Get("ijth", 0.1);

        double xj = _base[(int)Bin.Xj];
        double cgdl = _base[(int)Bin.Cgdl];
        double cgsl = _base[(int)Bin.Cgsl];
        Cgdo = card.Has("cgdo") ? card.Get("cgdo", 0) : (card.Has("dlc") && Dlc > 0 ? (Dlc * Cox) - cgdl : 0.6 * xj * Cox);
        Cgso = card.Has("cgso") ? card.Get("cgso", 0) : (card.Has("dlc") && Dlc > 0 ? (Dlc * Cox) - cgsl : 0.6 * xj * Cox);
        Cgbo = card.Has("cgbo") ? card.Get("cgbo", 0) : 2.0 * Dwc * Cox;

        Noia = card.Get("noia", Type > 0 ? 1e20 : 9.9e18);
        Noib = card.Get("noib", Type > 0 ? 5e4 : 2.4e3);
        Noic = card.Get("noic", Type > 0 ? -1.4e-12 : 1.4e-12);
        Em = card.Get("em", 4.1e7);
        Ef = card.Get("ef", 1.0);
        Af = card.Get("af", 1.0);
        Kf = card.Get("kf", 0);
        Lintnoi = card.Get("lintnoi", 0);

        if (!(Tox > 0))
        {
            throw Error(string.Create(CultureInfo.InvariantCulture, $"Fatal: Tox = {Tox:G} is not positive."));
        }

        if (!(Toxm > 0))
        {
            throw Error(string.Create(CultureInfo.InvariantCulture, $"Fatal: Toxm = {Toxm:G} is not positive."));
        }

        if (Pb < 0.1)
        {
            Warn(warnings, $"{Location}: .model {Name}: Given pb is less than 0.1. Pb is set to 0.1.");
            Pb = 0.1;
        }

        if (Pbsw < 0.1)
        {
            Warn(warnings, $"{Location}: .model {Name}: Given pbsw is less than 0.1. Pbsw is set to 0.1.");
            Pbsw = 0.1;
        }

        if (Pbswg < 0.1)
        {
            Warn(warnings, $"{Location}: .model {Name}: Given pbswg is less than 0.1. Pbswg is set to 0.1.");
            Pbswg = 0.1;
        }
    }

    // Size parameters depend only on this card and (l, w, temperature, delvto, mulu0), and are read-only once computed:
    // instances of one size share them, as ngspice's BSIM3 shares its size-dependent knots per (L, W). Without this a
    // 100k-MOSFET deck computed them 200,000 times per build (and again per new design), about half the build time.
    private readonly Dictionary<(double L, double W, double Temperature, double Delvto, double Mulu0), Bsim3SizeParameters> _sizes = [];

    /// <summary>
    /// The size- and temperature-dependent parameters of an instance (<see cref="Bsim3SizeParameters.Compute"/>),
    /// computed once per distinct (l, w, temperature, delvto, mulu0) of this card and shared. A model belongs to one
    /// circuit build, whose devices are set up on one thread.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Bsim3SizeParameters SizeParameters(double l, double w, double temperature, double delvto, double mulu0, string device)
    {
        var key = (l, w, temperature, delvto, mulu0);
        if (!_sizes.TryGetValue(key, out Bsim3SizeParameters? s))
        {
            s = Bsim3SizeParameters.Compute(this, l, w, temperature, delvto, mulu0, device);
            _sizes.Add(key, s);
        }

        return s;
    }

    /// <summary>Number of size-parameter sets computed and kept.</summary>
    public int SizeParameterCount => _sizes.Count;

    /// <summary>
    /// Drops the sets no instance holds any more: new designs that change sizes in place would otherwise keep every
    /// size they ever visited. A dropped set that is needed again is computed again (the same numbers).
    /// </summary>
    /// <param name="inUse">The sets the instances of this card hold.</param>
    public void TrimSizeParameters(IReadOnlySet<Bsim3SizeParameters> inUse)
    {
        foreach (var key in _sizes.Where(kv => !inUse.Contains(kv.Value)).Select(kv => kv.Key).ToList())
        {
            _sizes.Remove(key);
        }
    }

    /// <summary>The binnable parameters, indexing the value arrays.</summary>
    internal enum Bin
    {
        Cdsc, Cdscb, Cdscd, Cit, Nfactor, Xj, Vsat, At, A0, Ags, A1, A2, Keta, Nsub, Npeak,
        Ngate, Gamma1, Gamma2, Vbx, Vbm, Xt, Vfb, K1, Kt1, Kt1l, K2, Kt2, K3, K3b, W0, Nlx,
        Dvt0, Dvt1, Dvt2, Dvt0w, Dvt1w, Dvt2w, Drout, Dsub, Vth0, Ua, Ua1, Ub, Ub1, Uc, Uc1,
        U0, Ute, Voff, Delta, Rdsw, Prwg, Prwb, Prt, Eta0, Etab, Pclm, Pdibl1, Pdibl2,
        Pdiblb, Pscbe1, Pscbe2, Pvag, Wr, Dwg, Dwb, B0, B1, Alpha0, Alpha1, Beta0, Elm, Cgsl,
        Cgdl, Ckappa, Cf, Clc, Cle, Vfbcv, Acde, Moin, Noff, Voffcv,
    }

    public string Name { get; }

    public SourceLocation Location { get; }

    /// <summary>+1 for NMOS, -1 for PMOS.</summary>
    public int Type { get; }

    public int MobMod { get; }

    public int CapMod { get; }

    public int NoiMod { get; }

    public int BinUnit { get; }

    public int ParamChk { get; }

    /// <summary>Parameter names written on the card (lower case).</summary>
    public HashSet<string> Given { get; }

    /// <summary>Gate oxide thickness, m.</summary>
    public double Tox { get; }

    public double Toxm { get; }

    /// <summary>Gate oxide capacitance per area εox/tox, F/m².</summary>
    public double Cox { get; }

    /// <summary>Nominal temperature, K.</summary>
    public double Tnom { get; }

    public double Lint { get; }

    public double Ll { get; }

    public double Llc { get; }

    public double Lln { get; }

    public double Lw { get; }

    public double Lwc { get; }

    public double Lwn { get; }

    public double Lwl { get; }

    public double Lwlc { get; }

    public double Wint { get; }

    public double Wl { get; }

    public double Wlc { get; }

    public double Wln { get; }

    public double Ww { get; }

    public double Wwc { get; }

    public double Wwn { get; }

    public double Wwl { get; }

    public double Wwlc { get; }

    public double Dwc { get; }

    public double Dlc { get; }

    public double Xl { get; }

    public double Xw { get; }

    public double Xpart { get; }

    /// <summary>Source/drain sheet resistance, Ω/square (with the instance's nrs/nrd).</summary>
    public double Rsh { get; }

    public double Js { get; }

    public double Jsw { get; }

    public double Pb { get; }

    public double Pbsw { get; }

    public double Pbswg { get; }

    public double Mj { get; }

    public double Mjsw { get; }

    public double Mjswg { get; }

    public double Cj { get; }

    public double Cjsw { get; }

    public double Cjswg { get; }

    public double Nj { get; }

    public double Xti { get; }

    public double Tpb { get; }

    public double Tcj { get; }

    public double Tpbsw { get; }

    public double Tcjsw { get; }

    public double Tpbswg { get; }

    public double Tcjswg { get; }

    public double Ijth { get; }

    public double Cgdo { get; }

    public double Cgso { get; }

    public double Cgbo { get; }

    public double Noia { get; }

    public double Noib { get; }

    public double Noic { get; }

    public double Em { get; }

    public double Ef { get; }

    public double Af { get; }

    public double Kf { get; }

    public double Lintnoi { get; }

    /// <summary>
    /// A binnable parameter at effective length/width: P = P0 + PL/Leff + PW/Weff + PP/(Leff Weff), with the inverses in
    /// 1/µm when binunit=1 (the default) and 1/m otherwise.
    /// </summary>
    public double Binned(Bin p, double invL, double invW, double invLW)
    {
        int i = (int)p;
        return _base[i] + (_l[i] * invL) + (_w[i] * invW) + (_p[i] * invLW);
    }

    public bool IsGiven(string name) => Given.Contains(name);

    public SpiceParseException Error(string what) => new(Location, $".model {Name}: {what}");

    private void Alias(string alias, Bin p)
    {
        int i = (int)p;
        string n = BinnedNames[i];
        if (_card.Has(alias) && !_card.Has(n))
        {
            _base[i] = _card.Get(alias, 0);
        }

        foreach (char prefix in "lwp")
        {
            if (_card.Has(prefix + alias) && !_card.Has(prefix + n))
            {
                double[] target = prefix == 'l' ? _l : prefix == 'w' ? _w : _p;
                target[i] = _card.Get(prefix + alias, 0);
            }
        }
    }

    private int Selector(string name, int fallback, int min, int max)
    {
        double v = _card.Get(name, fallback);
        if (v != Math.Floor(v) || v < min || v > max)
        {
            throw Error(string.Create(CultureInfo.InvariantCulture, $"{name}={v} is not supported (allowed {min}..{max})"));
        }

        return (int)v;
    }

    private static void Warn(ICollection<string> warnings, string w)
    {
        if (!warnings.Contains(w))
        {
            warnings.Add(w);
        }
    }

    private void CheckNames(ICollection<string> warnings)
    {
        var binned = new HashSet<string>(BinnedNames, StringComparer.Ordinal);
        foreach (string p in _card.Parameters.Keys)
        {
            if (PlainNames.Contains(p) || binned.Contains(p) || (p.Length > 1 && p[0] is 'l' or 'w' or 'p' && binned.Contains(p[1..])))
            {
                continue;
            }

            Warn(warnings, $"{Location}: .model {Name}: unknown parameter '{p}' ignored");
        }
    }
}
