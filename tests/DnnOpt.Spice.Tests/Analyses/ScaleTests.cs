using System.Text;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using Xunit.Abstractions;

namespace DnnOpt.Spice.Tests.Analyses;

/// <summary>Large circuits: the ordering keeps fill linear and Newton iterations allocate nothing.</summary>
public sealed class ScaleTests(ITestOutputHelper output)
{
    internal static string InverterChain(int stages, double vin)
    {
        var sb = new StringBuilder();
        sb.Append("inverter chain\nvdd vdd 0 3.3\n");
        sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"vin n0 0 {vin}\n");
        for (int i = 0; i < stages; i++)
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"mp{i} n{i + 1} n{i} vdd vdd pch w=6u l=0.5u\n");
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"mn{i} n{i + 1} n{i} 0 0 nch w=2u l=0.5u\n");
        }

        sb.Append(".model nch nmos level=1 vto=0.6 kp=120u gamma=0.4 phi=0.7 lambda=0.05\n");
        sb.Append(".model pch pmos level=1 vto=-0.7 kp=40u gamma=0.5 phi=0.7 lambda=0.06\n.end\n");
        return sb.ToString();
    }

    [Fact]
    public void Thousand_stage_inverter_chain_solves_with_linear_fill()
    {
        Circuit c = Circuit.Parse(InverterChain(1000, 0));
        OperatingPointResult op = c.OperatingPoint();
        Assert.True(op.Converged, op.Newton.ToString());
        // Alternating logic levels along the chain.
        Assert.True(op.Voltage("n1") > 3.2);
        Assert.True(op.Voltage("n2") < 0.1);
        Assert.True(op.Voltage("n1000") < 0.1);
        int n = c.UnknownNames.Count;
        output.WriteLine($"unknowns {n}, L+U nonzeros {c.LuNonzeros}, orderings {c.LuOrderings}, iterations {c.NewtonIterations}");
        Assert.True(c.LuNonzeros < 8 * n, $"fill is not linear: {c.LuNonzeros} nonzeros for {n} unknowns");
    }

    [Fact]
    public void Newton_iterations_allocate_nothing()
    {
        // The OTA converges by plain Newton (9 iterations, as in ngspice); no stepping buffers are involved.
        Circuit c = Circuit.Create(DnnOpt.Spice.Parsing.NetlistParser.ParseFile(ReferenceData.DeckPath("ota5t")));
        Assert.True(c.OperatingPoint().Converged);
        Engine engine = c.Engine;

        // Warm: ordering done, JIT tiers settled. Then a full operating point of pure iterations must not allocate.
        for (int i = 0; i < 50; i++)
        {
            _ = engine.SolveOperatingPoint();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        NewtonResult r = engine.SolveOperatingPoint();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(r.Converged);
        Assert.True(r.Iterations > 2);
        Assert.Equal(0, allocated);
    }
}
