using System.Runtime.CompilerServices;

namespace DnnOpt.Spice.Expressions;

/// <summary>
/// A parsed <c>.param</c>/<c>{expr}</c> expression. Expressions are kept as trees so that a circuit built once can be
/// re-evaluated with new parameter values (new device sizes) without re-reading the netlist text.
/// </summary>
public abstract class Expression
{
    /// <summary>Evaluates the expression.</summary>
    /// <param name="scope">Resolves parameter names (lower-case).</param>
    /// <returns>The value; domain errors give NaN or infinity as IEEE arithmetic does.</returns>
    /// <exception cref="ExpressionException">An unknown parameter or a parameter defined in terms of itself.</exception>
    public abstract double Evaluate(IParameterScope scope);

    /// <summary>True when the expression is a literal number (no parameter dependence).</summary>
    public virtual bool IsConstant => false;

    /// <summary>Adds every parameter name the expression reads to <paramref name="names"/>.</summary>
    /// <param name="names">Destination set.</param>
    public abstract void CollectNames(ISet<string> names);

    /// <summary>A literal number.</summary>
    /// <param name="value">The value.</param>
    /// <returns>A constant expression.</returns>
    public static Expression Constant(double value) => new ConstantExpression(value);
}

/// <summary>Resolves parameter names while an expression is evaluated.</summary>
public interface IParameterScope
{
    /// <summary>Looks a parameter up.</summary>
    /// <param name="name">Lower-case name.</param>
    /// <param name="value">Its value when found.</param>
    /// <returns>True when the name is defined in this scope or an enclosing one.</returns>
    bool TryGetValue(string name, out double value);
}

/// <summary>An expression could not be evaluated (unknown name, recursion); the message names the parameter.</summary>
public sealed class ExpressionException : Exception
{
    /// <summary>Creates the error.</summary>
    public ExpressionException()
    {
    }

    /// <summary>Creates the error.</summary>
    /// <param name="message">What failed.</param>
    public ExpressionException(string message) : base(message)
    {
    }

    /// <summary>Creates the error.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public ExpressionException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

internal sealed class ConstantExpression(double value) : Expression
{
    public double Value { get; } = value;

    public override bool IsConstant => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override double Evaluate(IParameterScope scope) => Value;

    public override void CollectNames(ISet<string> names)
    {
    }
}

internal sealed class ParameterReference(string name) : Expression
{
    public string Name { get; } = name;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override double Evaluate(IParameterScope scope) =>
        scope.TryGetValue(Name, out double v) ? v : throw new ExpressionException($"unknown parameter '{Name}'");

    public override void CollectNames(ISet<string> names) => names.Add(Name);
}

internal enum UnaryOperator
{
    Negate,
    Plus,
    Not,
}

internal sealed class UnaryExpression(UnaryOperator op, Expression operand) : Expression
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override double Evaluate(IParameterScope scope)
    {
        double x = operand.Evaluate(scope);
        return op switch
        {
            UnaryOperator.Negate => -x,
            UnaryOperator.Not => x == 0 ? 1.0 : 0.0,
            _ => x,
        };
    }

    public override void CollectNames(ISet<string> names) => operand.CollectNames(names);
}

internal enum BinaryOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Power,
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    And,
    Or,
}

internal sealed class BinaryExpression(BinaryOperator op, Expression left, Expression right) : Expression
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override double Evaluate(IParameterScope scope)
    {
        // && and || short-circuit so a guarded branch (x > 0 && log(x) < 1) is not evaluated needlessly.
        if (op == BinaryOperator.And)
        {
            return left.Evaluate(scope) != 0 && right.Evaluate(scope) != 0 ? 1.0 : 0.0;
        }

        if (op == BinaryOperator.Or)
        {
            return left.Evaluate(scope) != 0 || right.Evaluate(scope) != 0 ? 1.0 : 0.0;
        }

        double a = left.Evaluate(scope);
        double b = right.Evaluate(scope);
        return op switch
        {
            BinaryOperator.Add => a + b,
            BinaryOperator.Subtract => a - b,
            BinaryOperator.Multiply => a * b,
            BinaryOperator.Divide => a / b,
            BinaryOperator.Power => Math.Pow(a, b),
            BinaryOperator.Equal => a == b ? 1.0 : 0.0,
            BinaryOperator.NotEqual => a != b ? 1.0 : 0.0,
            BinaryOperator.Less => a < b ? 1.0 : 0.0,
            BinaryOperator.LessEqual => a <= b ? 1.0 : 0.0,
            BinaryOperator.Greater => a > b ? 1.0 : 0.0,
            BinaryOperator.GreaterEqual => a >= b ? 1.0 : 0.0,
            _ => throw new InvalidOperationException("unreachable operator"),
        };
    }

    public override void CollectNames(ISet<string> names)
    {
        left.CollectNames(names);
        right.CollectNames(names);
    }
}

internal sealed class ConditionalExpression(Expression condition, Expression whenTrue, Expression whenFalse) : Expression
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override double Evaluate(IParameterScope scope) =>
        condition.Evaluate(scope) != 0 ? whenTrue.Evaluate(scope) : whenFalse.Evaluate(scope);

    public override void CollectNames(ISet<string> names)
    {
        condition.CollectNames(names);
        whenTrue.CollectNames(names);
        whenFalse.CollectNames(names);
    }
}

internal sealed class FunctionCall(string name, Func<double[], double> function, Expression[] arguments) : Expression
{
    public string Name { get; } = name;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override double Evaluate(IParameterScope scope)
    {
        var values = new double[arguments.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            values[i] = arguments[i].Evaluate(scope);
        }

        return function(values);
    }

    public override void CollectNames(ISet<string> names)
    {
        foreach (Expression a in arguments)
        {
            a.CollectNames(names);
        }
    }
}
