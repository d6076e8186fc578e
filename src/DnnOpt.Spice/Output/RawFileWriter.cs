using System.Globalization;
using DnnOpt.Spice.Analyses;

namespace DnnOpt.Spice.Output;

/// <summary>
/// Writes results as a SPICE3 ASCII raw file (the format of <c>ngspice -b deck -r file</c> with
/// <c>filetype=ascii</c>): per plot a header (Title, Date, Plotname, Flags, No. Variables, No. Points, Variables)
/// and the values point by point. Node voltages are written as <c>v(node)</c>, branch currents as <c>i(device)</c>,
/// device-internal nodes are left out; a DC sweep's first variable is its inner sweep, named as ngspice does
/// (<c>v(v-sweep)</c>, <c>i(i-sweep)</c>, <c>res-sweep</c>, <c>temp-sweep</c>).
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
    /// <param name="results">Analysis results in order.</param>
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
                    WritePlot(writer, title, "Operating Point", null, op.UnknownNames, [[.. op.Solution]]);
                    break;
                case DcSweepResult dc:
                    {
                        var rows = new List<double[]>();
                        double[] sweep = dc.SweepValues(0);
                        for (int p = 0; p < dc.Count; p++)
                        {
                            rows.Add([sweep[p], .. dc.Row(p)]);
                        }

                        WritePlot(writer, title, "DC transfer characteristic", SweepVariable(dc.SweepNames[0]), dc.UnknownNames, rows);
                        break;
                    }

                default:
                    throw new ArgumentException("unsupported result type", nameof(results));
            }
        }
    }

    private static (string Name, string Type) SweepVariable(string target) => target[0] switch
    {
        _ when target == "temp" => ("temp-sweep", "temperature"),
        'v' => ("v(v-sweep)", "voltage"),
        'i' => ("i(i-sweep)", "current"),
        'r' => ("res-sweep", "impedance"),
        _ => (target, "voltage"),
    };

    private static void WritePlot(TextWriter w, string title, string plotName, (string Name, string Type)? scale, IReadOnlyList<string> unknowns, List<double[]> rows)
    {
        var names = new List<(string Name, string Type)>();
        if (scale is { } s)
        {
            names.Add(s);
        }

        // Like ngspice, device-internal nodes (m1#drain) are not written; branch currents are.
        var columns = new List<int>();
        for (int u = 0; u < unknowns.Count; u++)
        {
            string name = unknowns[u];
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

            columns.Add(u + (scale is null ? 0 : 1));
        }

        if (scale is not null)
        {
            columns.Insert(0, 0);
        }

        CultureInfo c = CultureInfo.InvariantCulture;
        w.Write("Title: " + title + "\n");
        w.Write("Date: " + DateTime.UtcNow.ToString("ddd MMM dd HH:mm:ss yyyy", c) + "\n");
        w.Write("Plotname: " + plotName + "\n");
        w.Write("Flags: real\n");
        w.Write(string.Create(c, $"No. Variables: {names.Count}\n"));
        w.Write(string.Create(c, $"No. Points: {rows.Count}\n"));
        w.Write("Variables:\n");
        for (int i = 0; i < names.Count; i++)
        {
            w.Write(string.Create(c, $"\t{i}\t{names[i].Name}\t{names[i].Type}\n"));
        }

        w.Write("Values:\n");
        for (int p = 0; p < rows.Count; p++)
        {
            double[] row = rows[p];
            for (int i = 0; i < columns.Count; i++)
            {
                string value = row[columns[i]].ToString("E16", c);
                w.Write(i == 0 ? string.Create(c, $" {p}\t{value}\n") : $"\t{value}\n");
            }
        }
    }
}
