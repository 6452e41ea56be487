using System.Text.Json;
using Dashboard.Api;
using Dashboard.Core.Reports;

namespace Dashboard.Reports;

/// <summary>The frozen form of a report: the API's wire format (camelCase, lowercase enums, NaN as strings).</summary>
public static class ReportJson
{
    public static JsonSerializerOptions Options => WireFormat.Options;

    public static string Serialize(Report report) => JsonSerializer.Serialize(report, Options);

    public static Report Deserialize(string json) =>
        JsonSerializer.Deserialize<Report>(json, Options) ?? throw new JsonException("A stored report is empty.");
}
