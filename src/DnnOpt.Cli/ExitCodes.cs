namespace DnnOpt.Cli;

/// <summary>Exit codes of <c>dnnopt</c> (issue 8).</summary>
internal static class ExitCodes
{
    /// <summary>Success (size: a feasible design was found).</summary>
    public const int Ok = 0;

    /// <summary>size: no feasible design within the budget; simulate: an analysis did not converge.</summary>
    public const int NotFound = 1;

    /// <summary>Bad input: unknown command or option, bad value, missing file, invalid deck.</summary>
    public const int BadInput = 2;

    /// <summary>Internal error (a bug): the message says what happened.</summary>
    public const int InternalError = 3;
}

/// <summary>A user error: printed as one message naming what is wrong, exit code 2, no stack trace.</summary>
internal sealed class UsageException(string message) : Exception(message);
