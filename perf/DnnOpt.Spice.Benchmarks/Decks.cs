using System.Globalization;
using System.Text;

namespace DnnOpt.Spice.Benchmarks;

/// <summary>The benchmark decks, as text, so the managed engine and ngspice read exactly the same input.</summary>
internal static class Decks
{
    /// <summary>Five-transistor OTA with level-1 models (the corpus deck ota5t_dc.cir without its analysis).</summary>
    public const string Ota = """
        five-transistor ota
        vdd vdd 0 1.8
        vinn inn 0 0.9
        vinp inp 0 0.9
        ib vdd bias 10u
        m6 bias bias 0 0 nch w=4u l=1u
        m5 tail bias 0 0 nch w=8u l=1u
        m1 x inn tail 0 nch w=10u l=1u
        m2 out inp tail 0 nch w=10u l=1u
        m3 x x vdd vdd pch w=20u l=1u
        m4 out x vdd vdd pch w=20u l=1u
        .model nch nmos level=1 vto=0.45 kp=200u gamma=0.4 phi=0.8 lambda=0.08
        .model pch pmos level=1 vto=-0.45 kp=80u gamma=0.4 phi=0.8 lambda=0.1
        """;

    /// <summary>
    /// The five-transistor OTA open loop with Meyer, overlap and junction capacitances, a 1 pF load and RD/RS and
    /// flicker-noise parameters on the NMOS card (the corpus decks ota5t_ac.cir and noise_ota5t.cir without analyses).
    /// </summary>
    public const string OtaSmallSignal = """
        five-transistor ota small signal
        vdd vdd 0 1.8
        vinp inp 0 dc 0.9 ac 1
        vinn inn 0 dc 0.9
        ib vdd bias 10u
        m6 bias bias 0 0 nch w=4u l=1u ad=8p as=8p pd=12u ps=12u
        m5 tail bias 0 0 nch w=8u l=1u ad=16p as=16p pd=20u ps=20u
        m1 x inn tail 0 nch w=10u l=1u ad=20p as=20p pd=24u ps=24u
        m2 out inp tail 0 nch w=10u l=1u ad=20p as=20p pd=24u ps=24u
        m3 x x vdd vdd pch w=20u l=1u ad=40p as=40p pd=44u ps=44u
        m4 out x vdd vdd pch w=20u l=1u ad=40p as=40p pd=44u ps=44u
        cl out 0 1p
        .model nch nmos level=1 vto=0.45 kp=200u gamma=0.4 phi=0.8 lambda=0.08 tox=9n cgso=2e-10 cgdo=2e-10 cgbo=1e-11
        + cj=5e-4 mj=0.5 cjsw=2e-10 mjsw=0.33 pb=0.8 ld=0.05u rd=20 rs=15 kf=3e-26 af=1.2
        .model pch pmos level=1 vto=-0.45 kp=80u gamma=0.4 phi=0.8 lambda=0.1 tox=9n cgso=2e-10 cgdo=2e-10 cgbo=1e-11
        + cj=6e-4 mj=0.5 cjsw=2.5e-10 mjsw=0.33 pb=0.85 ld=0.05u kf=1e-26 af=1
        """;

    /// <summary>181 points: 20 per decade from 1 Hz to 1 GHz (ngspice <c>dec 20 1 1g</c>).</summary>
    public const string SmallSignalSweep = "dec 20 1 1g";

    /// <summary>201 points of the OTA input around the common mode.</summary>
    public static readonly (string Source, double Start, double Stop, double Step) OtaSweep = ("vinp", 0.8, 1.0, 0.001);

    /// <summary>201 points of the chain input from rail to rail.</summary>
    public static readonly (string Source, double Start, double Stop, double Step) ChainSweep = ("vin", 0, 3.3, 0.0165);

    /// <summary>A chain of CMOS inverters driven by a grounded input (plain Newton converges).</summary>
    public static string InverterChain(int stages)
    {
        var sb = new StringBuilder();
        sb.Append("inverter chain\nvdd vdd 0 3.3\nvin n0 0 0\n");
        for (int i = 0; i < stages; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"mp{i} n{i + 1} n{i} vdd vdd pch w=6u l=0.5u\n");
            sb.Append(CultureInfo.InvariantCulture, $"mn{i} n{i + 1} n{i} 0 0 nch w=2u l=0.5u\n");
        }

        sb.Append(".model nch nmos level=1 vto=0.6 kp=120u gamma=0.4 phi=0.7 lambda=0.05\n");
        sb.Append(".model pch pmos level=1 vto=-0.7 kp=40u gamma=0.5 phi=0.7 lambda=0.06\n");
        return sb.ToString();
    }

    public static string WithEnd(string deck) => deck.TrimEnd() + "\n.end\n";

    public static string Sweep((string Source, double Start, double Stop, double Step) s) =>
        string.Create(CultureInfo.InvariantCulture, $"{s.Source} {s.Start:R} {s.Stop:R} {s.Step:R}");
}
