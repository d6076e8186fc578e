using DnnOpt.Spice.Output;

namespace DnnOpt.Cli;

/// <summary><c>dnnopt simulate DECK [-r RAWFILE]</c>: forwards to DnnOpt.Spice's <see cref="DeckRunner"/>.</summary>
internal static class SimulateCommand
{
    public const string Help = """
        usage: dnnopt simulate DECK [-r RAWFILE]

        Runs the deck's analyses with the in-process simulator (ngspice syntax), prints the operating point as
        'v(node) = value' lines and every .measure as a 'name = value' line ('name = failed', with the reason on
        stderr, when it cannot be evaluated) and, with -r, writes a SPICE3 ASCII raw file with one plot per analysis
        (complex for .ac) that ngspice and waveform viewers read.

        examples:
          dnnopt simulate ota.cir
          dnnopt simulate ota.cir -r ota.raw

        exit codes: 0 ok (also when a measure failed), 1 an analysis did not converge, 2 bad input (unreadable or
        invalid deck, malformed .measure)
        """;

    public static int Run(List<string> args, TextWriter output, TextWriter error)
    {
        string? deck = null;
        string? raw = null;
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (a is "-r" or "--raw")
            {
                raw = i + 1 < args.Count ? args[++i] : throw new UsageException($"{a} needs a file name");
            }
            else if (a.StartsWith('-'))
            {
                throw new UsageException($"simulate: unknown option '{a}' (options: -r RAWFILE)");
            }
            else if (deck is null)
            {
                deck = a;
            }
            else
            {
                throw new UsageException($"simulate: unexpected argument '{a}' (one deck at a time)");
            }
        }

        if (deck is null)
        {
            throw new UsageException("simulate: no deck given (usage: dnnopt simulate DECK [-r RAWFILE])");
        }

        if (!File.Exists(deck))
        {
            throw new UsageException($"simulate: deck '{deck}' does not exist");
        }

        return DeckRunner.Run(deck, raw, output, error) switch
        {
            SimulateExitCode.Success => ExitCodes.Ok,
            SimulateExitCode.NotConverged => ExitCodes.NotFound,
            _ => ExitCodes.BadInput,
        };
    }
}
