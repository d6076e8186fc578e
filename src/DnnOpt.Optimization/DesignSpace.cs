using System.Collections;

namespace DnnOpt.Optimization;

/// <summary>
/// An ordered, validated set of design variables. Optimisers work in the unit cube [0, 1]^d; this type maps unit
/// coordinates to the physical values a problem evaluates (linear or log spreading, integer rounding) and back.
/// </summary>
public sealed class DesignSpace : IReadOnlyList<DesignVariable>
{
    private readonly DesignVariable[] _variables;
    private readonly Dictionary<string, int> _index;

    /// <summary>Creates a design space; every variable is validated and names must be unique (ordinal comparison).</summary>
    /// <exception cref="ArgumentException">No variables, an invalid variable, or a duplicate name.</exception>
    public DesignSpace(IEnumerable<DesignVariable> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        _variables = [.. variables];
        if (_variables.Length == 0)
        {
            throw new ArgumentException("A design space needs at least one variable.", nameof(variables));
        }

        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < _variables.Length; i++)
        {
            var v = _variables[i] ?? throw new ArgumentException($"Design variable {i} is null.", nameof(variables));
            v.Validate();
            if (!_index.TryAdd(v.Name, i))
            {
                throw new ArgumentException($"Design variable name '{v.Name}' appears more than once.", nameof(variables));
            }
        }
    }

    /// <summary>Number of design variables d.</summary>
    public int Dimension => _variables.Length;

    /// <inheritdoc/>
    public int Count => _variables.Length;

    /// <inheritdoc/>
    public DesignVariable this[int index] => _variables[index];

    /// <summary>Index of the variable called <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name) => _index.TryGetValue(name, out int i) ? i : -1;

    /// <summary>
    /// Maps unit coordinates to physical values. Coordinates outside [0, 1] are clamped (exploration noise may push a
    /// candidate over a face); integer variables are rounded; log variables are spread geometrically.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong lengths or a NaN coordinate.</exception>
    public void ToPhysical(ReadOnlySpan<double> unit, Span<double> physical)
    {
        CheckLengths(unit.Length, physical.Length);
        for (int i = 0; i < _variables.Length; i++)
        {
            if (double.IsNaN(unit[i]))
            {
                throw new ArgumentException($"Unit coordinate {i} ('{_variables[i].Name}') is NaN.", nameof(unit));
            }

            physical[i] = _variables[i].FromUnit(unit[i]);
        }
    }

    /// <summary>Allocating form of <see cref="ToPhysical(ReadOnlySpan{double}, Span{double})"/>.</summary>
    public double[] ToPhysical(ReadOnlySpan<double> unit)
    {
        var physical = new double[_variables.Length];
        ToPhysical(unit, physical);
        return physical;
    }

    /// <summary>
    /// Maps physical values to unit coordinates (values are clamped to the bounds and integers rounded first). For an
    /// integer variable the result is the centre of its bin, so <c>ToPhysical(ToUnit(x)) == x</c> for in-range x.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong lengths or a NaN value.</exception>
    public void ToUnit(ReadOnlySpan<double> physical, Span<double> unit)
    {
        CheckLengths(physical.Length, unit.Length);
        for (int i = 0; i < _variables.Length; i++)
        {
            if (double.IsNaN(physical[i]))
            {
                throw new ArgumentException($"Physical value {i} ('{_variables[i].Name}') is NaN.", nameof(physical));
            }

            unit[i] = _variables[i].ToUnit(physical[i]);
        }
    }

    /// <summary>Allocating form of <see cref="ToUnit(ReadOnlySpan{double}, Span{double})"/>.</summary>
    public double[] ToUnit(ReadOnlySpan<double> physical)
    {
        var unit = new double[_variables.Length];
        ToUnit(physical, unit);
        return unit;
    }

    /// <inheritdoc/>
    public IEnumerator<DesignVariable> GetEnumerator() => ((IEnumerable<DesignVariable>)_variables).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void CheckLengths(int input, int output)
    {
        if (input != _variables.Length || output != _variables.Length)
        {
            throw new ArgumentException(
                $"Expected vectors of length {_variables.Length} (the design space dimension), got {input} in and {output} out.");
        }
    }
}
