using System.Text;
using Dashboard.Core.Parsing;

namespace Dashboard.Core.Tests.Parsing;

public sealed class LineSplitterTests
{
    [Fact]
    public void Complete_lines_are_returned_without_their_newline_and_all_bytes_are_consumed()
    {
        var bytes = "Iter 100/50000 | Loss_CE: 2.470\n\nIter 200/50000 | Loss_CE: 2.100\n"u8;
        var lines = new List<string>();

        var consumed = LineSplitter.Split(bytes, lines);

        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(["Iter 100/50000 | Loss_CE: 2.470", "", "Iter 200/50000 | Loss_CE: 2.100"], lines);
    }

    [Fact]
    public void Partial_last_line_is_left_unconsumed_and_read_once_its_newline_arrives()
    {
        var first = "step 1 loss=0.5\nstep 2 lo"u8.ToArray();
        var lines = new List<string>();

        var consumed = LineSplitter.Split(first, lines);

        Assert.Equal("step 1 loss=0.5\n".Length, consumed);
        Assert.Equal(["step 1 loss=0.5"], lines);

        byte[] kept = [.. first[consumed..], .. "ss=0.4\n"u8];
        lines.Clear();
        Assert.Equal(kept.Length, LineSplitter.Split(kept, lines));
        Assert.Equal(["step 2 loss=0.4"], lines);
    }

    [Fact]
    public void Buffer_without_any_newline_consumes_nothing()
    {
        var lines = new List<string>();

        Assert.Equal(0, LineSplitter.Split("no newline yet"u8, lines));
        Assert.Equal(0, LineSplitter.Split([], lines));
        Assert.Empty(lines);
    }

    [Fact]
    public void Crlf_line_endings_are_removed()
    {
        var lines = new List<string>();

        LineSplitter.Split("a: 1\r\nb: 2\r\n\r\n"u8, lines);

        Assert.Equal(["a: 1", "b: 2", ""], lines);
    }

    [Fact]
    public void Invalid_utf8_becomes_replacement_characters_without_throwing()
    {
        byte[] bytes = [(byte)'a', 0xFF, 0xC3, (byte)'b', 0xE2, 0x9C, (byte)'\n'];
        var lines = new List<string>();

        LineSplitter.Split(bytes, lines);

        Assert.Equal("a\uFFFD\uFFFDb\uFFFD", Assert.Single(lines));
    }

    [Fact]
    public void Multibyte_character_cut_by_the_chunk_end_is_decoded_whole_once_completed()
    {
        var bytes = Encoding.UTF8.GetBytes("✓ New best\n");
        var lines = new List<string>();

        Assert.Equal(0, LineSplitter.Split(bytes.AsSpan(0, 2), lines));
        Assert.Equal(bytes.Length, LineSplitter.Split(bytes, lines));
        Assert.Equal("✓ New best", Assert.Single(lines));
    }

    [Fact]
    public void Nul_bytes_inside_a_line_are_removed()
    {
        var lines = new List<string>();

        LineSplitter.Split("\0\0step 1\0 loss=0.5\n\0\0\0\n"u8, lines);

        Assert.Equal(["step 1 loss=0.5", ""], lines);
    }
}
