namespace Dashboard.Ingestion;

public static class IngestWriterServices
{
    /// <summary>
    /// The single writer into the store (a web instance's watcher, API and jobs; a worker's job results), as the
    /// tailers' <see cref="IBatchSink"/> too. It publishes each commit on the <c>LiveBus</c> the host registers.
    /// </summary>
    public static IServiceCollection AddIngestWriter(this IServiceCollection services)
    {
        services.AddSingleton<BatchCommitter>();
        services.AddSingleton<IngestWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestWriter>());
        services.AddSingleton<IBatchSink>(sp => sp.GetRequiredService<IngestWriter>());
        return services;
    }
}
