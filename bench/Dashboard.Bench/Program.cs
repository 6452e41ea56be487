using Dashboard.Bench;

var command = args.FirstOrDefault() ?? "latency";
switch (command)
{
    case "latency":
        return await LatencyBenchmark.RunAsync(args.Skip(1).ToArray());
    case "ingest":
        return await IngestBenchmark.RunAsync(args.Skip(1).ToArray());
    case "team":
        return await TeamBenchmark.RunAsync(args.Skip(1).ToArray());
    case "store":
        return await StoreBenchmark.RunAsync(args.Skip(1).ToArray());
    case "report":
        return await ReportBenchmark.RunAsync(args.Skip(1).ToArray());
    case "pages":
        return await PagesBenchmark.RunAsync(args.Skip(1).ToArray());
    case "runs":
        return await RunListBenchmark.RunAsync(args.Skip(1).ToArray());
    case "zoom":
        return await ZoomBenchmark.RunAsync(args.Skip(1).ToArray());
    case "agent":
        return await AgentBenchmark.RunAsync(args.Skip(1).ToArray());
    case "compare":
        return await CompareBenchmark.RunAsync(args.Skip(1).ToArray());
    default:
        Console.Error.WriteLine($"Unknown benchmark '{command}'. Use: latency [--lines N] | ingest [--lines N] [--repeat N] [--unhealthy] | team [--runs N] [--burst] [--rate LINES_PER_S] [--clients M] [--seconds S] [--repeat N] [--p50-target MS] [--p99-target MS] | report [--lines N] | runs [--runs N] | zoom [--lines N] [--zooms N] | compare [--runs N] [--visits N] | pages [--pages N] [--runs N] [--rate LINES_PER_S] [--samples N] [--minutes M] [--lines N] [--navigations N] [--profile FILE] [--trace FILE] | store --store CONNECTION [--lines N] | agent [--lines N] [--latency-lines N] [--store CONNECTION [--redis HOST:PORT]]");
        return 2;
}
