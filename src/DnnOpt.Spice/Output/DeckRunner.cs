using System.Globalization;
using DnnOpt.Spice.Analyses;
using DnnOpt.Spice.Circuits;
using DnnOpt.Spice.Measurements;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Output;

/// <summary>Exit codes of <see cref="DeckRunner.Run"/>, the contract of <c>dnnopt simulate</c>.</summary>
public enum SimulateExitCode
{
    /// <summary>Every analysis converged.</summary>
    Success = 0,

    /// <summary>The deck could not be read, is invalid, or uses unsupported constructs.</summary>
    BadInput = 1,

    /// <summary>An analysis did not converge (the message names the unknown).</summary>
    NotConverged = 2,
}

/// <summary>
/// Runs a deck end to end like <c>ngspice -b DECK -r RAWFILE</c>: parse, run every analysis, print a summary
/// (operating-point values and <c>.measure</c> results as <c>name = value</c> lines; a measure that cannot be evaluated
/// prints <c>name = failed</c> with the reason on the error writer), optionally write a SPICE3 ASCII raw file with one
/// plot per analysis. This is the whole behaviour of <c>dnnopt simulate</c>; the command line only forwards its
/// arguments. Failed measures do not change the exit code (ngspice's neither).
/// </summary>
public static class DeckRunner
{
    /// <summary>Runs the deck.</summary>
    /// <param name="deckPath">Deck file.</param>
    /// <param name="rawPath">Raw file to write, or null.</param>
    /// <param name="output">Summary destination.</param>
    /// <param name="error">Error message destination.</param>
    /// <returns>The exit code.</returns>
    public static SimulateExitCode Run(string deckPath, string? rawPath, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(deckPath);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        Circuit circuit;
        IReadOnlyList<AnalysisResult> results;
        try
        {
            circuit = Circuit.Create(NetlistParser.ParseFile(deckPath));
            foreach (string w in circuit.Warnings)
            {
                error.WriteLine("warning: " + w);
            }

            if (circuit.Netlist.Analyses.Count == 0)
            {
                error.WriteLine($"{deckPath}: no analysis (.op, .dc, .ac, .tran or .noise) in the deck");
                return SimulateExitCode.BadInput;
            }

            // Measures are parsed before anything runs, so a malformed one costs no simulation time. The device
            // quantities they read are saved (those of devices the deck lacks fail as missing vectors instead).
            var devices = new HashSet<string>(circuit.DeviceNames, StringComparer.Ordinal);
            string[] saves = [.. circuit.Measures.DeviceQuantities.Where(q => devices.Contains(q[1..q.IndexOf('[', StringComparison.Ordinal)]))];
            results = circuit.RunAnalyses(saves);
        }
        catch (SpiceParseException e)
        {
            error.WriteLine("error: " + e.Message);
            return SimulateExitCode.BadInput;
        }
        catch (KeyNotFoundException e)
        {
            // A measured device quantity the device does not have (e.g. @m1[nosuch]).
            error.WriteLine($"error: {deckPath}: {e.Message}");
            return SimulateExitCode.BadInput;
        }
        catch (NotSupportedException e)
        {
            // A construct the parser accepts but an analysis cannot use yet (e.g. a model without a small-signal form).
            error.WriteLine($"error: {deckPath}: {e.Message}");
            return SimulateExitCode.BadInput;
        }

        CultureInfo c = CultureInfo.InvariantCulture;
        output.WriteLine("Circuit: " + circuit.Netlist.Title);
        SimulateExitCode code = SimulateExitCode.Success;
        foreach (AnalysisResult r in results)
        {
            switch (r)
            {
                case OperatingPointResult op:
                    output.WriteLine("Operating point:");
                    for (int i = 0; i < op.UnknownNames.Count; i++)
                    {
                        string name = op.UnknownNames[i];
                        bool branch = name.EndsWith("#branch", StringComparison.Ordinal);
                        if (!branch && name.Contains('#', StringComparison.Ordinal))
                        {
                            // Device-internal nodes are not printed, as in ngspice.
                            continue;
                        }

                        string label = branch ? "i(" + name[..^7] + ")" : "v(" + name + ")";
                        output.WriteLine(string.Create(c, $"{label} = {op.Solution[i]:0.000000000e+00}"));
                    }

                    break;
                case DcSweepResult dc:
                    output.WriteLine(string.Create(c, $"DC sweep of {string.Join(", ", dc.SweepNames)}: {dc.Count} points"));
                    break;
                case NoiseResult noise:
                    output.WriteLine(string.Create(c, $"noise analysis: {noise.Count} points"));
                    output.WriteLine(string.Create(c, $"onoise_total = {noise.OutputNoiseTotal:0.000000000e+00}"));
                    output.WriteLine(string.Create(c, $"inoise_total = {noise.InputNoiseTotal:0.000000000e+00}"));
                    break;
                case IVectorSet set:
                    output.WriteLine(string.Create(c, $"{set.AnalysisKind} analysis: {set.Scale.Count} points"));
                    break;
            }

            if (!r.Converged)
            {
                error.WriteLine(string.Create(c, $"error: no convergence ({r.Newton.Exit} after {r.Newton.Iterations} iterations) at unknown '{r.Newton.WorstUnknownName}'"));
                code = SimulateExitCode.NotConverged;
            }
        }

        WriteMeasures(circuit, circuit.Measure(results), output, error);
        if (rawPath is not null)
        {
            RawFileWriter.Write(rawPath, circuit.Netlist.Title, results);
        }

        return code;
    }

    private static void WriteMeasures(Circuit circuit, MeasureResults measures, TextWriter output, TextWriter error)
    {
        if (measures.Count == 0)
        {
            return;
        }

        CultureInfo c = CultureInfo.InvariantCulture;
        output.WriteLine("Measurements:");
        for (int i = 0; i < measures.Count; i++)
        {
            MeasureResult m = measures[i];
            MeasureDefinition d = circuit.Measures.Definitions[i];
            switch (m.Status)
            {
                case MeasureStatus.Ok:
                    output.WriteLine(string.Create(c, $"{m.Name} = {m.Value:0.000000000e+00}"));
                    break;
                case MeasureStatus.Failed:
                    output.WriteLine($"{m.Name} = failed");
                    error.WriteLine($"warning: {d.Location}: .measure {m.Analysis} {m.Name} failed: {m.Reason}");
                    break;
                default:
                    // ngspice silently skips measures of analyses the deck does not run; say so once per measure.
                    error.WriteLine($"warning: {d.Location}: .measure {m.Analysis} {m.Name} not evaluated: {m.Reason}");
                    break;
            }
        }
    }
}
