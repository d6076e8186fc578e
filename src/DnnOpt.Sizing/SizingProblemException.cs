namespace DnnOpt.Sizing;

/// <summary>
/// A sizing problem definition is invalid: a variable that is not a deck parameter, a spec on an undefined metric,
/// an expression that does not parse, a deck that fails to parse. The message names the problem and the field.
/// </summary>
public sealed class SizingProblemException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SizingProblemException()
        : base("invalid sizing problem")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong, naming the problem and the field.</param>
    public SizingProblemException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause (a parse error, ...).</param>
    public SizingProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
