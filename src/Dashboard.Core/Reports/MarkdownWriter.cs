using System.Text;

namespace Dashboard.Core.Reports;

/// <summary>
/// The report as Markdown: the same figures as the HTML page, with its charts as SVG images at
/// absolute URLs under the report's own address, so any Markdown viewer shows them.
/// </summary>
public static class MarkdownWriter
{
    /// <param name="reportUrl">The report's absolute address, e.g. https://host/r/TOKEN.</param>
    public static string Write(Report report, string reportUrl)
    {
        reportUrl = Destination(reportUrl);
        var md = new StringBuilder();
        md.Append("# ").AppendLine(Escape(report.Title)).AppendLine();
        md.AppendLine($"Made {report.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC from the stored points and frozen then. " +
            $"[Web page]({reportUrl}) · [JSON summary]({reportUrl}.json) · [CSV of all points]({reportUrl}/points.csv)").AppendLine();

        md.AppendLine("## Conclusions and recommendations").AppendLine();
        if (report.Conclusions.Count == 0)
            md.AppendLine("Nothing stands out: no alert fired and no figure calls for action.");
        foreach (var finding in report.Conclusions)
            md.AppendLine($"- **{Label(finding)}** {Escape(finding.Text)}");
        md.AppendLine();

        if (report.Comparison is { } comparison)
            Comparison(md, report, comparison);
        foreach (var run in report.Runs)
            Run(md, run, report.Runs.Count > 1, reportUrl);

        md.AppendLine("## Charts").AppendLine();
        foreach (var chart in report.Charts)
            md.AppendLine($"![{Escape(chart.Title)}]({reportUrl}/charts/{Uri.EscapeDataString(chart.Id)}.svg)").AppendLine();
        return md.ToString();
    }

    private static void Run(StringBuilder md, RunReport run, bool several, string reportUrl)
    {
        md.AppendLine($"## {(several ? "Run " : "")}{Escape(run.Run.Project)} / {Escape(run.Run.Name)}").AppendLine();
        if (run.Run.Tags is { Count: > 0 } tags)
            md.AppendLine($"Tags: {string.Join(", ", tags.Select(Escape))}").AppendLine();
        if (run.Run.Note is { Length: > 0 } note)
        {
            // Each line of the note quoted, so that a blank line in it cannot end the quote and start raw Markdown.
            foreach (var line in note.Split('\n'))
                md.Append("> ").AppendLine(Escape(line.TrimEnd('\r')));
            md.AppendLine();
        }
        Table(md, ["Status", "Start", "End", "Wall time", "Steps"],
        [[
            run.Run.Status,
            run.Timing is { } t ? Time(t.Start) : "—",
            run.Timing is { } e ? Time(e.End) : "—",
            run.Timing is { } w ? ReportNumber.Duration(w.WallSeconds) : "—",
            run.Run.TotalSteps is { } total ? $"{run.Run.Step ?? 0} / {total}" : $"{run.Run.Step?.ToString() ?? "—"}",
        ]]);
        if (run.Throughput is { } tp)
        {
            md.AppendLine($"Throughput: **{ReportNumber.Format(tp.StepsPerHour)} steps/hour** ({ReportNumber.Format(tp.StepsPerSecond)} steps/s), " +
                $"from {tp.TimedSteps} steps (step {tp.FirstStep} to {tp.LastStep}) in {ReportNumber.Duration(tp.Seconds)}; " +
                $"{tp.LoggedLines} logged points{(tp.LogEvery is { } every ? $", one every {every} steps" : "")}." +
                (tp.SamplesPerSecond is { } sps ? $" With batch size {tp.BatchSize} ({Escape(tp.BatchSizeKey!)}): **{ReportNumber.Format(sps)} samples/s**." : " Batch size not in the configuration: no samples/s."));
            md.AppendLine();
        }

        md.AppendLine("### Metrics").AppendLine();
        Table(md, ["Metric", "Points", "Initial (step)", "Final (step)", "Min (step)", "Max (step)", "Mean", "Median", "Std", "Change"],
            run.Metrics.Select(m => new[]
            {
                m.Key, $"{m.Count}{(m.NonFinite > 0 ? $" ({m.NonFinite} non-finite)" : "")}", At(m.Initial), At(m.Final), At(m.Min), At(m.Max),
                ReportNumber.Format(m.Mean), ReportNumber.Format(m.Median), ReportNumber.Format(m.StdDev), m.Change.Text,
            }));

        if (run.Milestones.Count > 0)
        {
            md.AppendLine("### Milestones").AppendLine();
            var keys = run.Milestones.SelectMany(m => m.Values.Select(v => v.Key)).Distinct().ToList();
            Table(md, ["Milestone", "Step", .. keys],
                run.Milestones.Select(m => new[] { m.Label, m.Step.ToString() }
                    .Concat(keys.Select(k => m.Values.FirstOrDefault(v => v.Key == k) is { } v ? $"{ReportNumber.Format(v.Value)}{(v.Step != m.Step ? $" (step {v.Step})" : "")}" : "—")).ToArray()));
        }

        if (run.Switches.Count > 0 || run.Phases.Count > 0)
        {
            md.AppendLine("### Phases").AppendLine();
            foreach (var s in run.Switches)
                md.AppendLine($"- {Escape(s.Text)}.");
            md.AppendLine();
            foreach (var phase in run.Phases)
            {
                md.AppendLine($"**Steps {phase.FromStep}–{phase.ToStep}** ({Escape(phase.Label)}):").AppendLine();
                foreach (var change in phase.Changes)
                    md.AppendLine($"- {Escape(change.Key)} {Escape(change.Change.Text)}");
                md.AppendLine();
            }
        }

        if (run.LearningRates.Count > 0)
        {
            md.AppendLine("### Learning rate").AppendLine();
            Table(md, ["Key", "Initial", "Minimum (step)", "Maximum (step)", "Final (step)", "Note"],
                run.LearningRates.Select(l => new[] { l.Key, ReportNumber.Format(l.Initial.Value), At(l.Min), At(l.Max), At(l.Final), l.Note ?? "" }));
        }

        md.AppendLine("### Alerts raised").AppendLine();
        if (run.Alerts.Count == 0)
            md.AppendLine("None.").AppendLine();
        else
            Table(md, ["Severity", "Metric", "Steps", "Message", "Advice"],
                run.Alerts.Select(a => new[] { a.Severity.ToString().ToLowerInvariant(), a.Metric, $"{a.FirstStep}–{a.LastStep}", a.Message, a.Advice }));

        md.AppendLine("### Best evaluation and checkpoint").AppendLine();
        md.AppendLine(run.BestEvaluation is { } best
            ? $"- Best {Escape(best.Key)} ({best.Direction} is better): **{ReportNumber.Format(best.Best.Value)}** at step {best.Best.Step}; last {ReportNumber.Format(best.Final.Value)} at step {best.Final.Step}, over {best.Evaluations} evaluations."
            : "- No evaluation metric (val/…, eval/…, test/…) was logged.");
        md.AppendLine(run.Checkpoint is { } checkpoint
            ? $"- Checkpoint to keep: {Escape(checkpoint.Name)} — {Escape(checkpoint.Reason)}."
            : "- No checkpoint was seen.");
        md.AppendLine();

        if (run.Samples is { } samples)
            Samples(md, samples, reportUrl);

        if (run.Config.Count > 0)
        {
            md.AppendLine("### Configuration").AppendLine();
            Table(md, ["Key", "Value"], run.Config.Select(c => new[] { c.Key, c.Value }));
        }
    }

    private static void Samples(StringBuilder md, SampleSection samples, string reportUrl)
    {
        md.AppendLine("### Samples").AppendLine();
        foreach (var set in samples.Sets)
        {
            md.AppendLine($"**{Capitalized(set.Label)}: step {set.Step?.ToString() ?? "unknown"}**, checkpoint {Escape(set.Checkpoint)}, job {set.JobId}").AppendLine();
            // Images on one line render side by side; table cells would escape them (Cell).
            foreach (var sample in set.Samples)
                md.AppendLine($"{Escape(sample.Name)} ({Escape(string.Join(" | ", sample.Images.Select(i => i.Label)))}): " +
                    string.Join(' ', sample.Images.Select(i => $"![{Escape(i.Label)}]({reportUrl}/samples/{Uri.EscapeDataString(i.File)})"))).AppendLine();
        }
        foreach (var note in samples.Notes)
            md.AppendLine($"- {Escape(note)}");
        if (samples.Notes.Count > 0)
            md.AppendLine();
    }

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static void Comparison(StringBuilder md, Report report, ComparisonReport comparison)
    {
        var names = report.Runs.Select(r => r.Run.Name).ToList();
        md.AppendLine("## Side by side").AppendLine();
        Table(md, ["", .. names], [
            ["Status", .. report.Runs.Select(r => r.Run.Status)],
            ["Steps", .. report.Runs.Select(r => r.Run.TotalSteps is { } t ? $"{r.Run.Step ?? 0} / {t}" : r.Run.Step?.ToString() ?? "—")],
            ["Wall time", .. report.Runs.Select(r => r.Timing is { } t ? ReportNumber.Duration(t.WallSeconds) : "—")],
            ["Steps/hour", .. report.Runs.Select(r => ReportNumber.Format(r.Throughput?.StepsPerHour))],
        ]);
        md.AppendLine("### Configuration differences").AppendLine();
        if (comparison.ConfigDifferences.Count == 0)
            md.AppendLine("None: the logged configurations are the same.").AppendLine();
        else
            Table(md, ["Key", .. names], comparison.ConfigDifferences.Select(d => new[] { d.Key }.Concat(d.Values.Select(v => v ?? "(unset)")).ToArray()));
        md.AppendLine("### Metrics").AppendLine();
        Table(md, ["Metric", .. names.Select(n => $"{n}: final (step)"), .. names.Select(n => $"{n}: best (step)")],
            comparison.Metrics.Select(m => new[] { m.Key }
                .Concat(m.Values.Select(v => v is null ? "—" : At(v.Final)))
                .Concat(m.Values.Select(v => v?.Best is { } b ? At(b) : "—")).ToArray()));
    }

    private static void Table(StringBuilder md, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        md.Append('|').AppendJoin('|', header.Select(h => $" {Cell(h)} ")).AppendLine("|");
        md.Append('|').AppendJoin('|', header.Select(_ => "---")).AppendLine("|");
        foreach (var row in rows)
            md.Append('|').AppendJoin('|', row.Select(c => $" {Cell(c)} ")).AppendLine("|");
        md.AppendLine();
    }

    private static string At(ReportPoint? point) => point is null ? "—" : $"{ReportNumber.Format(point.Value)} ({point.Step})";

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Label(Finding finding) => finding.Kind switch
    {
        Finding.Alert => $"Alert ({finding.Severity}):",
        Finding.Recommendation => "Recommendation:",
        _ => finding.Severity is "warning" or "critical" ? $"Note ({finding.Severity}):" : "Note:",
    };

    private static string Cell(string text) => Escape(text).Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>
    /// The report's address as a link destination: only an absolute http(s) URL or a path on this site (a
    /// <c>javascript:</c> or <c>data:</c> link must never come out), with the characters that would end a
    /// Markdown destination percent-encoded.
    /// </summary>
    public static string Destination(string url)
    {
        var safe = Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
            ? absolute.AbsoluteUri.TrimEnd('/')
            : url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "";
        var sb = new StringBuilder(safe.Length);
        foreach (var c in safe)
        {
            if (c is '(' or ')' or '<' or '>' or '"' or '\'' or '\\' or '[' or ']' or '`' || c <= ' ' || c >= '\u007f')
                sb.Append(Uri.EscapeDataString(c.ToString()));
            else
                sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>
    /// User text (run names, keys, config values) as inert Markdown: HTML is encoded and Markdown
    /// punctuation backslash-escaped, so a name cannot inject a link, an image or a tag.
    /// </summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                case '\u2028' or '\u2029': sb.Append(' '); break;
                case var control when char.IsControl(control): sb.Append(' '); break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '(' or ')' or '#' or '!' or '~' or '{' or '}':
                    sb.Append('\\').Append(c);
                    break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }
}
