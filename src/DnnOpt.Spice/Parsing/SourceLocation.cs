using System.Globalization;

namespace DnnOpt.Spice.Parsing;

/// <summary>Where a netlist construct came from: file name (as given to the parser) and 1-based line number.</summary>
/// <param name="File">File name or a caller-chosen label for text parsed from memory.</param>
/// <param name="Line">1-based line number of the first physical line of the logical line.</param>
public readonly record struct SourceLocation(string File, int Line)
{
    /// <summary>Formats as <c>file:line</c>, the form compilers use so editors can jump to it.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}");
}
