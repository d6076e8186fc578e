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
    // Made on first use: most subcircuit instances define nothing (a 100k-MOSFET NAND array has 25k scopes, all empty).
    private Dictionary<string, (Expression Expression, SourceLocation Location)>? _definitions;
    private Dictionary<string, double>? _values;
    private HashSet<string>? _evaluating;

    /// <summary>The enclosing scope (null at the top level).</summary>
    public ParameterScope? Parent => parent;

    public void Define(string name, Expression expression, SourceLocation location)
    {
        (_definitions ??= new(StringComparer.Ordinal))[name] = (expression, location);
        _values?.Remove(name);
    }

    public void SetValue(string name, double value)
    {
        _definitions?.Remove(name);
        (_values ??= new(StringComparer.Ordinal))[name] = value;
    }

    /// <summary>Forgets every definition and value (the scope is then filled again as the elaboration filled it).</summary>
    public void Clear()
    {
        _definitions?.Clear();
        _values?.Clear();
    }

    public bool IsDefinedHere(string name) => (_definitions?.ContainsKey(name) ?? false) || (_values?.ContainsKey(name) ?? false);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetValue(string name, out double value)
    {
        if (_values is not null && _values.TryGetValue(name, out value))
        {
            return true;
        }

        if (_definitions is not null && _definitions.TryGetValue(name, out var def))
        {
            _evaluating ??= new(StringComparer.Ordinal);
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

            (_values ??= new(StringComparer.Ordinal))[name] = value;
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
