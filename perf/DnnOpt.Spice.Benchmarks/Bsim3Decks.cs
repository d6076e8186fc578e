using System.Globalization;
using System.Text;
using DnnOpt.Spice.Technology;

namespace DnnOpt.Spice.Benchmarks;

/// <summary>BSIM3 benchmark decks on the shipped generic 0.18 µm cards, with the model text inlined so ngspice reads the same input.</summary>
internal static class Bsim3Decks
{
    /// <summary>The nch/pch cards of <see cref="Technologies.Generic180"/> without the <c>.lib</c>/<c>.endl</c> lines.</summary>
    public static string Models { get; } = string.Join('\n', Technologies.Generic180.Split('\n')
        .Where(l => !l.StartsWith(".lib", StringComparison.Ordinal) && !l.StartsWith(".endl", StringComparison.Ordinal)));

    /// <summary>The corpus deck bsim3_ota5t.cir (five-transistor OTA, 20 µA tail) without its analysis.</summary>
    public static string Ota { get; } = """
        bsim3 five-transistor ota
        vdd vdd 0 1.8
        vinp inp 0 0.9
        vinn inn 0 0.9
        ib vdd nb 20u
        m5b nb nb 0 0 nch w=4u l=1u
        m5 tail nb 0 0 nch w=4u l=1u
        m1 x inn tail 0 nch w=8u l=0.5u
        m2 out inp tail 0 nch w=8u l=0.5u
        m3 x x vdd vdd pch w=6u l=0.5u
        m4 out x vdd vdd pch w=6u l=0.5u

        """ + Models;

    /// <summary>201 points of the OTA input around the common mode.</summary>
    public static readonly (string Source, double Start, double Stop, double Step) OtaSweep = ("vinp", 0.8, 1.0, 0.001);

    /// <summary>201 points of the chain input from rail to rail.</summary>
    public static readonly (string Source, double Start, double Stop, double Step) ChainSweep = ("vin", 0, 1.8, 0.009);

    /// <summary>A chain of 0.18 µm CMOS inverters on the shipped cards driven by a grounded input.</summary>
    public static string InverterChain(int stages)
    {
        var sb = new StringBuilder();
        sb.Append("bsim3 inverter chain\nvdd vdd 0 1.8\nvin n0 0 0\n");
        for (int i = 0; i < stages; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"mp{i} n{i + 1} n{i} vdd vdd pch w=2u l=0.18u\n");
            sb.Append(CultureInfo.InvariantCulture, $"mn{i} n{i + 1} n{i} 0 0 nch w=1u l=0.18u\n");
        }

        sb.Append(Models).Append('\n');
        return sb.ToString();
    }
}
