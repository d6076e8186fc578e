namespace DnnOpt.Sizing;

/// <summary>The naming rules of sizing problems, shared by code-defined problems and problem files.</summary>
internal static class Identifiers
{
    /// <summary>A metric name: starts with a letter, then letters, digits and <c>_</c> (usable in expressions).</summary>
    public static bool IsMetricName(string name) =>
        !string.IsNullOrEmpty(name) && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>A problem name: letters, digits, <c>-</c> and <c>_</c> (used in folder names).</summary>
    public static bool IsProblemName(string name) =>
        !string.IsNullOrWhiteSpace(name) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
