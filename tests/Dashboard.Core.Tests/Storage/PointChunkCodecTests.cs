using Dashboard.Core.Records;
using Dashboard.Core.Storage;

namespace Dashboard.Core.Tests.Storage;

public sealed class PointChunkCodecTests
{
    private static void AssertRoundTrips(StoredPoint[] points)
    {
        var decoded = PointChunkCodec.Decode(PointChunkCodec.Encode(points));
        Assert.Equal(points.Length, decoded.Length);
        for (var i = 0; i < points.Length; i++)
        {
            Assert.Equal(points[i].Step, decoded[i].Step);
            Assert.Equal(points[i].UnixMs, decoded[i].UnixMs);
            // Bit for bit: -0.0 stays negative, NaN payloads stay as they were.
            Assert.Equal(BitConverter.DoubleToInt64Bits(points[i].Value), BitConverter.DoubleToInt64Bits(decoded[i].Value));
        }
    }

    private static StoredPoint[] Series(int count, Func<int, double> value, Func<int, long>? step = null, Func<int, long>? time = null) =>
        [.. Enumerable.Range(0, count).Select(i => new StoredPoint(step?.Invoke(i) ?? 100L * (i + 1), value(i), time?.Invoke(i) ?? 1_755_000_000_000 + 250L * i))];

    [Fact]
    public void Random_doubles_with_every_special_value_round_trip()
    {
        var random = new Random(3);
        double[] specials = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 0.0, double.Epsilon, -double.Epsilon,
            2.2250738585072009e-308, double.MaxValue, double.MinValue, BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_1234)];
        var points = Series(5000, i => i % 7 == 0 ? specials[i / 7 % specials.Length] : BitConverter.Int64BitsToDouble(random.NextInt64()));

        AssertRoundTrips(points);
    }

    [Fact]
    public void Decimal_looking_values_with_a_few_specials_round_trip_in_a_few_bytes_each()
    {
        var random = new Random(5);
        var points = Series(1024, i => i switch
        {
            100 => double.NaN,
            200 => double.PositiveInfinity,
            300 => double.NegativeInfinity,
            400 => -0.0,
            500 => 1.0 / 3,
            _ => Math.Round(2.5 + random.NextDouble() * 0.1, 3),
        });

        var payload = PointChunkCodec.Encode(points);

        AssertRoundTrips(points);
        Assert.True(payload.Length < 1024 * 3, $"{payload.Length} bytes for 1024 points");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Tiny_series_round_trip(int count) =>
        AssertRoundTrips(Series(count, i => i * 0.5 - 1));

    [Fact]
    public void Irregular_steps_gaps_and_huge_or_negative_values_round_trip()
    {
        var random = new Random(9);
        var step = -5L;
        var steps = new long[2000];
        for (var i = 0; i < steps.Length; i++)
            steps[i] = step += i % 100 == 0 ? 1_000_000_007L : random.Next(1, 50);
        var points = Series(steps.Length, i => i % 3 == 0 ? 1e300 * (i % 2 == 0 ? 1 : -1) : -i * 0.001, i => steps[i], i => i % 10 == 0 ? long.MinValue / 2 + i : random.NextInt64());

        AssertRoundTrips(points);
    }

    [Fact]
    public void Steps_at_the_ends_of_the_long_range_round_trip() =>
        AssertRoundTrips([new(long.MinValue, 1, long.MaxValue), new(0, 2, long.MinValue), new(long.MaxValue, 3, 0)]);

    [Fact]
    public void Constant_interval_and_constant_value_cost_almost_nothing()
    {
        var points = Series(1024, _ => 0.0, time: _ => 1_755_000_000_000);

        Assert.True(PointChunkCodec.Encode(points).Length < 40);
        AssertRoundTrips(points);
    }

    [Fact]
    public void Count_is_read_without_decoding() =>
        Assert.Equal(777, PointChunkCodec.CountOf(PointChunkCodec.Encode(Series(777, i => i))));

    [Fact]
    public void Corrupt_payload_is_reported_not_misread()
    {
        var payload = PointChunkCodec.Encode(Series(100, i => i * 0.1));

        Assert.Throws<InvalidDataException>(() => PointChunkCodec.Decode(payload.AsSpan(0, payload.Length / 2)));
    }
}
