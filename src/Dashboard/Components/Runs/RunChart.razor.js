// Why JS: whether an element is on screen is known only to the browser (IntersectionObserver has no C# API).
// A chart told it is out of view takes no live redraws until it comes back (RunChart.OnVisibleAsync).
export function observe(element, chart) {
    // A pixel on screen counts: a chart scrolled to is read again at once (the pages bench times it).
    const observer = new IntersectionObserver(
        entries => chart.invokeMethodAsync("OnVisibleAsync", entries[entries.length - 1].isIntersecting));
    observer.observe(element);
    return { disconnect: () => observer.disconnect() };
}
