using DnnOpt.Spice.Analyses;

namespace DnnOpt.Spice.Tests.Analyses;

/// <summary>
/// Plain Newton from the junction initial guess takes ngspice's path, iteration for iteration, on the LDO testbench
/// with one wide pass PMOS (Reference/ldo_wide_pass.cir). There the pass device spends iterations in reverse mode with
/// limvds holding its vds back; b3ld.c limits its drain junction from the vbd of the unlimited voltages. Starting
/// from the limited vds instead gave the same operating point after 71 iterations against ngspice's 16 (and on the
/// 1,000-unit line deck, design 6, a plain-Newton failure and 192 iterations of gmin stepping where ngspice needs 18).
/// </summary>
public sealed class PlainNewtonPathTests
{
    // ngspice 39.3, `.options acct` "Total iterations" on Reference/ldo_wide_pass.cir (re-run live below).
    private const int NgspiceIterations = 16;

    [Fact]
    public void Wide_pass_device_takes_ngspices_newton_iterations()
    {
        (long ours, OperatingPointResult op) = ReferenceData.OperatingPointIterations("ldo_wide_pass");
        Assert.True(op.Converged, $"{op.Newton.Exit} at {op.Newton.WorstUnknownName}");
        Assert.Equal(NgspiceIterations, ours);
    }

    [Fact]
    public void Stored_ngspice_iteration_count_is_what_ngspice_reports()
    {
        string? exe = DnnOpt.Testing.NgspiceProcess.Find();
        Assert.True(exe is not null, "ngspice is not on PATH: install it (Debian: apt-get install -y ngspice) to run the live oracle tests");
        (int iterations, string output) = ReferenceData.NgspiceIterations(exe!, "ldo_wide_pass");
        Assert.True(iterations >= 0, output);
        Assert.Equal(NgspiceIterations, iterations);
        Assert.DoesNotContain("gmin stepping", output, StringComparison.Ordinal);
    }
}
