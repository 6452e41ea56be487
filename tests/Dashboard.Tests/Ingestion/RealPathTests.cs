using Dashboard.Ingestion;

namespace Dashboard.Tests.Ingestion;

public sealed class RealPathTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dashboard-realpath-").FullName;

    [Fact]
    public void A_linked_folder_anywhere_in_the_path_leads_where_the_link_points()
    {
        var run = Directory.CreateDirectory(Path.Combine(_root, "run")).FullName;
        var elsewhere = Directory.CreateDirectory(Path.Combine(_root, "elsewhere")).FullName;
        File.WriteAllText(Path.Combine(elsewhere, "config.yaml"), "a: 1");
        Directory.CreateSymbolicLink(Path.Combine(run, "configs"), elsewhere);

        Assert.Equal(Path.Combine(elsewhere, "config.yaml"), RealPath.Resolve(Path.Combine(run, "configs", "config.yaml")));
        Assert.Null(RealPath.Within(run, Path.Combine("configs", "config.yaml")));
    }

    [Fact]
    public void Dot_dot_after_a_link_steps_out_of_the_link_target_as_the_kernel_does()
    {
        var run = Directory.CreateDirectory(Path.Combine(_root, "run")).FullName;
        var deep = Directory.CreateDirectory(Path.Combine(_root, "outside", "deep")).FullName;
        File.WriteAllText(Path.Combine(_root, "outside", "x.yaml"), "a: 1");
        Directory.CreateSymbolicLink(Path.Combine(run, "d"), deep);

        // Lexically run/d/../x.yaml is run/x.yaml; the kernel opens outside/x.yaml.
        Assert.Equal(Path.Combine(_root, "outside", "x.yaml"), RealPath.Resolve(Path.Combine(run, "d") + "/../x.yaml"));
    }

    [Fact]
    public void A_relative_link_inside_the_folder_is_accepted_and_a_cycle_is_refused()
    {
        var run = Directory.CreateDirectory(Path.Combine(_root, "run")).FullName;
        Directory.CreateDirectory(Path.Combine(run, "ckpt"));
        File.WriteAllText(Path.Combine(run, "ckpt", "iter_5.pth"), "x");
        File.CreateSymbolicLink(Path.Combine(run, "last.pth"), Path.Combine("ckpt", "iter_5.pth"));
        File.CreateSymbolicLink(Path.Combine(run, "loop1"), "loop2");
        File.CreateSymbolicLink(Path.Combine(run, "loop2"), "loop1");

        Assert.Equal(Path.Combine(run, "ckpt", "iter_5.pth"), RealPath.Within(run, "last.pth"));
        Assert.Equal(Path.Combine(run, "missing", "x.pth"), RealPath.Within(run, Path.Combine("missing", "x.pth")));
        Assert.Null(RealPath.Resolve(Path.Combine(run, "loop1")));
        Assert.Null(RealPath.Within(run, "../run2/x.pth"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
