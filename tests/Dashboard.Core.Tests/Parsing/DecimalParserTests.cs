using System.Globalization;
using Dashboard.Core.Parsing;

namespace Dashboard.Core.Tests.Parsing;

public sealed class DecimalParserTests
{
    [Theory]
    [InlineData("2.470")]
    [InlineData("-0.44393")]
    [InlineData("1e-05")]
    [InlineData("5e-06")]
    [InlineData("2.5E+3")]
    [InlineData(".5")]
    [InlineData("-.5")]
    [InlineData("5.")]
    [InlineData("+7")]
    [InlineData("-0.000")]
    [InlineData("143662.89062")]
    [InlineData("0.000000000000000000000000123")]
    [InlineData("12345678901234567890123")]
    [InlineData("1e400")]
    [InlineData("1.7976931348623157e308")]
    [InlineData("4.9e-324")]
    public void Result_is_bit_for_bit_what_double_parse_gives(string text)
    {
        Assert.True(DecimalParser.TryParse(text, out var value));

        Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(value));
    }

    [Fact]
    public void Random_decimals_in_every_printed_form_match_double_parse()
    {
        var random = new Random(42);
        string[] formats = ["F0", "F3", "F5", "F8", "E3", "E10", "R", "G17", "0.###############"];
        for (var i = 0; i < 200_000; i++)
        {
            var number = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-12, 16));
            var text = number.ToString(formats[i % formats.Length], CultureInfo.InvariantCulture);

            Assert.True(DecimalParser.TryParse(text, out var value), text);
            Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture), value);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("-")]
    [InlineData("1.2.3")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("1,000")]
    [InlineData("0x10")]
    [InlineData("1_000")]
    [InlineData("12abc")]
    public void Text_that_is_no_decimal_is_rejected(string text)
    {
        Assert.False(DecimalParser.TryParse(text, out _));
    }
}
