using System.Globalization;
using System.Text;

namespace DnnOpt.Spice.Benchmarks;

/// <summary>Device model of a scale deck: SPICE level 1 with oxide (so gates carry capacitance entries) or BSIM3.</summary>
internal enum ScaleModel
{
    /// <summary>Level 1 with tox, overlap and junction capacitances (gate rows in the matrix).</summary>
    Mos1,

    /// <summary>BSIM3v3.3 on the shipped generic 0.18 µm cards.</summary>
    Bsim3,
}

/// <summary>Circuit structure of a scale deck.</summary>
internal enum ScaleTopology
{
    /// <summary>A flat chain of CMOS inverters (banded matrix, no fill).</summary>
    Chain,

    /// <summary>
    /// A square array of NAND2 cells (4 MOSFETs each, <c>.subckt</c>) whose inputs are the outputs of the left and upper
    /// neighbours, supplied through a resistive 2-D power mesh: a 2-D structure that makes the LU fill.
    /// </summary>
    Array,
}

/// <summary>
/// Generated decks of about 1k, 10k or 100k MOSFETs for the scale study (<see cref="ScaleStudy"/>), written once as text
/// so ngspice and the managed engine read exactly the same input. Every deck has the design parameter <c>wn</c> (NMOS
/// width, PMOS widths follow it) so a new design is <c>.param wn</c> changed, as a sizing loop does.
/// </summary>
internal static class ScaleDecks
{
    /// <summary>Design parameter every deck sizes its devices with.</summary>
    public const string DesignParameter = "wn";

    /// <summary>Nominal value of <see cref="DesignParameter"/> (metres).</summary>
    public const double NominalWidth = 1e-6;

    private const string Mos1Models = """
        .model nch nmos level=1 vto=0.6 kp=120u gamma=0.4 phi=0.7 lambda=0.05 tox=9n ld=0.05u
        + cgso=2e-10 cgdo=2e-10 cgbo=1e-11 cj=5e-4 mj=0.5 cjsw=2e-10 mjsw=0.33 pb=0.8
        .model pch pmos level=1 vto=-0.7 kp=40u gamma=0.5 phi=0.7 lambda=0.06 tox=9n ld=0.05u
        + cgso=2e-10 cgdo=2e-10 cgbo=1e-11 cj=6e-4 mj=0.5 cjsw=2.5e-10 mjsw=0.33 pb=0.85
        """;

    /// <summary>Number of MOSFETs the deck will have for a requested size (the array rounds to a square).</summary>
    public static int MosfetCount(ScaleTopology topology, int requested) => topology == ScaleTopology.Chain
        ? 2 * Math.Max(1, requested / 2)
        : 4 * Side(requested) * Side(requested);

    /// <summary>The node whose voltage both simulators print as a cross-check of the operating point.</summary>
    public static string ProbeNode(ScaleTopology topology, int requested) => topology == ScaleTopology.Chain
        ? string.Create(CultureInfo.InvariantCulture, $"n{Math.Max(1, requested / 2)}")
        : string.Create(CultureInfo.InvariantCulture, $"y{Side(requested) - 1}_{Side(requested) - 1}");

    /// <summary>The deck text (title to <c>.end</c>, no analysis line).</summary>
    public static string Deck(ScaleTopology topology, ScaleModel model, int requested)
    {
        var sb = new StringBuilder(64 * requested);
        string supply = model == ScaleModel.Mos1 ? "3.3" : "1.8";
        string l = model == ScaleModel.Mos1 ? "0.5u" : "0.18u";
        sb.Append(CultureInfo.InvariantCulture, $"scale study {topology} {model} {MosfetCount(topology, requested)} mosfets\n");
        sb.Append(CultureInfo.InvariantCulture, $".param {DesignParameter}={NominalWidth:R}\n");
        sb.Append(CultureInfo.InvariantCulture, $"vdd vdd 0 {supply}\nvin in 0 0\n");
        if (topology == ScaleTopology.Chain)
        {
            int stages = Math.Max(1, requested / 2);
            for (int i = 0; i < stages; i++)
            {
                string input = i == 0 ? "in" : string.Create(CultureInfo.InvariantCulture, $"n{i}");
                sb.Append(CultureInfo.InvariantCulture, $"mp{i} n{i + 1} {input} vdd vdd pch w={{3*wn}} l={l}\n");
                sb.Append(CultureInfo.InvariantCulture, $"mn{i} n{i + 1} {input} 0 0 nch w={{wn}} l={l}\n");
            }
        }
        else
        {
            int side = Side(requested);
            sb.Append(CultureInfo.InvariantCulture, $"""
                .subckt nand2 a b y vp
                mpa y a vp vp pch w={"{2*wn}"} l={l}
                mpb y b vp vp pch w={"{2*wn}"} l={l}
                mna y a mid 0 nch w={"{2*wn}"} l={l}
                mnb mid b 0 0 nch w={"{2*wn}"} l={l}
                .ends

                """);
            for (int i = 0; i < side; i++)
            {
                // The mesh is fed from the left edge; every cell's supply node is one mesh node.
                sb.Append(CultureInfo.InvariantCulture, $"rt{i} vdd p{i}_0 0.5\n");
                for (int j = 0; j < side; j++)
                {
                    string a = j == 0 ? "in" : string.Create(CultureInfo.InvariantCulture, $"y{i}_{j - 1}");
                    string b = i == 0 ? "vdd" : string.Create(CultureInfo.InvariantCulture, $"y{i - 1}_{j}");
                    sb.Append(CultureInfo.InvariantCulture, $"x{i}_{j} {a} {b} y{i}_{j} p{i}_{j} nand2\n");
                    if (j + 1 < side)
                    {
                        sb.Append(CultureInfo.InvariantCulture, $"rh{i}_{j} p{i}_{j} p{i}_{j + 1} 0.2\n");
                    }

                    if (i + 1 < side)
                    {
                        sb.Append(CultureInfo.InvariantCulture, $"rv{i}_{j} p{i}_{j} p{i + 1}_{j} 0.2\n");
                    }
                }
            }
        }

        sb.Append(model == ScaleModel.Mos1 ? Mos1Models : Bsim3Decks.Models).Append('\n');
        return sb.ToString();
    }

    private static int Side(int requested) => Math.Max(1, (int)Math.Round(Math.Sqrt(requested / 4.0)));
}
