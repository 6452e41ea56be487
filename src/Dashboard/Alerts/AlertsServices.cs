using Dashboard.Configuration;
using Dashboard.Core.Rules;
using Microsoft.Extensions.Options;

namespace Dashboard.Alerts;

public static class AlertsServices
{
    /// <summary>The rules, the engine that runs them after each commit, the alerts table and the webhooks.</summary>
    public static IServiceCollection AddAlerts(this IServiceCollection services)
    {
        services.AddSingleton(sp => new RuleSet(sp.GetRequiredService<IOptions<DashboardOptions>>().Value.Rules));
        services.AddSingleton<RuleReplay>();
        services.AddSingleton<AlertStore>();
        services.AddSingleton<AlertWriter>();
        services.AddSingleton<AlertAcknowledgement>();
        services.AddHttpClient(nameof(AlertNotifier), client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<AlertNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertNotifier>());
        services.AddSingleton<AlertsEngine>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertsEngine>());
        return services;
    }
}
