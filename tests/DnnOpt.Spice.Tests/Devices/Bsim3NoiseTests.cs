using System.Globalization;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Devices.Mosfets.Bsim3;

namespace DnnOpt.Spice.Tests.Devices;

/// <summary>
/// BSIM3 noise sources (noiMod 1-4) against ngspice 39's .noise of a common-source stage (Reference/noise/
/// bsim3_noise.csv): at frequencies where the device capacitances are negligible, the output noise of
/// v(d) is (4kT/RL + S_id + S_1/f) / (1/RL + gds + gbd)², with the device's densities from <see cref="Bsim3.NoiseDensities"/>
/// and its conductances from our operating point. They agree to 1e-7 (asserted at 1e-6; issue 6 asks 1%).
/// </summary>
public sealed class Bsim3NoiseTests
{
    private const string Deck = """
        bsim3 noise
        vdd vdd 0 1.8
        rl vdd d 5k
        vg g 0 dc 0.7 ac 1
        m1 d g 0 0 n w=2u l=0.5u
        .model n nmos level=49 version=3.3.0 noimod=NOIMOD tox=4.1n vth0=0.4 k1=0.56 k2=0.01 u0=300 vsat=1e5 rdsw=150 kf=2e-28 af=1.1 ef=0.95 em=3e7 noia=5e17 noib=8e2 noic=-1e-13 lintnoi=5n
        .op
        .end
        """;

    public static TheoryData<int> Modes() => [1, 2, 3, 4];

    [Theory]
    [MemberData(nameof(Modes))]
    public void Output_noise_of_a_common_source_stage_matches_ngspice(int noiMod)
    {
        Circuit c = Circuit.Parse(Deck.Replace("NOIMOD", noiMod.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        OperatingPointResult op = c.OperatingPoint();
        Assert.True(op.Converged);
        var m1 = (Bsim3)c.FindDevice("m1")!;
        double temperature = 300.15;
        double load = 1.0 / 5e3;
        double g = load + op.Get("@m1[gds]") + op.Get("@m1[gbd]");
        Span<double> s = stackalloc double[4];
        int checkedRows = 0;
        foreach (string line in File.ReadLines(Path.Combine(ReferenceData.OutputDirectory, "noise", "bsim3_noise.csv")))
        {
            string[] cells = line.Split(',');
            if (line.StartsWith('#') || cells[0] == "noimod" || int.Parse(cells[0], CultureInfo.InvariantCulture) != noiMod)
            {
                continue;
            }

            double f = double.Parse(cells[1], CultureInfo.InvariantCulture);
            double want = double.Parse(cells[2], CultureInfo.InvariantCulture);
            m1.NoiseDensities(f, temperature, s);
            double current = Bsim3Noise.Thermal(load, temperature) + s[0] + s[1] + s[2] + s[3];
            double got = Math.Sqrt(current) / g;
            Tolerance.Close(want, got, 1e-6, 0, string.Create(CultureInfo.InvariantCulture, $"noimod={noiMod} onoise at {f} Hz"));
            checkedRows++;
        }

        Assert.Equal(4, checkedRows);
    }
}
