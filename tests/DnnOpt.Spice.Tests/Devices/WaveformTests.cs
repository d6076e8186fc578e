using DnnOpt.Spice.Devices.Sources.Waveforms;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Tests.Devices;

/// <summary>Source functions against the formulas of the ngspice manual (chapter 4.1), written out independently.</summary>
public sealed class WaveformTests
{
    private static readonly SourceLocation Here = new("<test>", 1);

    private static IWaveform Make(string kind, double[] args, double step = 1e-9, double stop = 1e-6) =>
        Waveform.Create(kind, args, step, stop, Here, "v1");

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(10e-9, 0.0)]
    [InlineData(12e-9, 0.5)]
    [InlineData(14e-9, 1.0)]
    [InlineData(30e-9, 1.0)]
    [InlineData(34e-9, 1.0)]
    [InlineData(36e-9, 0.75)]
    [InlineData(42e-9, 0.0)]
    [InlineData(112e-9, 0.5)]
    [InlineData(136e-9, 0.75)]
    public void Pulse_is_piecewise_linear_and_periodic(double t, double expected)
    {
        // PULSE(0 1 TD=10n TR=4n TF=8n PW=20n PER=100n): rise 10-14n, high 14-34n, fall 34-42n, repeat every 100n.
        IWaveform p = Make("pulse", [0, 1, 10e-9, 4e-9, 8e-9, 20e-9, 100e-9]);
        Assert.Equal(expected, p.Value(t), 12);
    }

    [Fact]
    public void Pulse_defaults_rise_fall_to_tstep_and_width_period_to_tstop()
    {
        IWaveform p = Make("pulse", [1, 3], step: 2e-9, stop: 1e-6);
        Assert.Equal(2.0, p.Value(1e-9), 12);
        Assert.Equal(3.0, p.Value(0.5e-6), 12);
        var b = new List<double>();
        p.AddBreakpoints(b, 1e-6);
        Assert.Equal([2e-9, 1e-6], b);
    }

    [Fact]
    public void Pulse_breakpoints_are_every_corner_of_every_period()
    {
        IWaveform p = Make("pulse", [0, 1, 10e-9, 4e-9, 8e-9, 20e-9, 100e-9]);
        var b = new List<double>();
        p.AddBreakpoints(b, 150e-9);
        double[] expected = [10e-9, 14e-9, 34e-9, 42e-9, 110e-9, 114e-9, 134e-9, 142e-9];
        Assert.Equal(expected.Length, b.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], b[i], 1e-20);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(50e-9)]
    [InlineData(130e-9)]
    [InlineData(777e-9)]
    public void Sine_has_delay_damping_and_phase(double t)
    {
        // SIN(VO=0.5 VA=2 FREQ=5meg TD=100n THETA=1meg PHASE=30).
        IWaveform s = Make("sin", [0.5, 2, 5e6, 100e-9, 1e6, 30]);
        double phase = 30 * Math.PI / 180;
        double expected = t <= 100e-9
            ? 0.5 + (2 * Math.Sin(phase))
            : 0.5 + (2 * Math.Exp(-(t - 100e-9) * 1e6) * Math.Sin((2 * Math.PI * 5e6 * (t - 100e-9)) + phase));
        Assert.Equal(expected, s.Value(t), 12);
    }

    [Fact]
    public void Sine_frequency_defaults_to_one_over_tstop()
    {
        IWaveform s = Make("sin", [0, 1], stop: 1e-6);
        Assert.Equal(1.0, s.Value(0.25e-6), 12);
    }

    [Theory]
    [InlineData(10e-9)]
    [InlineData(100e-9)]
    [InlineData(300e-9)]
    [InlineData(900e-9)]
    public void Exp_rises_then_falls_with_two_time_constants(double t)
    {
        // EXP(V1=-1 V2=2 TD1=50n TAU1=30n TD2=400n TAU2=80n).
        IWaveform e = Make("exp", [-1, 2, 50e-9, 30e-9, 400e-9, 80e-9]);
        double expected = -1.0;
        if (t > 50e-9)
        {
            expected += 3 * (1 - Math.Exp(-(t - 50e-9) / 30e-9));
        }

        if (t > 400e-9)
        {
            expected += -3 * (1 - Math.Exp(-(t - 400e-9) / 80e-9));
        }

        Assert.Equal(expected, e.Value(t), 12);
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(5e-9, 1.0)]
    [InlineData(15e-9, 2.0)]
    [InlineData(20e-9, 3.0)]
    [InlineData(25e-9, 3.0)]
    [InlineData(35e-9, 0.0)]
    [InlineData(1e-6, -3.0)]
    public void Pwl_interpolates_and_holds_the_ends(double t, double expected)
    {
        IWaveform p = Make("pwl", [10e-9, 1, 20e-9, 3, 30e-9, 3, 40e-9, -3]);
        Assert.Equal(expected, p.Value(t), 12);
        var b = new List<double>();
        p.AddBreakpoints(b, 1e-6);
        Assert.Equal([10e-9, 20e-9, 30e-9, 40e-9], b);
    }

    [Fact]
    public void Sffm_is_a_frequency_modulated_sine()
    {
        IWaveform s = Make("sffm", [0.1, 1, 10e6, 3, 1e6]);
        double t = 123e-9;
        Assert.Equal(0.1 + Math.Sin((2 * Math.PI * 10e6 * t) + (3 * Math.Sin(2 * Math.PI * 1e6 * t))), s.Value(t), 12);
    }

    [Theory]
    [InlineData("pulse", new double[] { 1 })]
    [InlineData("sin", new double[] { 1, 2, 3, 4, 5, 6, 7 })]
    [InlineData("pwl", new double[] { 0, 1, 2 })]
    [InlineData("pwl", new double[] { 2e-9, 1, 1e-9, 0 })]
    [InlineData("am", new double[] { 1, 2, 3 })]
    public void Bad_arguments_are_parse_errors_naming_the_source(string kind, double[] args)
    {
        SpiceParseException e = Assert.Throws<SpiceParseException>(() => Make(kind, args));
        Assert.Contains("v1", e.Message, StringComparison.Ordinal);
    }
}
