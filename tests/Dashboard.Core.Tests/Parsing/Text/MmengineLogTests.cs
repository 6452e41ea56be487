using static Dashboard.Core.Tests.Parsing.Text.LogSamples;

namespace Dashboard.Core.Tests.Parsing.Text;

/// <summary>mmengine's LogProcessor (mmseg, mmdet, mmpretrain 1.x) behind its "%Y/%m/%d %H:%M:%S - mmengine - INFO - " prefix.</summary>
public sealed class MmengineLogTests
{
    private const string IterLog = """
        2024/03/01 11:59:58 - mmengine - INFO - Checkpoints will be saved to /work/work_dirs/deeplabv3_r50.
        2024/03/01 12:00:00 - mmengine - INFO - Iter(train) [  50/40000]  base_lr: 1.0000e-02 lr: 1.0000e-02  eta: 1 day, 2:03:04  time: 0.4521  data_time: 0.0123  memory: 5432  loss: 1.2345  decode.loss_ce: 1.0000  decode.acc_seg: 45.6789
        2024/03/01 12:00:23 - mmengine - INFO - Iter(train) [ 100/40000]  base_lr: 9.9776e-03 lr: 9.9776e-03  eta: 1 day, 1:58:40  time: 0.4498  data_time: 0.0120  memory: 5432  loss: 1.1000  decode.loss_ce: 0.9000  decode.acc_seg: 50.1234  aux.loss_ce: 0.2000  aux.acc_seg: 40.0000
        2024/03/01 12:30:00 - mmengine - INFO - Saving checkpoint at 4000 iterations
        2024/03/01 12:30:05 - mmengine - INFO - Iter(val) [ 50/500]    eta: 0:00:40  time: 0.0890  data_time: 0.0020  memory: 1024  
        2024/03/01 12:30:50 - mmengine - INFO - per class results:
        2024/03/01 12:30:50 - mmengine - INFO - 
        +------------+-------+-------+
        |   Class    |  IoU  |  Acc  |
        +------------+-------+-------+
        |    road    | 97.12 | 98.45 |
        |  sidewalk  | 78.34 | 88.21 |
        +------------+-------+-------+
        2024/03/01 12:30:50 - mmengine - INFO - Iter(val) [500/500]    aAcc: 95.2000  mIoU: 76.5000  mAcc: 84.3000  data_time: 0.0021  time: 0.0885
        """;

    [Fact]
    public void Iter_train_line_gives_every_metric_at_its_iteration_and_the_total()
    {
        var records = ParseLog(IterLog);

        Assert.Equal(
            [
                ("base_lr", 50, 1e-2), ("lr", 50, 1e-2), ("time", 50, 0.4521), ("data_time", 50, 0.0123), ("memory", 50, 5432),
                ("loss", 50, 1.2345), ("decode.loss_ce", 50, 1.0), ("decode.acc_seg", 50, 45.6789),
            ],
            Points(records).Where(p => p.Step == 50));
        Assert.Equal(40000, records.TotalSteps);
        Assert.Equal(0.2, ValueOf(records, "aux.loss_ce", 100));
    }

    [Fact]
    public void Eta_of_a_day_or_more_and_the_timestamp_make_no_metric()
    {
        var records = ParseLog(IterLog);

        Assert.DoesNotContain(records.Points, p => p.Key.Contains("eta", StringComparison.OrdinalIgnoreCase) || p.Key.Contains("day", StringComparison.Ordinal));
        Assert.All(records.Points, p => Assert.Matches("^[A-Za-z_./]+$", p.Key));
    }

    [Fact]
    public void Points_are_dated_by_the_slashed_mmengine_timestamp()
    {
        var records = ParseLog(IterLog);

        var at = new DateTimeOffset(new DateTime(2024, 3, 1, 12, 0, 0, DateTimeKind.Local)).ToUnixTimeMilliseconds();
        Assert.All(records.Points.Where(p => p.Step == 50), p => Assert.Equal(at, p.UnixMs));
    }

    [Fact]
    public void Val_loop_lines_count_validation_batches_so_their_values_go_to_the_training_iteration_under_val()
    {
        var records = ParseLog(IterLog);

        Assert.Equal(76.5, ValueOf(records, "val/mIoU", 100));
        Assert.Equal(95.2, ValueOf(records, "val/aAcc", 100));
        Assert.DoesNotContain(records.Points, p => p.Step is 50 or 500 && p.Key.StartsWith("val/", StringComparison.Ordinal));
        Assert.DoesNotContain(records.Points, p => p.Step > 100);
        Assert.Equal(40000, records.TotalSteps);
    }

    [Fact]
    public void Per_class_table_rows_make_no_points()
    {
        var records = ParseLog(IterLog);

        Assert.DoesNotContain(records.Points, p => p.Key.Contains("road", StringComparison.Ordinal) || p.Key.Contains("IoU |", StringComparison.Ordinal));
    }

    private const string EpochLog = """
        2024/03/01 12:00:00 - mmengine - INFO - Epoch(train)  [1][ 50/500]  base_lr: 2.0000e-02 lr: 2.0000e-02  eta: 2:03:04  time: 0.4521  data_time: 0.0123  memory: 5432  grad_norm: 3.1234  loss: 1.2345  loss_rpn_cls: 0.6000  loss_rpn_bbox: 0.1000  loss_cls: 0.4000  acc: 90.1234  loss_bbox: 0.1345
        2024/03/01 12:03:45 - mmengine - INFO - Epoch(train)  [1][500/500]  base_lr: 2.0000e-02 lr: 2.0000e-02  eta: 1:59:00  time: 0.4400  data_time: 0.0100  memory: 5432  grad_norm: 2.9000  loss: 0.9000  loss_rpn_cls: 0.3000  loss_rpn_bbox: 0.0800  loss_cls: 0.3500  acc: 91.0000  loss_bbox: 0.1700
        2024/03/01 12:03:45 - mmengine - INFO - Exp name: faster-rcnn_r50_fpn_1x_coco_20240301_115950
        2024/03/01 12:03:46 - mmengine - INFO - Saving checkpoint at 1 epochs
        2024/03/01 12:04:30 - mmengine - INFO - Epoch(val)  [1][ 50/625]    eta: 0:01:00  time: 0.0800  data_time: 0.0030  memory: 1200  
        2024/03/01 12:05:30 - mmengine - INFO - Epoch(val) [1][625/625]    coco/bbox_mAP: 0.3740  coco/bbox_mAP_50: 0.5810  coco/bbox_mAP_75: 0.4040  coco/bbox_mAP_s: 0.2120  coco/bbox_mAP_m: 0.4100  coco/bbox_mAP_l: 0.4810  data_time: 0.0030  time: 0.0790
        2024/03/01 12:06:00 - mmengine - INFO - Epoch(train) [12][ 50/500]  base_lr: 2.0000e-04 lr: 2.0000e-04  eta: 0:03:30  time: 0.4300  data_time: 0.0100  memory: 5432  grad_norm: 2.1000  loss: 0.5000  loss_rpn_cls: 0.1000  loss_rpn_bbox: 0.0500  loss_cls: 0.2000  acc: 95.0000  loss_bbox: 0.1500
        """;

    [Fact]
    public void Epoch_train_lines_are_placed_at_the_global_iteration()
    {
        var records = ParseLog(EpochLog);

        Assert.Equal(1.2345, ValueOf(records, "loss", 50));
        Assert.Equal(0.9, ValueOf(records, "loss", 500));
        Assert.Equal(0.5, ValueOf(records, "loss", (11 * 500) + 50));
        Assert.Equal(0.374, ValueOf(records, "val/coco/bbox_mAP", 500));
        Assert.DoesNotContain(records.Points, p => p.Step == 625 || p.Step == 1);
        Assert.Null(records.TotalSteps);
    }
}
