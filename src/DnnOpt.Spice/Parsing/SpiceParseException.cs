namespace DnnOpt.Spice.Parsing;

/// <summary>
/// The one error type the netlist reader and the circuit builder throw for bad or unsupported input. The message
/// always names the file, the line and the construct, so a deck that ngspice would read differently is never
/// silently accepted.
/// </summary>
public sealed class SpiceParseException : Exception
{
    /// <summary>Creates an error at <paramref name="location"/>.</summary>
    /// <param name="location">File and line of the offending construct.</param>
    /// <param name="message">What is wrong, naming the construct.</param>
    public SpiceParseException(SourceLocation location, string message)
        : base($"{location}: {message}")
    {
        Location = location;
        Reason = message;
    }

    /// <summary>Creates an error without a location (used only by the parameterless constructors).</summary>
    public SpiceParseException() : this(new SourceLocation("<unknown>", 0), "netlist error")
    {
    }

    /// <summary>Creates an error without a location.</summary>
    /// <param name="message">What is wrong.</param>
    public SpiceParseException(string message) : this(new SourceLocation("<unknown>", 0), message)
    {
    }

    /// <summary>Creates an error without a location, wrapping another exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public SpiceParseException(string message, Exception innerException) : base(message, innerException)
    {
        Location = new SourceLocation("<unknown>", 0);
        Reason = message;
    }

    /// <summary>File and line of the offending construct.</summary>
    public SourceLocation Location { get; }

    /// <summary>The message without the location prefix.</summary>
    public string Reason { get; } = string.Empty;
}
