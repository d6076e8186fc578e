using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Tests.Analyses;

public sealed class RobustnessTests
{
    [Fact]
    public void Floating_node_is_reported_by_name()
    {
        var e = Assert.Throws<SpiceParseException>(() => Circuit.Parse("f\nv1 1 0 1\nr1 1 2 1k\nc1 2 3 1p\nr2 3 4 1k\n.end\n", "f.cir"));
        Assert.Contains("node '3'", e.Message, StringComparison.Ordinal);
        Assert.Contains("no DC path", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gate_only_node_is_floating()
    {
        var e = Assert.Throws<SpiceParseException>(() => Circuit.Parse("g\nvd d 0 1\nm1 d g 0 0 nm\n.model nm nmos level=1\n.end\n"));
        Assert.Contains("node 'g'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Voltage_source_loop_is_reported_by_name()
    {
        var e = Assert.Throws<SpiceParseException>(() => Circuit.Parse("l\nv1 1 0 1\nl1 1 2 1u\nv2 2 0 2\n.end\n", "l.cir"));
        Assert.Contains("v2", e.Message, StringComparison.Ordinal);
        Assert.Contains("loop", e.Message, StringComparison.Ordinal);
        Assert.Equal(4, e.Location.Line);
    }

    [Fact]
    public void Non_convergence_is_a_result_naming_the_unknown()
    {
        // Three iterations cannot bring a stiff diode string to convergence, and stepping is disabled. (ngspice never
        // stops before 100 iterations; StrictIterationLimits makes itl1 a hard limit.)
        Circuit c = Circuit.Parse("n\nv1 1 0 50\nr1 1 a 1\nd1 a b dm\nd2 b 0 dm\n.model dm d is=1e-16\n.options itl1=3 gminsteps=0 srcsteps=0\n.end\n");
        c.Options = c.Options with { StrictIterationLimits = true };
        OperatingPointResult op = c.OperatingPoint();
        Assert.False(op.Converged);
        Assert.Equal(NewtonExit.IterationLimit, op.Newton.Exit);
        Assert.Equal(3, op.Newton.Iterations);
        Assert.NotNull(op.Newton.WorstUnknownName);
        Assert.Contains(op.Newton.WorstUnknownName, c.UnknownNames);
    }

    [Fact]
    public void Stepping_rescues_a_hard_operating_point()
    {
        // The same circuit with the default strategy converges; the answer satisfies KCL through the 1-ohm resistor.
        Circuit c = Circuit.Parse("n\nv1 1 0 50\nr1 1 a 1\nd1 a b dm\nd2 b 0 dm\n.model dm d is=1e-16\n.end\n");
        OperatingPointResult op = c.OperatingPoint();
        Assert.True(op.Converged, op.Newton.ToString());
        Tolerance.Close(-(50 - op.Voltage("a")), op.Get("i(v1)"), 1e-6, 1e-9, "KCL");
    }

    [Fact]
    public void Singular_matrix_from_values_is_a_result_naming_the_node()
    {
        // Topologically connected, numerically isolated: the source node of a cut-off MOSFET with is=0 and gmin=0.
        Circuit c = Circuit.Parse("s\nvd d 0 1\nvg g 0 0\nm1 d g x 0 nm\n.model nm nmos level=1 vto=1 is=0\n.options gmin=0\n.end\n");
        OperatingPointResult op = c.OperatingPoint();
        Assert.False(op.Converged);
        Assert.Equal(NewtonExit.Singular, op.Newton.Exit);
        Assert.Equal("x", op.Newton.WorstUnknownName);
    }

    [Fact]
    public void Bad_parameter_values_are_errors_not_crashes()
    {
        Circuit c = Circuit.Parse("s\ni1 0 1 1m\nr1 1 0 {rr}\n.param rr=1\n.end\n");
        var e = Assert.Throws<SpiceParseException>(() => c.SetParameter("rr", double.PositiveInfinity));
        Assert.Contains("r1", e.Message, StringComparison.Ordinal);
        Assert.Throws<KeyNotFoundException>(() => c.SetParameter("nope", 1));
    }

    [Fact]
    public void Unknown_model_parameter_is_a_warning_and_unsupported_one_an_error()
    {
        Circuit c = Circuit.Parse("w\nv1 1 0 1\nr1 1 2 1k\nd1 2 0 dm\n.model dm d is=1e-14 tref=25\n.end\n");
        Assert.Contains(c.Warnings, w => w.Contains("tref", StringComparison.Ordinal));
        var e = Assert.Throws<SpiceParseException>(() => Circuit.Parse("w\nv1 1 0 1\nr1 1 2 1k\nd1 2 0 dm\n.model dm d is=1e-14 ikf=1m\n.end\n"));
        Assert.Contains("ikf", e.Message, StringComparison.Ordinal);
        var lvl = Assert.Throws<SpiceParseException>(() => Circuit.Parse("w\nv1 1 0 1\nm1 1 1 0 0 nm\n.model nm nmos level=2\n.end\n"));
        Assert.Contains("level 2", lvl.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_that_would_change_results_are_errors_unknown_ones_warnings()
    {
        var e = Assert.Throws<SpiceParseException>(() => Circuit.Parse("o\nv1 1 0 1\nr1 1 0 1k\n.options scale=1e-6\n.end\n", "o.cir"));
        Assert.Contains("scale", e.Message, StringComparison.Ordinal);
        Assert.Equal(4, e.Location.Line);

        // A relative pivot threshold above 1 would fail every factorisation (even a row's largest entry).
        var pivrel = Assert.Throws<SpiceParseException>(() => Circuit.Parse("o\nv1 1 0 1\nr1 1 0 1k\n.options pivrel=2\n.end\n", "o.cir"));
        Assert.Contains("PivotRelativeTolerance", pivrel.Message, StringComparison.Ordinal);
        Circuit c = Circuit.Parse("o\nv1 1 0 1\nr1 1 0 1k\n.options frobnicate=3 noacct\n.end\n");
        Assert.Contains(c.Warnings, w => w.Contains("frobnicate", StringComparison.Ordinal));
        Assert.DoesNotContain(c.Warnings, w => w.Contains("noacct", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_set_tolerances_and_temperature()
    {
        Circuit c = Circuit.Parse("o\nv1 1 0 1\nr1 1 0 1k\n.options reltol=1e-5 abstol=1e-14 vntol=1e-9 gmin=1e-13 itl1=77 itl2=33 temp=50 tnom=30\n.end\n");
        Assert.Equal(1e-5, c.Options.RelTol);
        Assert.Equal(1e-14, c.Options.AbsTol);
        Assert.Equal(1e-9, c.Options.VnTol);
        Assert.Equal(1e-13, c.Options.Gmin);
        Assert.Equal(77, c.Options.Itl1);
        Assert.Equal(33, c.Options.Itl2);
        Assert.Equal(50, c.Temperature);
        Assert.Equal(30, c.Options.NominalTemperature);
        Circuit t = Circuit.Parse("o\nv1 1 0 1\nr1 1 0 1k\n.options temp=50\n.temp 60\n.end\n");
        Assert.Equal(60, t.Temperature);
    }

    [Fact]
    public void Iteration_limits_below_100_are_raised_as_in_ngspice()
    {
        Circuit c = Circuit.Parse("n\nv1 1 0 50\nr1 1 a 1\nd1 a b dm\nd2 b 0 dm\n.model dm d is=1e-16\n.options itl1=3 gminsteps=0 srcsteps=0\n.end\n");
        OperatingPointResult op = c.OperatingPoint();
        Assert.True(op.Converged, op.Newton.ToString());
        Assert.True(op.Newton.Iterations > 3);
    }
}
