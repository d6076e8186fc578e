using System.Diagnostics;

#pragma warning disable IDE0130 // One file linked into the test projects that run ngspice: one namespace for all of them.
namespace DnnOpt.Testing;
#pragma warning restore IDE0130

/// <summary>
/// Finds and runs the ngspice executable (the oracle, never a runtime dependency) for the test projects that compare
/// against it. Linked from tests/Shared.
/// </summary>
internal static class NgspiceProcess
{
    /// <summary>The first <c>ngspice</c> on PATH, or null.</summary>
    public static string? Find()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(dir, "ngspice");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The version line ngspice prints (e.g. "ngspice-39.3 : ..."), for reference-file headers.</summary>
    public static string Version(string exe)
    {
        (string output, _) = Run(exe, "--version", Path.GetTempPath());
        string? line = output.Split('\n').FirstOrDefault(l => l.Contains("ngspice-", StringComparison.OrdinalIgnoreCase));
        return line is null ? "ngspice (unknown version)" : line.Trim().Trim('*').Trim();
    }

    /// <summary>
    /// Runs ngspice with one OpenMP thread; returns stdout + stderr and the exit code. The 10-minute limit only guards
    /// against a hung process: the larger decks (the level-shifter bus, the LDO) take tens of seconds alone and several
    /// times that while the test run keeps both cores busy.
    /// </summary>
    public static (string Output, int ExitCode) Run(string exe, string args, string workingDirectory)
    {
        var psi = new ProcessStartInfo(exe, args)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["OMP_NUM_THREADS"] = "1";
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start ngspice");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(600_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"ngspice did not finish within 10 minutes ({args})");
        }

        return (stdout.Result + stderr.Result, p.ExitCode);
    }
}
