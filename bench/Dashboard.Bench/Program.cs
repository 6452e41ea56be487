using Dashboard.Bench;

var command = args.FirstOrDefault() ?? "latency";
switch (command)
{
    case "latency":
        return await LatencyBenchmark.RunAsync(args.Skip(1).ToArray());
    case "ingest":
        return await IngestBenchmark.RunAsync(args.Skip(1).ToArray());
    case "store":
        return await StoreBenchmark.RunAsync(args.Skip(1).ToArray());
    case "report":
        return await ReportBenchmark.RunAsync(args.Skip(1).ToArray());
    default:
        Console.Error.WriteLine($"Unknown benchmark '{command}'. Use: latency [--lines N] | ingest [--lines N] [--repeat N] | report [--lines N] | store --store CONNECTION [--lines N]");
        return 2;
}
