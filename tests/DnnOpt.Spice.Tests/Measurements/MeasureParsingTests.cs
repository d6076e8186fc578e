using DnnOpt.Spice.Measurements;
using DnnOpt.Spice.Parsing;

namespace DnnOpt.Spice.Tests.Measurements;

public sealed class MeasureParsingTests
{
    private static readonly SourceLocation Here = new("deck.cir", 12);

    [Theory]
    [InlineData("find v(out) at=1u", MeasureFunction.FindAt)]
    [InlineData("FIND V(OUT) AT=1U", MeasureFunction.FindAt)]
    [InlineData("find vdb(out) when vp(out)=-3.14", MeasureFunction.FindWhen)]
    [InlineData("when v(out)=0.9 fall=last td=10n", MeasureFunction.When)]
    [InlineData("when v(a)=v(b)", MeasureFunction.When)]
    [InlineData("trig v(in) val=0.9 rise=1 targ v(out) val=0.9 fall=1", MeasureFunction.TrigTarg)]
    [InlineData("trig at=1u targ v(out) val=0.9 fall=1", MeasureFunction.TrigTarg)]
    [InlineData("min v(out)", MeasureFunction.Min)]
    [InlineData("max_at v(out) from=1u to=2u", MeasureFunction.MaxAt)]
    [InlineData("min_at v(out)", MeasureFunction.MinAt)]
    [InlineData("avg i(vdd) from=0 to=1u", MeasureFunction.Average)]
    [InlineData("pp v(out)", MeasureFunction.PeakToPeak)]
    [InlineData("rms v(out)", MeasureFunction.Rms)]
    [InlineData("integ i(vdd)", MeasureFunction.Integral)]
    [InlineData("integral i(vdd)", MeasureFunction.Integral)]
    [InlineData("deriv v(out) at=1u", MeasureFunction.DerivativeAt)]
    [InlineData("derivative v(out) when v(out)=0.5", MeasureFunction.DerivativeWhen)]
    [InlineData("param='a*2'", MeasureFunction.Param)]
    [InlineData("param = {a*2}", MeasureFunction.Param)]
    [InlineData("find onoise_spectrum at=1k", MeasureFunction.FindAt)]
    [InlineData("find @m1[gm] at=0.9", MeasureFunction.FindAt)]
    public void Ngspice_forms_parse(string text, MeasureFunction function)
    {
        MeasureDefinition d = MeasureDefinition.Parse("tran", "Res", text, Here);
        Assert.Equal(function, d.Function);
        Assert.Equal("res", d.Name);
        Assert.Equal(Here, d.Location);
    }

    [Fact]
    public void Vector_expressions_resolve_to_vectors_and_parts()
    {
        VectorExpression e = MeasureDefinition.Parse("ac", "g", "find vdb(out,x1.n2) at=1k", Here).Vector!;
        Assert.Equal("v(out)", e.Positive);
        Assert.Equal("v(x1.n2)", e.Negative);
        Assert.Equal(ComplexPart.Decibel, e.Part);
        e = MeasureDefinition.Parse("ac", "g", "find ph(i(vdd)) at=1k", Here).Vector!;
        Assert.Equal("i(vdd)", e.Positive);
        Assert.Null(e.Negative);
        Assert.Equal(ComplexPart.Phase, e.Part);
        e = MeasureDefinition.Parse("ac", "g", "find v(gnd,out) at=1k", Here).Vector!;
        Assert.Null(e.Positive);
        Assert.Equal("v(out)", e.Negative);
    }

    [Theory]
    [InlineData("", "expected a measure function")]
    [InlineData("foo v(out)", "unknown measure function 'foo'")]
    [InlineData("find v(out)", "needs 'at=' or a 'when' clause")]
    [InlineData("find v(out) at=1u when v(a)=1", "either 'at=' or a 'when' clause")]
    [InlineData("find at=1u", "expects a vector")]
    [InlineData("when v(out)", "when expects 'vector=value'")]
    [InlineData("when", "when expects 'vector=value'")]
    [InlineData("when v(out)=1 val=2", "'val=' is not used with 'when'")]
    [InlineData("when v(out)=1 rise=0", "the count must be 1 or more")]
    [InlineData("when v(out)=1 cross=two", "cross= expects a number or 'last'")]
    [InlineData("when v(out)=1 bogus=1", "no such parameter as 'bogus'")]
    [InlineData("when v(out)=1 rise", "expected 'name=value', found 'rise'")]
    [InlineData("trig v(a) val=1 rise=1", "trig needs a 'targ' clause")]
    [InlineData("trig v(a) val=1 targ v(b) val=1 rise=1", "trig v(a): at, rise, fall or cross must be given")]
    [InlineData("trig v(a) rise=1 targ v(b) val=1 rise=1", "trig v(a) needs 'val='")]
    [InlineData("trig at=1u targ at=2u", "'targ at=' is not supported")]
    [InlineData("trig at=1u targ v(b) val=1", "targ v(b): at, rise, fall or cross must be given")]
    [InlineData("avg", "avg expects a vector")]
    [InlineData("avg from=1", "avg expects a vector")]
    [InlineData("find vq(out) at=1", "unknown function 'vq'")]
    [InlineData("find v(a,b,c) at=1", "one or two nodes")]
    [InlineData("find i(a,b) at=1", "i() takes one device name")]
    [InlineData("find db(vdb(out)) at=1", "already selects a part")]
    [InlineData("find v(out at=1", "unterminated parenthesis")]
    [InlineData("find v(out)) at=1", "unbalanced ')'")]
    [InlineData("find v(out) at='1+", "unterminated quote")]
    [InlineData("find v(out) at=1+", "at=1+")]
    [InlineData("param='a*2' extra", "unexpected 'extra'")]
    [InlineData("param=", "param= has no value")]
    [InlineData("find v(out) at=", "at= has no value")]
    public void Bad_statements_name_file_line_and_problem(string text, string message)
    {
        SpiceParseException e = Assert.Throws<SpiceParseException>(() => MeasureDefinition.Parse("tran", "m1", text, Here));
        Assert.StartsWith("deck.cir:12: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Netlist_measures_are_parsed_by_the_circuit_with_their_lines()
    {
        const string deck = "t\nv1 1 0 1\nr1 1 0 1k\n.dc v1 0 1 0.1\n.meas dc ok find v(1) at=0.5\n.meas dc bad find v(1)\n.end\n";
        Circuits.Circuit c = Circuits.Circuit.Parse(deck, "x.cir");
        SpiceParseException e = Assert.Throws<SpiceParseException>(() => c.Measures);
        Assert.StartsWith("x.cir:6: .measure bad:", e.Message, StringComparison.Ordinal);
    }
}
