using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace DnnOpt.Sizing.Tests;

/// <summary>
/// The ngspice oracle for the built-in benchmarks: runs <c>ngspice -b</c> on a deck with a <c>.control</c> block that
/// saves the compared vectors and writes them at full precision (wrdata, numdgt=16), and reads/writes the stored CSV
/// (header comments name the deck and the ngspice version). Mirrors tests/DnnOpt.Spice.Tests/ReferenceData.cs.
/// </summary>
internal static partial class Ngspice
{
    public const string RegenerateVariable = "DNNOPT_REGENERATE_REFERENCES";

    public static string OutputDirectory => Path.Combine(AppContext.BaseDirectory, "Reference");

    public static string SourceDirectory() => Path.Combine(Path.GetDirectoryName(ThisFile())!, "Reference");

    private static string ThisFile([CallerFilePath] string here = "") => here;

    public sealed record Table(string[] Vectors, double[] Values)
    {
        public double this[string vector] => Values[Array.IndexOf(Vectors, vector) is int i and >= 0 ? i : throw new KeyNotFoundException(vector)];
    }

    /// <summary>Runs the operating point of <paramref name="deckText"/> and returns the vectors (one row).</summary>
    public static Table OperatingPoint(string exe, string deckText, string[] vectors)
    {
        string tag = Guid.NewGuid().ToString("N");
        string dir = Path.GetTempPath();
        string deck = Path.Combine(dir, $"dnnopt_sizing_{tag}.cir");
        string output = Path.Combine(dir, $"dnnopt_sizing_{tag}.txt");
        var lines = deckText.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        int end = lines.FindLastIndex(l => l.Trim().Equals(".end", StringComparison.OrdinalIgnoreCase));
        string[] devices = [.. vectors.Where(v => v.StartsWith('@'))];
        lines.InsertRange(end < 0 ? lines.Count : end,
        [
            ".control",
            devices.Length > 0 ? "save all " + string.Join(' ', devices) : "save all",
            "run",
            "set wr_singlescale",
            "set wr_vecnames",
            "option numdgt=16",
            $"wrdata {output} " + string.Join(' ', vectors),
            "quit 0",
            ".endc",
        ]);
        File.WriteAllLines(deck, lines);
        try
        {
            (string log, int code) = NgspiceProcess.Run(exe, $"-b {deck}", dir);
            if (code != 0 || !File.Exists(output))
            {
                throw new InvalidOperationException($"ngspice failed (exit {code}):\n{log}");
            }

            string[] data = File.ReadAllLines(output);
            double[] row = [.. data[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(c => double.Parse(c, NumberStyles.Float, CultureInfo.InvariantCulture))];
            if (row.Length != vectors.Length)
            {
                throw new InvalidOperationException($"ngspice wrote {row.Length} values for {vectors.Length} vectors:\n{log}");
            }

            return new Table(vectors, row);
        }
        finally
        {
            File.Delete(deck);
            File.Delete(output);
        }
    }

    /// <summary>
    /// Runs every analysis of <paramref name="deckText"/> (with the files it includes written beside it) and returns the
    /// <c>.measure</c> results ngspice prints (6-7 significant digits; a failed measure is absent). A
    /// <c>.control</c>/<c>run</c>/<c>quit</c> block is appended: in batch mode some decks only run reliably that way.
    /// <paramref name="afterRun"/> are control commands run after <c>run</c> (e.g. <c>print onoise_total</c>); every
    /// <c>name = value</c> line ngspice prints is returned, the first occurrence of each name.
    /// </summary>
    public static Table Measures(string exe, string deckText, IReadOnlyDictionary<string, string> includes, IReadOnlyList<string>? afterRun = null)
    {
        string dir = Path.Combine(Path.GetTempPath(), "dnnopt_sizing_" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            foreach ((string name, string text) in includes)
            {
                File.WriteAllText(Path.Combine(dir, name), text);
            }

            var lines = deckText.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            int end = lines.FindLastIndex(l => l.Trim().Equals(".end", StringComparison.OrdinalIgnoreCase));
            lines.InsertRange(end < 0 ? lines.Count : end, [".control", "run", .. afterRun ?? [], "quit 0", ".endc"]);
            File.WriteAllLines(Path.Combine(dir, "deck.cir"), lines);
            (string log, int code) = NgspiceProcess.Run(exe, "-b deck.cir", dir);
            if (code != 0)
            {
                throw new InvalidOperationException($"ngspice failed (exit {code}):\n{log}");
            }

            var names = new List<string>();
            var values = new List<double>();
            foreach (string line in log.Split('\n'))
            {
                Match m = MeasureLine().Match(line);
                if (m.Success && !names.Contains(m.Groups[1].Value))
                {
                    names.Add(m.Groups[1].Value);
                    values.Add(double.Parse(m.Groups[2].Value, NumberStyles.Float, CultureInfo.InvariantCulture));
                }
            }

            return new Table([.. names], [.. values]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [GeneratedRegex(@"^([a-z_][a-z0-9_]*)\s+=\s+([-+]?[0-9.]+(?:e[-+]?[0-9]+)?)", RegexOptions.IgnoreCase)]
    private static partial Regex MeasureLine();

    public static Table ReadCsv(string path)
    {
        string[] data = [.. File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith('#'))];
        return new Table(data[0].Split(','), [.. data[1].Split(',').Select(c => double.Parse(c, NumberStyles.Float, CultureInfo.InvariantCulture))]);
    }

    public static void WriteCsv(string path, string deckNote, string version, Table table, string command = "ngspice -b <deck + .control: save, run, wrdata with numdgt=16>")
    {
        var sb = new StringBuilder();
        sb.Append("# deck: ").Append(deckNote).Append('\n');
        sb.Append("# produced by: ").Append(version).Append(", command: ").Append(command).Append('\n');
        sb.Append(string.Join(',', table.Vectors)).Append('\n');
        sb.Append(string.Join(',', table.Values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
        File.WriteAllText(path, sb.ToString());
    }

}
