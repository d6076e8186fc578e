using System.Globalization;
using System.Numerics;
using DnnOpt.Spice.Analyses;

namespace DnnOpt.Spice.Output;

/// <summary>
/// Writes results as a SPICE3 ASCII raw file (the format of <c>ngspice -b deck -r file</c> with
/// <c>filetype=ascii</c>): per plot a header (Title, Date, Plotname, Flags, No. Variables, No. Points, Variables)
/// and the values point by point, one plot per analysis in one file. Node voltages are written as <c>v(node)</c>,
/// branch currents as <c>i(device)</c>, device-internal nodes are left out; a DC sweep's first variable is its inner
/// sweep, named as ngspice does (<c>v(v-sweep)</c>, <c>i(i-sweep)</c>, <c>res-sweep</c>, <c>temp-sweep</c>), a
/// transient's is <c>time</c>, an AC or noise analysis's <c>frequency</c>; AC plots are complex (<c>re,im</c>).
/// </summary>
public static class RawFileWriter
{
    /// <summary>Writes all plots to a file.</summary>
    /// <param name="path">Destination path.</param>
    /// <param name="title">Deck title.</param>
    /// <param name="results">Analysis results in order.</param>
    public static void Write(string path, string title, IEnumerable<AnalysisResult> results)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
        writer.NewLine = "\n";
        Write(writer, title, results);
    }

    /// <summary>Writes all plots to a text writer.</summary>
    /// <param name="writer">Destination.</param>
    /// <param name="title">Deck title.</param>
    /// <param name="results">Analysis results in order: operating points and every <see cref="IVectorSet"/> (dc, ac,
    /// tran, noise).</param>
    public static void Write(TextWriter writer, string title, IEnumerable<AnalysisResult> results)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(results);
        foreach (AnalysisResult r in results)
        {
            switch (r)
            {
                case OperatingPointResult op:
                    WriteOperatingPoint(writer, title, op);
                    break;
                case NoiseResult noise:
                    Write(writer, title, noise);
                    WriteIntegratedNoise(writer, title, noise);
                    break;
                case IVectorSet set:
                    Write(writer, title, set);
                    break;
                default:
                    throw new ArgumentException("unsupported result type", nameof(results));
            }
        }
    }

    /// <summary>
    /// Writes one plot of an analysis's vectors: the scale first, then every vector in <see cref="IVectorSet.VectorNames"/>
    /// order. Complex sets (AC) are written with <c>Flags: complex</c> and every value, the scale included, as
    /// <c>re,im</c>, as ngspice writes them.
    /// </summary>
    /// <param name="writer">Destination.</param>
    /// <param name="title">Deck title.</param>
    /// <param name="set">The analysis vectors.</param>
    public static void Write(TextWriter writer, string title, IVectorSet set)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(set);
        (string scaleName, string scaleType) = set switch
        {
            DcSweepResult dc => SweepVariable(dc.SweepNames[0]),
            _ => set.AnalysisKind switch
            {
                "tran" => ("time", "time"),
                "ac" or "noise" => ("frequency", "frequency"),
                _ => (set.ScaleName, "notype"),
            },
        };
        var names = new List<(string Name, string Type)> { (scaleName, scaleType) };
        var columns = new List<IReadOnlyList<Complex>>();
        int points = set.Scale.Count;
        foreach (string name in set.VectorNames)
        {
            if (set.TryGetVector(name, out IReadOnlyList<Complex>? values))
            {
                names.Add((name, VectorType(name)));
                columns.Add(values);
                points = Math.Min(points, values.Count);
            }
        }

        bool complex = set.IsComplex;
        CultureInfo c = CultureInfo.InvariantCulture;
        WriteHeader(writer, title, PlotName(set.AnalysisKind), complex, names, points);
        for (int p = 0; p < points; p++)
        {
            writer.Write(string.Create(c, $" {p}\t{Value(new Complex(set.Scale[p], 0), complex)}\n"));
            foreach (IReadOnlyList<Complex> column in columns)
            {
                writer.Write("\t" + Value(column[p], complex) + "\n");
            }
        }
    }

    private static string Value(Complex z, bool complex)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        return complex
            ? z.Real.ToString("E16", c) + "," + z.Imaginary.ToString("E16", c)
            : z.Real.ToString("E16", c);
    }

    private static string PlotName(string kind) => kind switch
    {
        "dc" => "DC transfer characteristic",
        "ac" => "AC Analysis",
        "tran" => "Transient Analysis",
        "noise" => "Noise Spectral Density Curves",
        _ => kind,
    };

    private static string VectorType(string name) => name switch
    {
        _ when name.StartsWith("v(", StringComparison.Ordinal) => "voltage",
        _ when name.StartsWith("i(", StringComparison.Ordinal) => "current",
        _ when name.EndsWith("noise_spectrum", StringComparison.Ordinal) => "voltage-density",
        _ => "notype",
    };

    private static (string Name, string Type) SweepVariable(string target) => target[0] switch
    {
        _ when target == "temp" => ("temp-sweep", "temperature"),
        'v' => ("v(v-sweep)", "voltage"),
        'i' => ("i(i-sweep)", "current"),
        'r' => ("res-sweep", "impedance"),
        _ => (target, "voltage"),
    };

    /// <summary>ngspice's second noise plot: the integrated totals as one point (none for a single frequency).</summary>
    private static void WriteIntegratedNoise(TextWriter w, string title, NoiseResult noise)
    {
        if (double.IsNaN(noise.OutputNoiseTotal))
        {
            return;
        }

        CultureInfo c = CultureInfo.InvariantCulture;
        WriteHeader(w, title, "Integrated Noise", complex: false, [("v(onoise_total)", "voltage"), ("v(inoise_total)", "voltage")], 1);
        w.Write(" 0\t" + noise.OutputNoiseTotal.ToString("E16", c) + "\n");
        w.Write("\t" + noise.InputNoiseTotal.ToString("E16", c) + "\n");
    }

    private static void WriteOperatingPoint(TextWriter w, string title, OperatingPointResult op)
    {
        // Like ngspice, device-internal nodes (m1#drain) are not written; branch currents are.
        var names = new List<(string Name, string Type)>();
        var columns = new List<int>();
        for (int u = 0; u < op.UnknownNames.Count; u++)
        {
            string name = op.UnknownNames[u];
            if (name.EndsWith("#branch", StringComparison.Ordinal))
            {
                names.Add(("i(" + name[..^"#branch".Length] + ")", "current"));
            }
            else if (!name.Contains('#', StringComparison.Ordinal))
            {
                names.Add(("v(" + name + ")", "voltage"));
            }
            else
            {
                continue;
            }

            columns.Add(u);
        }

        CultureInfo c = CultureInfo.InvariantCulture;
        WriteHeader(w, title, "Operating Point", complex: false, names, 1);
        for (int i = 0; i < columns.Count; i++)
        {
            string value = op.Solution[columns[i]].ToString("E16", c);
            w.Write(i == 0 ? string.Create(c, $" 0\t{value}\n") : $"\t{value}\n");
        }
    }

    private static void WriteHeader(TextWriter w, string title, string plotName, bool complex, List<(string Name, string Type)> names, int points)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        w.Write("Title: " + title + "\n");
        w.Write("Date: " + DateTime.UtcNow.ToString("ddd MMM dd HH:mm:ss yyyy", c) + "\n");
        w.Write("Plotname: " + plotName + "\n");
        w.Write(complex ? "Flags: complex\n" : "Flags: real\n");
        w.Write(string.Create(c, $"No. Variables: {names.Count}\n"));
        w.Write(string.Create(c, $"No. Points: {points}\n"));
        w.Write("Variables:\n");
        for (int i = 0; i < names.Count; i++)
        {
            w.Write(string.Create(c, $"\t{i}\t{names[i].Name}\t{names[i].Type}\n"));
        }

        w.Write("Values:\n");
    }
}
