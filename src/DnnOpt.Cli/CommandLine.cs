using DnnOpt.Sizing;

namespace DnnOpt.Cli;

/// <summary>Dispatches <c>dnnopt COMMAND ...</c> to the commands; the testable core of <see cref="Program.Main"/>.</summary>
internal static class CommandLine
{
    public const string Usage = """
        usage: dnnopt COMMAND [options]

        commands:
          size PROBLEM.yaml|BUILTIN-NAME [--algorithm dnnopt|de|bo-wei|gaspad|sa|random] [--budget N] [--seed S]
                 [--out DIR] [--jobs K] [--resume]
                                 size a problem file or a built-in benchmark circuit (see 'dnnopt benchmarks list')
          sensitivity PROBLEM.yaml|BUILTIN-NAME [--nominal DESIGN.json] [--threshold T] [--central]
                                 rank the variables by their sensitivity to the failing specs (eq. 7)
          evaluate PROBLEM.yaml|BUILTIN-NAME
                                 serve the problem's evaluations as JSON lines on stdin/stdout (for any optimiser)
          benchmarks list        list the built-in benchmark circuits
          benchmarks export NAME DIR
                                 write a benchmark's deck and description to DIR
          simulate DECK [-r RAWFILE]
                                 run a deck's .op/.dc analyses, print the operating point, optionally write a raw file
          help [COMMAND]         show help

        exit codes: 0 ok, 1 no feasible design found (size) or no convergence (simulate), 2 bad input, 3 internal error
        """;

    /// <summary>Runs one command line.</summary>
    /// <param name="args">Arguments after the program name.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="cancellationToken">Stops a sizing run between simulations.</param>
    /// <returns>The exit code.</returns>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        Run(args, Console.In, output, error, cancellationToken);

    /// <summary>Runs one command line with an explicit standard input.</summary>
    /// <param name="args">Arguments after the program name.</param>
    /// <param name="input">Standard input (<c>evaluate</c> reads its requests from it).</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="cancellationToken">Stops a sizing run between simulations.</param>
    /// <returns>The exit code.</returns>
    public static int Run(IReadOnlyList<string> args, TextReader input, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            if (args.Count == 0)
            {
                error.WriteLine(Usage);
                return ExitCodes.BadInput;
            }

            string command = args[0];
            var rest = args.Skip(1).ToList();
            switch (command)
            {
                case "-h" or "--help" or "help":
                    output.WriteLine(rest.Count > 0 ? HelpFor(rest[0]) : Usage);
                    return ExitCodes.Ok;
                case "size":
                    return rest.Contains("--help") || rest.Contains("-h") ? Help(output, SizeCommand.Help) : SizeCommand.Run(rest, output, error, cancellationToken);
                case "benchmarks":
                    return rest.Contains("--help") || rest.Contains("-h") ? Help(output, BenchmarksCommand.Help) : BenchmarksCommand.Run(rest, output);
                case "simulate":
                    return rest.Contains("--help") || rest.Contains("-h") ? Help(output, SimulateCommand.Help) : SimulateCommand.Run(rest, output, error);
                case "sensitivity":
                    return rest.Contains("--help") || rest.Contains("-h") ? Help(output, SensitivityCommand.Help) : SensitivityCommand.Run(rest, output);
                case "evaluate":
                    return rest.Contains("--help") || rest.Contains("-h") ? Help(output, EvaluateCommand.Help) : EvaluateCommand.Run(rest, input, output);
                default:
                    throw new UsageException($"unknown command '{command}' (commands: size, sensitivity, evaluate, benchmarks, simulate, help)");
            }
        }
        catch (UsageException e)
        {
            error.WriteLine("dnnopt: " + e.Message);
            return ExitCodes.BadInput;
        }
        catch (SizingProblemException e)
        {
            error.WriteLine("dnnopt: " + e.Message);
            return ExitCodes.BadInput;
        }
        catch (IOException e)
        {
            error.WriteLine("dnnopt: " + e.Message);
            return ExitCodes.BadInput;
        }
        catch (UnauthorizedAccessException e)
        {
            error.WriteLine("dnnopt: " + e.Message);
            return ExitCodes.BadInput;
        }
#pragma warning disable CA1031 // The last resort: report an internal error with its type and message, exit 3.
        catch (Exception e)
#pragma warning restore CA1031
        {
            error.WriteLine($"dnnopt: internal error: {e.GetType().Name}: {e.Message}");
            error.WriteLine(e.StackTrace);
            return ExitCodes.InternalError;
        }
    }

    private static int Help(TextWriter output, string text)
    {
        output.WriteLine(text);
        return ExitCodes.Ok;
    }

    private static string HelpFor(string command) => command switch
    {
        "size" => SizeCommand.Help,
        "benchmarks" => BenchmarksCommand.Help,
        "simulate" => SimulateCommand.Help,
        "evaluate" => EvaluateCommand.Help,
        "sensitivity" => SensitivityCommand.Help,
        _ => throw new UsageException($"no help for unknown command '{command}' (commands: size, sensitivity, evaluate, benchmarks, simulate)"),
    };
}
