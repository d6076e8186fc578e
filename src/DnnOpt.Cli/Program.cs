namespace DnnOpt.Cli;

/// <summary>Entry point of the <c>dnnopt</c> command.</summary>
internal static class Program
{
    /// <summary>Runs the command; Ctrl-C stops a sizing run after the simulations in flight, history intact.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static int Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            if (!cancel.IsCancellationRequested)
            {
                e.Cancel = true;
                cancel.Cancel();
            }
        };
        return CommandLine.Run(args, Console.Out, Console.Error, cancel.Token);
    }
}
