using System.Diagnostics.CodeAnalysis;

namespace DnnOpt.Sizing.Problems;

/// <summary>A node of a problem file: a scalar, a sequence or a mapping, with the line it starts on.</summary>
/// <param name="Line">1-based line number in the file.</param>
public abstract record YamlNode(int Line)
{
    /// <summary>What the node is, for messages ("a scalar", "a list", "a mapping").</summary>
    public abstract string Describe();
}

/// <summary>A scalar as written (quotes removed, escapes resolved); typing is the reader's business.</summary>
/// <param name="Value">The text.</param>
/// <param name="Quoted">True when it was written in quotes (so <c>"true"</c> stays a string).</param>
/// <param name="Line">1-based line number.</param>
public sealed record YamlScalar(string Value, bool Quoted, int Line) : YamlNode(Line)
{
    /// <inheritdoc/>
    public override string Describe() => $"'{Value}'";
}

/// <summary>A block (<c>- item</c>) or flow (<c>[a, b]</c>) sequence.</summary>
/// <param name="Items">The items in order.</param>
/// <param name="Line">1-based line number.</param>
public sealed record YamlSequence(IReadOnlyList<YamlNode> Items, int Line) : YamlNode(Line)
{
    /// <inheritdoc/>
    public override string Describe() => "a list";
}

/// <summary>A block (<c>key: value</c>) or flow (<c>{key: value}</c>) mapping; keys are unique and case-sensitive.</summary>
/// <param name="Entries">Entries in written order.</param>
/// <param name="Line">1-based line number.</param>
public sealed record YamlMapping(IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries, int Line) : YamlNode(Line)
{
    /// <inheritdoc/>
    public override string Describe() => "a mapping";

    /// <summary>Finds an entry by key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">Its value when present.</param>
    /// <returns>True when the key is present.</returns>
    public bool TryGet(string key, [NotNullWhen(true)] out YamlNode? value)
    {
        foreach (KeyValuePair<YamlScalar, YamlNode> e in Entries)
        {
            if (e.Key.Value == key)
            {
                value = e.Value;
                return true;
            }
        }

        value = null;
        return false;
    }
}
