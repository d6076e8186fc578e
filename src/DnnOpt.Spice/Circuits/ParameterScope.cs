using System.Runtime.CompilerServices;
using DnnOpt.Spice.Expressions;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Circuits;

/// <summary>
/// One level of parameter definitions (the top level or one subcircuit instance) with lazy, memoised evaluation:
/// definitions may refer to each other in any order; a definition that depends on itself is an error naming it.
/// </summary>
internal sealed class ParameterScope(ParameterScope? parent) : IParameterScope
{
    private readonly Dictionary<string, (Expression Expression, SourceLocation Location)> _definitions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _evaluating = new(StringComparer.Ordinal);

    /// <summary>The enclosing scope (null at the top level).</summary>
    public ParameterScope? Parent => parent;

    public void Define(string name, Expression expression, SourceLocation location)
    {
        _definitions[name] = (expression, location);
        _values.Remove(name);
    }

    public void SetValue(string name, double value)
    {
        _definitions.Remove(name);
        _values[name] = value;
    }

    /// <summary>Forgets every definition and value (the scope is then filled again as the elaboration filled it).</summary>
    public void Clear()
    {
        _definitions.Clear();
        _values.Clear();
    }

    public bool IsDefinedHere(string name) => _definitions.ContainsKey(name) || _values.ContainsKey(name);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetValue(string name, out double value)
    {
        if (_values.TryGetValue(name, out value))
        {
            return true;
        }

        if (_definitions.TryGetValue(name, out var def))
        {
            if (!_evaluating.Add(name))
            {
                throw new SpiceParseException(def.Location, $"parameter '{name}' is defined in terms of itself");
            }

            try
            {
                value = Evaluate(def.Expression, this, def.Location);
            }
            finally
            {
                _evaluating.Remove(name);
            }

            _values[name] = value;
            return true;
        }

        if (parent is not null)
        {
            return parent.TryGetValue(name, out value);
        }

        value = 0;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Evaluate(Expression e, IParameterScope scope, SourceLocation location)
    {
        try
        {
            return e.Evaluate(scope);
        }
        catch (ExpressionException ex)
        {
            throw new SpiceParseException(location, ex.Message);
        }
    }
}
