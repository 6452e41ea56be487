using static Dashboard.Core.Tests.Parsing.Text.LogSamples;

namespace Dashboard.Core.Tests.Parsing.Text;

/// <summary>Detectron2's CommonMetricPrinter behind its "[%m/%d %H:%M:%S name]: " prefix, and its evaluation printout.</summary>
public sealed class Detectron2LogTests
{
    private const string Log = """
        [03/01 11:59:50 d2.engine.train_loop]: Starting training from iteration 0
        [03/01 12:00:00 d2.utils.events]:  eta: 1:23:45  iter: 19  total_loss: 2.345  loss_cls: 1.234  time: 0.5000  data_time: 0.0100  lr: 0.00039960  max_mem: 5432M
        [03/01 12:00:10 d2.utils.events]:  eta: 1 day, 0:12:01  iter: 39  total_loss: 2.101  loss_cls: 1.012  loss_box_reg: 0.5678  loss_rpn_cls: 0.3456  loss_rpn_loc: 0.1234  time: 0.4990  last_time: 0.4900  data_time: 0.0098  last_data_time: 0.0090   lr: 0.00079920  max_mem: 5440M
        [03/01 13:00:00 d2.evaluation.evaluator]: Start inference on 500 batches
        [03/01 13:00:30 d2.evaluation.coco_evaluation]: Evaluation results for bbox: 
        |   AP   |  AP50  |  AP75  |  APs   |  APm   |  APl   |
        |:------:|:------:|:------:|:------:|:------:|:------:|
        | 37.512 | 58.123 | 40.456 | 21.234 | 41.012 | 48.345 |
        [03/01 13:00:30 d2.evaluation.testing]: copypaste: Task: bbox
        [03/01 13:00:30 d2.evaluation.testing]: copypaste: AP,AP50,AP75,APs,APm,APl
        [03/01 13:00:30 d2.evaluation.testing]: copypaste: 37.5123,58.1234,40.4567,21.2345,41.0123,48.3456
        """;

    [Fact]
    public void Metric_printer_line_gives_its_metrics_at_its_iteration()
    {
        var records = ParseLog(Log);

        Assert.Equal(
            [("total_loss", 19, 2.345), ("loss_cls", 19, 1.234), ("time", 19, 0.5), ("data_time", 19, 0.01), ("lr", 19, 0.0003996), ("max_mem", 19, 5432)],
            Points(records).Where(p => p.Step == 19));
        Assert.Equal(0.5678, ValueOf(records, "loss_box_reg", 39));
        Assert.Equal(0.49, ValueOf(records, "last_time", 39));
        Assert.Equal(5440, ValueOf(records, "max_mem", 39));
    }

    [Fact]
    public void Points_are_dated_by_the_yearless_prefix_in_the_year_of_now()
    {
        var records = ParseLog(Log);

        var at = new DateTimeOffset(new DateTime(2025, 3, 1, 12, 0, 0, DateTimeKind.Local)).ToUnixTimeMilliseconds();
        Assert.All(records.Points.Where(p => p.Step == 19), p => Assert.Equal(at, p.UnixMs));
    }

    [Fact]
    public void A_prefix_later_in_the_year_than_now_is_from_the_year_before()
    {
        var records = ParseLog("[12/31 23:59:00 d2.utils.events]:  iter: 19  total_loss: 2.345");

        var at = new DateTimeOffset(new DateTime(2024, 12, 31, 23, 59, 0, DateTimeKind.Local)).ToUnixTimeMilliseconds();
        Assert.Equal(at, Assert.Single(records.Points).UnixMs);
    }

    [Fact]
    public void Prefix_eta_and_evaluation_printout_make_no_junk_points()
    {
        var records = ParseLog(Log);

        Assert.Equal(6 + 11, records.Points.Count);
        Assert.All(records.Points, p => Assert.Matches("^[a-z_]+$", p.Key));
        Assert.All(records.Points, p => Assert.True(p.Step is 19 or 39));
    }
}
