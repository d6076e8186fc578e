using System.Text;
using DnnOpt.Sizing;
using DnnOpt.Sizing.Benchmarks;

namespace DnnOpt.Cli;

/// <summary><c>dnnopt benchmarks list</c> and <c>dnnopt benchmarks export NAME DIR</c>.</summary>
internal static class BenchmarksCommand
{
    public const string Help = """
        usage: dnnopt benchmarks list
               dnnopt benchmarks export NAME DIR

        list    prints the built-in benchmark circuits, one per line: name and summary
        export  writes NAME's deck (NAME.cir, ready for ngspice or 'dnnopt simulate') and description (NAME.md) to DIR

        examples:
          dnnopt benchmarks list
          dnnopt benchmarks export ota5-dc ./ota5
        """;

    public static int Run(List<string> args, TextWriter output)
    {
        if (args.Count == 0)
        {
            throw new UsageException("benchmarks: missing subcommand (list or export NAME DIR)");
        }

        switch (args[0])
        {
            case "list":
                if (args.Count > 1)
                {
                    throw new UsageException($"benchmarks list: unexpected argument '{args[1]}'");
                }

                foreach (BuiltinBenchmark b in BuiltinBenchmarks.All)
                {
                    output.WriteLine($"{b.Name,-12} {b.Summary}");
                }

                return ExitCodes.Ok;
            case "export":
                if (args.Count != 3)
                {
                    throw new UsageException("benchmarks export: expected NAME DIR (usage: dnnopt benchmarks export NAME DIR)");
                }

                BuiltinBenchmark benchmark = Find(args[1]);
                string dir = args[2];
                Directory.CreateDirectory(dir);
                var utf8 = new UTF8Encoding(false);
                foreach (DeckDefinition d in benchmark.Definition.Decks)
                {
                    string deck = Path.Combine(dir, d.FileName);
                    File.WriteAllText(deck, d.Text, utf8);
                    output.WriteLine($"wrote {deck}");
                }

                var extra = new List<(string File, string Text)>(benchmark.IncludedFiles.Select(kv => (kv.Key, kv.Value)));
                if (benchmark.ProblemFileText is { } yaml)
                {
                    extra.Add((benchmark.Name + ".yaml", yaml));
                }

                foreach ((string file, string text) in extra)
                {
                    string path = Path.Combine(dir, file);
                    File.WriteAllText(path, text, utf8);
                    output.WriteLine($"wrote {path}");
                }

                string description = Path.Combine(dir, benchmark.Name + ".md");
                File.WriteAllText(description, benchmark.Description, utf8);
                output.WriteLine($"wrote {description}");
                return ExitCodes.Ok;
            default:
                throw new UsageException($"benchmarks: unknown subcommand '{args[0]}' (list or export NAME DIR)");
        }
    }

    public static BuiltinBenchmark Find(string name) =>
        BuiltinBenchmarks.TryGet(name, out BuiltinBenchmark? b)
            ? b
            : throw new UsageException($"no built-in benchmark '{name}' (available: {string.Join(", ", BuiltinBenchmarks.All.Select(x => x.Name))})");
}
