using Dashboard.Core.Jobs;

namespace Dashboard.Core.Tests.Jobs;

public sealed class SampleManifestTests
{
    private static readonly string[] Images = ["0_gt.png", "0_gen.png", "0_diff.png", "1_gen.png"];

    [Fact]
    public void A_manifest_pairs_ground_truth_generated_and_difference()
    {
        var pairs = SampleManifest.Parse("""
            {"samples": [
              {"name": "street", "ground_truth": "0_gt.png", "generated": "0_gen.png", "difference": "0_diff.png"},
              {"generated": "1_gen.png"}
            ]}
            """, Images);

        Assert.Equal([new SamplePair("street", "0_gt.png", "0_gen.png", "0_diff.png"), new SamplePair("1_gen", null, "1_gen.png", null)], pairs);
    }

    [Fact]
    public void Without_a_manifest_every_image_is_a_sample_in_name_order() =>
        Assert.Equal(["0_diff", "0_gen", "0_gt", "1_gen"], SampleManifest.FromImages(Images).Select(s => s.Name));

    [Theory]
    [InlineData("""{"samples": [{"generated": "../../dashboard.db"}]}""", "not a PNG file name")]
    [InlineData("""{"samples": [{"generated": "/etc/passwd.png"}]}""", "not a PNG file name")]
    [InlineData("""{"samples": [{"generated": "sub/0_gen.png"}]}""", "not a PNG file name")]
    [InlineData("""{"samples": [{"generated": "2_gen.png"}]}""", "2_gen.png was not written")]
    [InlineData("""{"samples": [{"ground_truth": "0_gt.png"}]}""", "no \"generated\" image")]
    [InlineData("""{"pairs": []}""", "\"samples\" array")]
    [InlineData("not json", "not JSON")]
    public void Bad_manifests_are_refused(string json, string reason) =>
        Assert.Contains(reason, Assert.Throws<FormatException>(() => SampleManifest.Parse(json, Images)).Message);

    [Theory]
    [InlineData("a.png", true)]
    [InlineData("A.PNG", true)]
    [InlineData("..png", false)]
    [InlineData(".hidden.png", false)]
    [InlineData("a/b.png", false)]
    [InlineData("a\\b.png", false)]
    [InlineData("a.jpg", false)]
    [InlineData(".png", false)]
    public void Only_plain_png_names_are_images(string name, bool safe) => Assert.Equal(safe, SampleManifest.IsSafeImageName(name));
}
