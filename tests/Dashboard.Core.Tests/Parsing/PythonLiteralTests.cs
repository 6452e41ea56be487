using Dashboard.Core.Parsing;

using static Dashboard.Core.Tests.Parsing.ParserHarness;

namespace Dashboard.Core.Tests.Parsing;

public sealed class PythonLiteralTests
{
    [Fact]
    public void Trainer_config_line_becomes_nested_json()
    {
        Assert.True(PythonLiteral.TryParseDict(TrainerConfig, out var config));

        var model = config["model"]!;
        Assert.Equal(3, model["embed_dim"]!.GetValue<long>());
        Assert.True(model["ddconfig"]!["double_z"]!.GetValue<bool>());
        Assert.Equal("[320,320]", model["ddconfig"]!["resolution"]!.ToJsonString());
        Assert.Equal("[1,2,4]", model["ddconfig"]!["ch_mult"]!.ToJsonString());
        Assert.Empty(model["ddconfig"]!["attn_resolutions"]!.AsArray());
        Assert.Equal(1e-06, model["lossconfig"]!["kl_weight"]!.GetValue<double>());
        var trainer = config["trainer"]!.AsObject();
        Assert.Equal(150000, trainer["train_num_steps"]!.GetValue<long>());
        Assert.Equal(5e-07, trainer["min_lr"]!.GetValue<double>());
        Assert.False(trainer["amp"]!.GetValue<bool>());
        Assert.Equal("/home/x/radiodiff_Vae", trainer["results_folder"]!.GetValue<string>());
        Assert.True(trainer.ContainsKey("ckpt_path"));
        Assert.Null(trainer["ckpt_path"]);
        Assert.Contains("\"ch_mult\":[1,2,4]", config.ToJsonString());
    }

    [Fact]
    public void Keys_of_any_type_become_strings_and_a_repeated_key_keeps_its_last_value()
    {
        var dict = PythonLiteral.Parse("{1: 'a', True: 'b', None: 'c', \"d\": 1, (1, 2): 3, 'd': 2}")!.AsObject();

        Assert.Equal(["1", "True", "None", "d", "(1, 2)"], dict.Select(p => p.Key));
        Assert.Equal(2, dict["d"]!.GetValue<long>());
    }

    [Fact]
    public void Strings_keep_their_escapes_meaning()
    {
        var list = PythonLiteral.Parse(@"['it\'s', ""say \""hi\"""", 'a\nb\t\\', '\x41\u00e9\U0001F600', b'raw', r'c:\new', 'bad \q']")!.AsArray();

        Assert.Equal(["it's", "say \"hi\"", "a\nb\t\\", "Aé😀", "raw", @"c:\new", @"bad \q"], list.Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public void Numbers_in_python_forms_become_json_numbers()
    {
        var list = PythonLiteral.Parse("[7, -3, 1e-05, -3.5, 2.5e+10, 123456789012345678901234]")!.AsArray();

        Assert.Equal(7, list[0]!.GetValue<long>());
        Assert.Equal(-3, list[1]!.GetValue<long>());
        Assert.Equal(1e-05, list[2]!.GetValue<double>());
        Assert.Equal(-3.5, list[3]!.GetValue<double>());
        Assert.Equal(2.5e10, list[4]!.GetValue<double>());
        Assert.Equal(1.2345678901234568e23, list[5]!.GetValue<double>());
    }

    [Fact]
    public void Nan_and_infinities_become_the_json_strings_the_api_uses()
    {
        var list = PythonLiteral.Parse("[nan, inf, -inf, 1e999]")!.AsArray();

        Assert.Equal(["NaN", "Infinity", "-Infinity", "Infinity"], list.Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public void Reprs_that_are_not_literals_are_kept_as_their_source_text()
    {
        var dict = PythonLiteral.Parse(
            "{'p': PosixPath('/x, y'), 'o': <object at 0x7f3a>, 'f': <function <lambda> at 0x1>, 'd': device(type='cuda', index=0), 'dt': torch.float32}")!.AsObject();

        Assert.Equal("PosixPath('/x, y')", dict["p"]!.GetValue<string>());
        Assert.Equal("<object at 0x7f3a>", dict["o"]!.GetValue<string>());
        Assert.Equal("<function <lambda> at 0x1>", dict["f"]!.GetValue<string>());
        Assert.Equal("device(type='cuda', index=0)", dict["d"]!.GetValue<string>());
        Assert.Equal("torch.float32", dict["dt"]!.GetValue<string>());
    }

    [Fact]
    public void Tuples_and_sets_become_arrays_and_none_becomes_null()
    {
        Assert.Equal("[1]", PythonLiteral.Parse("(1,)")!.ToJsonString());
        Assert.Equal("[]", PythonLiteral.Parse("()")!.ToJsonString());
        Assert.Equal("[1,2]", PythonLiteral.Parse("{1, 2}")!.ToJsonString());
        Assert.Equal("{}", PythonLiteral.Parse(" {} ")!.ToJsonString());
        Assert.Null(PythonLiteral.Parse("None"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("}")]
    [InlineData("{'a': }")]
    [InlineData("{'a' 1}")]
    [InlineData("{'a': 1}}")]
    [InlineData("{'a': [1, 2}")]
    [InlineData("{'a': 'unterminated}")]
    [InlineData("{'a': 1,, 'b': 2}")]
    [InlineData("{'a': 1} trailing")]
    [InlineData("{'a': <object at 0x1}")]
    [InlineData("[1, 2]")]
    [InlineData("'just a string'")]
    public void Garbage_or_a_non_dict_is_no_dict_and_does_not_throw(string text)
    {
        Assert.False(PythonLiteral.TryParseDict(text, out var obj));
        Assert.Null(obj);
    }

    [Fact]
    public void Parse_of_garbage_throws_format_exception()
    {
        Assert.Throws<FormatException>(() => PythonLiteral.Parse("{'a': [1, 2}"));
    }

    [Fact]
    public void Nesting_is_bounded_so_what_parses_also_serializes()
    {
        var deepest = new string('[', 64) + new string(']', 64);
        var tooDeep = new string('[', 65) + new string(']', 65);
        var hostile = "{'a': " + new string('[', 1_000_000);

        Assert.Equal(deepest, PythonLiteral.Parse(deepest)!.ToJsonString());
        Assert.Throws<FormatException>(() => PythonLiteral.Parse(tooDeep));
        Assert.False(PythonLiteral.TryParseDict(hostile, out _));
        Assert.False(PythonLiteral.TryParseDict(null, out _));
    }

    [Fact]
    public void Escaped_lone_surrogate_becomes_a_replacement_character()
    {
        var node = PythonLiteral.Parse(@"{'s': '\ud800'}")!;

        Assert.Equal("\uFFFD", node["s"]!.GetValue<string>());
        Assert.NotEmpty(node.ToJsonString());
    }
}
