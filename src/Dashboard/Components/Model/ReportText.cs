using System.Globalization;
using Dashboard.Core.Reports;

namespace Dashboard.Components.Model;

/// <summary>How the report page writes its figures: the same rules as the Markdown rendering.</summary>
public static class ReportText
{
    public static string At(ReportPoint? point) => point is null ? "—" : $"{ReportNumber.Format(point.Value)} (step {point.Step})";

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Steps(RunFacts run) => run.TotalSteps is { } total ? $"{run.Step ?? 0} / {total}" : run.Step?.ToString(CultureInfo.InvariantCulture) ?? "—";

    public static string FindingLabel(Finding finding) => finding.Kind switch
    {
        Finding.Alert => "Alert",
        Finding.Recommendation => "Recommendation",
        _ => "Note",
    };

    public static string SeverityClass(string severity) => severity switch
    {
        "critical" => "report-finding-critical",
        "warning" => "report-finding-warning",
        _ => "report-finding-info",
    };
}
