using DnnOpt.Optimization;

namespace DnnOpt.Sizing;

/// <summary>
/// A design variable of a sizing problem: a top-level <c>.param</c> of the deck with its range, kind and unit.
/// </summary>
/// <param name="Name">Name of the deck parameter (lower case, as the deck's <c>{name}</c> references use it).</param>
/// <param name="Lower">Smallest value, in <paramref name="Unit"/> (SI base units: m, A, F; not micrometres).</param>
/// <param name="Upper">Largest value.</param>
/// <param name="Unit">Unit symbol for reports (<c>m</c>, <c>A</c>, <c>F</c>; empty for a count).</param>
/// <param name="Kind">Continuous (default) or integer (device multipliers).</param>
/// <param name="Scale">Linear (default) or logarithmic spreading over the range.</param>
/// <param name="Device">
/// The device this variable sizes (<c>m12</c> for <c>w_m12</c>), so sensitivity pruning can keep or freeze a device's
/// variables together; null when it sizes no single device.
/// </param>
public sealed record SizingVariable(
    string Name,
    double Lower,
    double Upper,
    string Unit = "",
    VariableKind Kind = VariableKind.Continuous,
    VariableScale Scale = VariableScale.Linear,
    string? Device = null)
{
    /// <summary>The optimiser's view of this variable.</summary>
    public DesignVariable ToDesignVariable() => new(Name, Lower, Upper, Kind, Scale);
}
