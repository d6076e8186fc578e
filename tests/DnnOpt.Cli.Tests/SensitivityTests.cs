using System.Globalization;
using System.Text.Json;

namespace DnnOpt.Cli.Tests;

/// <summary>
/// <c>dnnopt sensitivity</c> and <c>size --prune</c> on a resistive divider whose specs have closed forms:
/// vout = vin r2 / (r1 + r2), and a third resistor r3 across the supply that only changes the power.
/// </summary>
public sealed class SensitivityTests : IDisposable
{
    private const string Deck = """
        divider with a bleeder
        .param r1=10k r2=10k r3=50k
        vin in 0 1
        ra in out {r1}
        rb out 0 {r2}
        rc in 0 {r3}
        .op
        .end
        """;

    // vout > 0.6 fails at the nominal (0.5 V); power < 1 mW holds (1/20k + 1/50k = 70 uW).
    private const string Problem = """
        name: divider
        decks: [divider.cir]
        variables:
          - { name: r1, lower: 1k, upper: 100k }
          - { name: r2, lower: 1k, upper: 100k }
          - { name: r3, lower: 10k, upper: 100k }
        metrics:
          vout: { vector: "v(out)", unit: V }
          iin: { vector: "i(vin)", unit: A }
          power: { expression: -iin, unit: W }
        objective: { minimize: power, scale: 1e-4 }
        specs:
          - vout > 0.6
          - power < 1m
        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "dnnopt_sens_" + Guid.NewGuid().ToString("N"));

    public SensitivityTests()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "divider.cir"), Deck);
        File.WriteAllText(Path.Combine(_dir, "divider.yaml"), Problem);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) => CommandLineTests.Run(args);

    [Fact]
    public void Sensitivities_equal_the_closed_form_differences_and_the_bleeder_is_frozen()
    {
        string outDir = Path.Combine(_dir, "sens");
        (int code, string stdout, string stderr) = Run("sensitivity", Path.Combine(_dir, "divider.yaml"), "--out", outDir);
        Assert.Equal(0, code);
        Assert.Contains("nominal design fails: vout_min", stdout, StringComparison.Ordinal);
        Assert.Contains("keep 2 of 3 variables (r1, r2)", stdout, StringComparison.Ordinal);
        Assert.Equal(4 + 1, File.ReadAllLines(Path.Combine(outDir, "history.csv")).Length);

        // Forward step of 5 % of each range; S = (f(x + h) - f(x)) / (0.05 * scale) per full range, where the
        // constraint vout_min = 0.6 - vout has scale 0.6 and the objective power has scale 1e-4.
        static double Vout(double r1, double r2) => r2 / (r1 + r2);
        static double Power(double r1, double r2, double r3) => (1 / (r1 + r2)) + (1 / r3);
        double h1 = 0.05 * 99e3, h3 = 0.05 * 90e3;
        double sVr1 = -(Vout(10e3 + h1, 10e3) - Vout(10e3, 10e3)) / (0.05 * 0.6);
        double sVr2 = -(Vout(10e3, 10e3 + h1) - Vout(10e3, 10e3)) / (0.05 * 0.6);
        double sPr3 = (Power(10e3, 10e3, 50e3 + h3) - Power(10e3, 10e3, 50e3)) / (0.05 * 1e-4);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "sensitivity.json")));
        JsonElement s = json.RootElement.GetProperty("sensitivity");
        Close(sVr1, s.GetProperty("vout_min").GetProperty("r1").GetDouble());
        Close(sVr2, s.GetProperty("vout_min").GetProperty("r2").GetDouble());
        Assert.Equal(0, s.GetProperty("vout_min").GetProperty("r3").GetDouble());
        Close(sPr3, s.GetProperty("power").GetProperty("r3").GetDouble());
        Assert.Equal(["r1", "r2"], json.RootElement.GetProperty("kept").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(outDir, "sensitivity.svg")), StringComparison.Ordinal);
    }

    [Fact]
    public void Size_with_prune_spends_the_sensitivity_simulations_from_the_budget_and_optimises_the_kept_variables()
    {
        string outDir = Path.Combine(_dir, "pruned");
        (int code, string stdout, string stderr) = Run("size", Path.Combine(_dir, "divider.yaml"), "--prune", "0.05", "--algorithm", "random", "--budget", "30", "--out", outDir);
        Assert.True(code is 0 or 1, stderr);
        Assert.Contains("optimised 2 of 3 variables (r1, r2)", stdout, StringComparison.Ordinal);
        string[] history = File.ReadAllLines(Path.Combine(outDir, "history.csv"));
        Assert.Equal(31, history.Length);

        // After the 4 sensitivity simulations, r3 stays at its nominal 50k in every design.
        int r3 = Array.IndexOf(history[0].Split(','), "x.r3");
        Assert.True(r3 > 0, history[0]);
        Assert.All(history.Skip(1 + 4), line => Assert.Equal(50e3, double.Parse(line.Split(',')[r3], CultureInfo.InvariantCulture), 6));
    }

    [Fact]
    public void Grouping_by_device_keeps_a_device_whole_and_size_spends_central_differences_when_the_budget_allows()
    {
        // Pretend r1 and r3 size one device "xa": r1 matters to the failing vout, so r3 is kept with it.
        string grouped = Problem
            .Replace("{ name: r1, lower: 1k, upper: 100k }", "{ name: r1, lower: 1k, upper: 100k, device: xa }", StringComparison.Ordinal)
            .Replace("{ name: r3, lower: 10k, upper: 100k }", "{ name: r3, lower: 10k, upper: 100k, device: xa }", StringComparison.Ordinal);
        string yaml = Path.Combine(_dir, "grouped.yaml");
        File.WriteAllText(yaml, grouped);
        (int code, string stdout, string stderr) = Run("sensitivity", yaml, "--group", "device", "--out", Path.Combine(_dir, "gs"));
        Assert.Equal(0, code);
        Assert.Contains("keep 2 of 2 devices (xa, r2) = 3 of 3 variables", stdout, StringComparison.Ordinal);
        using (JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "gs", "sensitivity.json"))))
        {
            Assert.Equal("xa", json.RootElement.GetProperty("groups").GetProperty("r3").GetString());
        }

        // Per variable (the default) the same file freezes r3.
        (code, stdout, _) = Run("sensitivity", yaml, "--out", Path.Combine(_dir, "gv"));
        Assert.Equal(0, code);
        Assert.Contains("keep 2 of 3 variables (r1, r2)", stdout, StringComparison.Ordinal);

        // size: 2d + 1 = 7 central-difference simulations fit in a fifth of 40, not of 30.
        (code, stdout, stderr) = Run("size", yaml, "--prune", "0.05", "--group", "device", "--algorithm", "random", "--budget", "40", "--out", Path.Combine(_dir, "p40"));
        Assert.True(code is 0 or 1, stderr);
        Assert.Contains("central differences, per device): optimised 3 of 3 variables", stdout, StringComparison.Ordinal);
        (code, stdout, stderr) = Run("size", yaml, "--prune", "0.05", "--algorithm", "random", "--budget", "30", "--out", Path.Combine(_dir, "p30"));
        Assert.True(code is 0 or 1, stderr);
        Assert.Contains("forward differences): optimised 2 of 3 variables", stdout, StringComparison.Ordinal);

        (code, _, stderr) = Run("size", yaml, "--group", "device");
        Assert.Equal(2, code);
        Assert.Contains("give --prune T too", stderr, StringComparison.Ordinal);
        (code, _, stderr) = Run("sensitivity", yaml, "--group", "devices");
        Assert.Equal(2, code);
        Assert.Contains("--group must be 'device' or 'variable'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Until_feasible_stops_at_the_first_design_that_meets_every_spec()
    {
        string outDir = Path.Combine(_dir, "until");
        (int code, string stdout, string stderr) = Run("size", Path.Combine(_dir, "divider.yaml"), "--algorithm", "random", "--budget", "200", "--until-feasible", "--out", outDir);
        Assert.True(code == 0, stdout + stderr);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        JsonElement root = summary.RootElement;
        Assert.Equal("FirstFeasibleFound", root.GetProperty("stop_reason").GetString());
        int first = root.GetProperty("first_feasible_simulation").GetInt32();
        Assert.Equal(first, root.GetProperty("simulations").GetInt32());
        Assert.True(first < 200);
        Assert.Equal(first + 1, File.ReadAllLines(Path.Combine(outDir, "history.csv")).Length);
    }

    [Fact]
    public void Annealing_from_the_nominal_starts_its_chain_at_the_decks_values()
    {
        string outDir = Path.Combine(_dir, "sa");
        (int code, string stdout, string stderr) = Run("size", Path.Combine(_dir, "divider.yaml"), "--algorithm", "sa", "--from-nominal", "--budget", "15", "--out", outDir);
        Assert.True(code is 0 or 1, stdout + stderr);
        string[] history = File.ReadAllLines(Path.Combine(outDir, "history.csv"));
        string[] header = history[0].Split(',');
        string[] first = history[1].Split(',');
        foreach ((string name, double value) in new[] { ("x.r1", 10e3), ("x.r2", 10e3), ("x.r3", 50e3) })
        {
            Assert.Equal(value, double.Parse(first[Array.IndexOf(header, name)], CultureInfo.InvariantCulture), 6);
        }

        (code, _, stderr) = Run("size", Path.Combine(_dir, "divider.yaml"), "--from-nominal");
        Assert.Equal(2, code);
        Assert.Contains("--algorithm sa", stderr, StringComparison.Ordinal);
    }

    private static void Close(double expected, double actual) => Tolerance.Close(expected, actual, 1e-9, 1e-12);
}
