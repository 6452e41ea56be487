namespace Dashboard.Reports;

public static class ReportsServices
{
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddOptions<ReportsOptions>().BindConfiguration("Reports")
            .Validate(o => o.AutomaticDelayMs >= 0, "Reports:AutomaticDelayMs must be 0 or more.")
            .Validate(o => o.MaxSampleBytes >= 0, "Reports:MaxSampleBytes must be 0 or more.")
            .ValidateOnStart();
        services.AddSingleton<RunSnapshotter>();
        services.AddSingleton<ReportService>();
        services.AddHostedService<AutoReporter>();
        return services;
    }
}
