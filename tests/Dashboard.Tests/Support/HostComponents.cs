using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MudBlazor.Services;

namespace Dashboard.Tests.Support;

/// <summary>
/// A bUnit context whose services not set here come from a real <see cref="TestHost"/> (its store, queue, feeds),
/// rendering as an interactive circuit does: for pages whose services need the whole host. Dispose it before the host.
/// </summary>
public static class HostComponents
{
    public static BunitContext Context(TestHost host)
    {
        var context = new BunitContext().AsCircuit();
        context.Services.AddFallbackServiceProvider(host.Services);
        // MudBlazor's tooltips and dialogs render through these, as ShellLayout provides them on the pages.
        context.Render<MudPopoverProvider>();
        return context;
    }

    /// <summary>MudBlazor's services, JS calls answered loosely, and the renderer of an interactive server circuit (buttons work only there).</summary>
    public static BunitContext AsCircuit(this BunitContext context)
    {
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return context;
    }
}
