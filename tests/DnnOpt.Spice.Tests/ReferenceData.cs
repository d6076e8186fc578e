using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace DnnOpt.Spice.Tests;

/// <summary>
/// The ngspice reference corpus: decks under Reference/ name the vectors to compare in a <c>* compare:</c> comment;
/// the CSV beside each deck holds what ngspice 39 printed for them (header comments name the deck, version and
/// command). <see cref="RunNgspice"/> produces those numbers by running ngspice in batch mode on a copy of the deck
/// with a <c>.control</c> block that saves and writes the vectors at full precision.
/// </summary>
internal static class ReferenceData
{
    public const string RegenerateVariable = "DNNOPT_REGENERATE_REFERENCES";

    public static string OutputDirectory => Path.Combine(AppContext.BaseDirectory, "Reference");

    public static string SourceDirectory([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Reference");

    public static IEnumerable<string> DeckNames() =>
        Directory.GetFiles(OutputDirectory, "*.cir").Select(Path.GetFileNameWithoutExtension).Where(n => !n!.StartsWith("inc_", StringComparison.Ordinal)).Order(StringComparer.Ordinal)!;

    public static string DeckPath(string name) => Path.Combine(OutputDirectory, name + ".cir");

    public static string[] CompareVectors(string deckPath)
    {
        foreach (string line in File.ReadLines(deckPath))
        {
            string t = line.Trim();
            if (t.StartsWith("* compare:", StringComparison.OrdinalIgnoreCase))
            {
                return t["* compare:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => s.ToLowerInvariant()).ToArray();
            }
        }

        throw new InvalidOperationException($"{deckPath} has no '* compare:' line");
    }

    /// <summary>
    /// The relative tolerance a deck is compared with: 1e-6 unless the deck says otherwise in a <c>* tolerance: rel</c>
    /// line, which must also say why (e.g. a sweep point where ngspice and this engine take different, equally
    /// converged Newton paths).
    /// </summary>
    public static double RelativeTolerance(string deckPath)
    {
        foreach (string line in File.ReadLines(deckPath))
        {
            string t = line.Trim();
            if (t.StartsWith("* tolerance:", StringComparison.OrdinalIgnoreCase))
            {
                string value = t["* tolerance:".Length..].Trim().Split(' ')[0];
                return double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }

        return 1e-6;
    }

    /// <summary>A reference table: vector names and rows (one per .op, one per DC sweep point).</summary>
    public sealed record Table(string[] Vectors, List<double[]> Rows)
    {
        public double[] Column(string vector)
        {
            int i = Array.IndexOf(Vectors, vector);
            if (i < 0)
            {
                throw new KeyNotFoundException(vector);
            }

            return [.. Rows.Select(r => r[i])];
        }
    }

    public static Table ReadCsv(string path)
    {
        string[] vectors = [];
        var rows = new List<double[]>();
        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            string[] cells = line.Split(',');
            if (vectors.Length == 0)
            {
                vectors = cells;
                continue;
            }

            rows.Add([.. cells.Select(c => double.Parse(c, NumberStyles.Float, CultureInfo.InvariantCulture))]);
        }

        return new Table(vectors, rows);
    }

    public static void WriteCsv(string path, string deckName, string version, Table table, string command = "ngspice -b <deck + .control: save, run, wrdata with numdgt=16>")
    {
        var sb = new StringBuilder();
        sb.Append("# deck: ").Append(deckName).Append(".cir\n");
        sb.Append("# produced by: ").Append(version).Append(", command: ").Append(command).Append('\n');
        sb.Append(string.Join(',', table.Vectors)).Append('\n');
        foreach (double[] row in table.Rows)
        {
            sb.Append(string.Join(',', row.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
        }

        File.WriteAllText(path, sb.ToString());
    }

    /// <summary>The operating point of a reference deck from a fresh circuit and the Newton iterations it took.</summary>
    public static (long Iterations, DnnOpt.Spice.Analyses.OperatingPointResult Op) OperatingPointIterations(string deckName)
    {
        DnnOpt.Spice.Circuits.Circuit c = DnnOpt.Spice.Circuits.Circuit.Create(DnnOpt.Spice.Parsing.NetlistParser.ParseFile(DeckPath(deckName)));
        long before = c.NewtonIterations;
        DnnOpt.Spice.Analyses.OperatingPointResult op = c.OperatingPoint();
        return (c.NewtonIterations - before, op);
    }

    /// <summary>
    /// Runs ngspice in batch mode on a copy of the reference deck with <c>.options acct</c> and returns its "Total
    /// iterations" (every Newton iteration of the run, gmin and source steps included) and its whole output.
    /// </summary>
    public static (int Iterations, string Output) NgspiceIterations(string exe, string deckName)
    {
        string deck = DeckPath(deckName);
        string copy = Path.Combine(Path.GetDirectoryName(deck)!, $"run_{Guid.NewGuid():N}.tmp");
        try
        {
            string text = File.ReadAllText(deck);
            File.WriteAllText(copy, Regex.Replace(text, @"^\.end\s*$", ".options acct\n.end", RegexOptions.Multiline));
            (string output, _) = DnnOpt.Testing.NgspiceProcess.Run(exe, $"-b {Path.GetFileName(copy)}", Path.GetDirectoryName(deck)!);
            Match m = Regex.Match(output, @"Total iterations = (\d+)");
            return (m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : -1, output);
        }
        finally
        {
            File.Delete(copy);
        }
    }

    /// <summary>Runs ngspice on a copy of the deck and returns the compared vectors (first column of wrdata dropped).</summary>
    public static Table RunNgspice(string exe, string deckPath)
    {
        string[] compared = CompareVectors(deckPath);

        // A noise deck's integrated totals live in a second plot (noise2) with one row: they are read separately and
        // repeated on every spectrum row, after the spectra.
        string[] totals = [.. compared.Where(v => v.EndsWith("_total", StringComparison.Ordinal))];
        string[] vectors = [.. compared.Where(v => !totals.Contains(v)), .. totals];
        string[] perPoint = [.. vectors.Take(vectors.Length - totals.Length)];
        string dir = Path.GetDirectoryName(deckPath)!;
        string tag = Guid.NewGuid().ToString("N");
        string deckCopy = Path.Combine(dir, $"run_{tag}.tmp");
        string output = Path.Combine(Path.GetTempPath(), $"dnnopt_{tag}.txt");
        string totalsOutput = Path.Combine(Path.GetTempPath(), $"dnnopt_{tag}_totals.txt");
        var lines = File.ReadAllLines(deckPath).ToList();
        int end = lines.FindLastIndex(l => l.Trim().Equals(".end", StringComparison.OrdinalIgnoreCase));
        var devices = vectors.Where(v => v.StartsWith('@')).ToArray();
        var control = new List<string>
        {
            ".control",
            devices.Length > 0 ? "save all " + string.Join(' ', devices) : "save all",
            "run",
            "set wr_singlescale",
            "set wr_vecnames",
            "option numdgt=16",
        };
        if (totals.Length > 0)
        {
            control.AddRange(["setplot noise1", $"wrdata {output} " + string.Join(' ', perPoint), "setplot noise2", $"wrdata {totalsOutput} " + string.Join(' ', totals)]);
        }
        else
        {
            control.Add($"wrdata {output} " + string.Join(' ', vectors));
        }

        control.AddRange(["quit 0", ".endc"]);
        lines.InsertRange(end < 0 ? lines.Count : end, control);
        File.WriteAllLines(deckCopy, lines);
        try
        {
            (string log, int code) = NgspiceProcess.Run(exe, $"-b {Path.GetFileName(deckCopy)}", dir);
            if (code != 0 || !File.Exists(output))
            {
                throw new InvalidOperationException($"ngspice failed on {deckPath} (exit {code}):\n{log}");
            }

            List<double[]> rows = ReadWrdata(output);
            if (totals.Length > 0)
            {
                // wrdata takes the first vector of the scale-less totals plot as its scale: put it back.
                string[] cells = File.ReadAllLines(totalsOutput)[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                double[] t = [.. cells.Skip(cells.Length - totals.Length).Select(c => double.Parse(c, NumberStyles.Float, CultureInfo.InvariantCulture))];
                rows = [.. rows.Select(r => (double[])[.. r, .. t])];
            }

            foreach (double[] r in rows)
            {
                if (r.Length != vectors.Length)
                {
                    throw new InvalidOperationException($"ngspice wrote {r.Length} columns for {vectors.Length} vectors on {deckPath}:\n{log}");
                }
            }

            return new Table(vectors, rows);
        }
        finally
        {
            File.Delete(deckCopy);
            File.Delete(output);
            File.Delete(totalsOutput);
        }
    }

    /// <summary>The .measure corpus: decks under Reference/Measures whose CSV holds the values ngspice printed.</summary>
    public static string MeasureDirectory => Path.Combine(OutputDirectory, "Measures");

    public const string MeasureCommand = "ngspice -b <deck>, the 'name = value' lines it prints (failed: NaN)";

    public static IEnumerable<string> MeasureDeckNames() =>
        Directory.GetFiles(MeasureDirectory, "*.cir").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    public static string MeasureDeckPath(string name) => Path.Combine(MeasureDirectory, name + ".cir");

    /// <summary>
    /// Runs ngspice in batch mode on a measure deck and reads the value it prints for each <c>.meas</c> of the deck
    /// (<c>name = value ...</c>); a measure ngspice reports as failed, or does not print, is NaN.
    /// </summary>
    public static Table RunNgspiceMeasures(string exe, string deckPath)
    {
        string[] names = [.. Spice.Parsing.NetlistParser.ParseFile(deckPath).Measures.Select(m => m.Name)];
        (string log, int code) = NgspiceProcess.Run(exe, $"-b {Path.GetFileName(deckPath)}", Path.GetDirectoryName(deckPath)!);
        if (code != 0)
        {
            throw new InvalidOperationException($"ngspice failed on {deckPath} (exit {code}):\n{log}");
        }

        var values = new double[names.Length];
        for (int i = 0; i < names.Length; i++)
        {
            values[i] = double.NaN;
            foreach (string line in log.Split('\n'))
            {
                string[] words = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (words.Length >= 3 && words[0] == names[i] && words[1] == "=")
                {
                    values[i] = words[2] == "failed" ? double.NaN : double.Parse(words[2], NumberStyles.Float, CultureInfo.InvariantCulture);
                }
            }
        }

        return new Table(names, [values]);
    }

    /// <summary>Has ngspice load a raw file and write the given vectors back at full precision (complex vectors as
    /// two columns, real and imaginary); <paramref name="plot"/> selects a plot of a multi-plot file (op1, dc1, ac1...).</summary>
    public static Table LoadRawWithNgspice(string exe, string rawPath, string[] vectors, string? plot = null)
    {
        string tag = Guid.NewGuid().ToString("N");
        string deck = Path.Combine(Path.GetTempPath(), $"dnnopt_load_{tag}.cir");
        string output = Path.Combine(Path.GetTempPath(), $"dnnopt_load_{tag}.txt");
        File.WriteAllLines(deck,
        [
            "load raw file",
            ".control",
            $"load {rawPath}",
            plot is null ? "*" : $"setplot {plot}",
            "set wr_singlescale",
            "set wr_vecnames",
            "option numdgt=16",
            $"wrdata {output} " + string.Join(' ', vectors),
            "quit 0",
            ".endc",
            ".end",
        ]);
        try
        {
            (string log, int code) = NgspiceProcess.Run(exe, $"-b {deck}", Path.GetTempPath());
            if (code != 0 || !File.Exists(output))
            {
                throw new InvalidOperationException($"ngspice could not load {rawPath} (exit {code}):\n{log}");
            }

            return new Table(vectors, ReadWrdata(output));
        }
        finally
        {
            File.Delete(deck);
            File.Delete(output);
        }
    }

    /// <summary>Rows of a wrdata file written with wr_singlescale and wr_vecnames, the scale column dropped.</summary>
    private static List<double[]> ReadWrdata(string path)
    {
        var rows = new List<double[]>();
        foreach (string l in File.ReadAllLines(path).Skip(1))
        {
            string[] cells = l.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cells.Length > 0)
            {
                rows.Add([.. cells.Skip(1).Select(c => double.Parse(c, NumberStyles.Float, CultureInfo.InvariantCulture))]);
            }
        }

        return rows;
    }

}
