using DnnOpt.Spice.Expressions;

namespace DnnOpt.Spice.Tests.Parsing;

public sealed class ExpressionTests
{
    private sealed class Scope(Dictionary<string, double> values) : IParameterScope
    {
        public bool TryGetValue(string name, out double value) => values.TryGetValue(name, out value);
    }

    public static TheoryData<string, double> Cases() => new()
    {
        { "1+2*3", 7 },
        { "(1+2)*3", 9 },
        { "2**3", 8 },
        { "2^3^2", 512 },
        { "-2^2", -4 },
        { "2^-1", 0.5 },
        { "10/4", 2.5 },
        { "1k*2", 2000 },
        { "sqrt(16)+abs(-3)", 7 },
        { "exp(0)+log(1)+log10(100)", 3 },
        { "min(3,4)*max(3,4)", 12 },
        { "pow(2,10)", 1024 },
        { "sin(0)+cos(0)+tan(0)+atan(0)", 1 },
        { "a*b+c", (2 * 3) + 4 },
        { "a > 1 ? 10 : 20", 10 },
        { "a < 1 ? 10 : b == 3 ? 30 : 40", 30 },
        { "a >= 2 && b <= 3", 1 },
        { "a != 2 || !c", 0 },
        { "w.1 * 2", 5 },
        { "pi", Math.PI },
        { "1e-3*1meg", 1000 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluates(string text, double expected)
    {
        var scope = new Scope(new Dictionary<string, double> { ["a"] = 2, ["b"] = 3, ["c"] = 4, ["w.1"] = 2.5 });
        Tolerance.Close(expected, ExpressionParser.Parse(text).Evaluate(scope), 1e-15, 1e-300, text);
    }

    [Theory]
    [InlineData("1+")]
    [InlineData("(1+2")]
    [InlineData("foo(1)")]
    [InlineData("max(1)")]
    [InlineData("1 2")]
    [InlineData("a ? 1")]
    public void Rejects_malformed(string text) => Assert.Throws<ExpressionException>(() => ExpressionParser.Parse(text));

    [Fact]
    public void Unknown_parameter_is_named()
    {
        var e = Assert.Throws<ExpressionException>(() => ExpressionParser.Parse("x+1").Evaluate(new Scope([])));
        Assert.Contains("'x'", e.Message, StringComparison.Ordinal);
    }
}
