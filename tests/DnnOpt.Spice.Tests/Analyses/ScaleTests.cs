using System.Text;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using Xunit.Abstractions;

namespace DnnOpt.Spice.Tests.Analyses;

/// <summary>Large circuits: the ordering keeps fill linear and Newton iterations allocate nothing.</summary>
public sealed class ScaleTests(ITestOutputHelper output)
{
    internal static string InverterChain(int stages, double vin, string extraModelParameters = "")
    {
        var sb = new StringBuilder();
        sb.Append("inverter chain\nvdd vdd 0 3.3\n");
        sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"vin n0 0 {vin}\n");
        for (int i = 0; i < stages; i++)
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"mp{i} n{i + 1} n{i} vdd vdd pch w=6u l=0.5u\n");
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"mn{i} n{i + 1} n{i} 0 0 nch w=2u l=0.5u\n");
        }

        sb.Append(System.Globalization.CultureInfo.InvariantCulture, $".model nch nmos level=1 vto=0.6 kp=120u gamma=0.4 phi=0.7 lambda=0.05 {extraModelParameters}\n");
        sb.Append(System.Globalization.CultureInfo.InvariantCulture, $".model pch pmos level=1 vto=-0.7 kp=40u gamma=0.5 phi=0.7 lambda=0.06 {extraModelParameters}\n.end\n");
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
    public void Gate_capacitance_slots_do_not_make_the_pivot_order_churn()
    {
        // With tox every MOSFET reserves gate-capacitance slots that are zero at DC. The order chosen on the first
        // iteration must survive the devices switching regions: the chain used to re-order ~4 times per operating
        // point (101 orderings in 25), each a full Markowitz search.
        Circuit c = Circuit.Parse(InverterChain(200, 0, "tox=10n"));
        Circuit plain = Circuit.Parse(InverterChain(200, 0));
        for (int i = 0; i < 5; i++)
        {
            OperatingPointResult op = c.OperatingPoint();
            OperatingPointResult reference = plain.OperatingPoint();
            Assert.True(op.Converged, op.Newton.ToString());
            Assert.True(op.Voltage("n200") < 0.1);
            // The gate capacitances carry no DC current: same answer as the chain without them.
            for (int k = 1; k <= 200; k += 37)
            {
                Tolerance.Close(reference.Voltage($"n{k}"), op.Voltage($"n{k}"), 1e-9, 1e-9, $"n{k}");
            }
        }

        output.WriteLine($"orderings {c.LuOrderings} (without tox {plain.LuOrderings}), iterations {c.NewtonIterations}");
        Assert.True(c.LuOrderings <= plain.LuOrderings, $"{c.LuOrderings} orderings in 5 operating points (without gate slots {plain.LuOrderings})");
    }

    [Fact]
    public void Newton_iterations_allocate_nothing() =>
        // The OTA converges by plain Newton (9 iterations, as in ngspice); no stepping buffers are involved.
        AssertNewtonAllocatesNothing("ota5t");

    /// <summary>
    /// After a warm-up (ordering done, JIT tiers settled), a full operating point of pure Newton iterations on the
    /// reference deck <paramref name="deck"/> must not allocate.
    /// </summary>
    internal static void AssertNewtonAllocatesNothing(string deck)
    {
        Circuit c = Circuit.Create(DnnOpt.Spice.Parsing.NetlistParser.ParseFile(ReferenceData.DeckPath(deck)));
        Assert.True(c.OperatingPoint().Converged);
        Engine engine = c.Engine;
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
