using static Dashboard.Core.Tests.Parsing.Text.LogSamples;

namespace Dashboard.Core.Tests.Parsing.Text;

/// <summary>YOLOv5 and Ultralytics print a header every epoch, then the epoch's row as the description of its tqdm bar.</summary>
public sealed class YoloLogTests
{
    private static readonly string Yolov5 = string.Concat(
        "\n      Epoch    GPU_mem   box_loss   obj_loss   cls_loss  Instances       Size\n",
        "  0%|          | 0/118 [00:00<?, ?it/s]\r      0/299      3.35G    0.04512    0.06820    0.02013        150        640:   1%|          | 1/118 [00:02<04:10,  2.14s/it]",
        "\r      0/299      3.35G    0.04231    0.06318    0.01813        128        640: 100%|██████████| 118/118 [00:40<00:00,  2.93it/s]\n",
        "                 Class     Images  Instances          P          R      mAP50   mAP50-95:   0%|          | 0/4 [00:00<?, ?it/s]",
        "\r                 Class     Images  Instances          P          R      mAP50   mAP50-95: 100%|██████████| 4/4 [00:01<00:00,  2.36it/s]\n",
        "                   all        128        929      0.684      0.613      0.684      0.451\n",
        "\n      Epoch    GPU_mem   box_loss   obj_loss   cls_loss  Instances       Size\n",
        "\r      1/299      3.38G    0.04101    0.06200    0.01700        141        640: 100%|██████████| 118/118 [00:39<00:00,  2.99it/s]\n");

    [Fact]
    public void Yolov5_epoch_rows_give_their_losses_and_memory_at_the_epoch()
    {
        var records = ParseLog(Yolov5);

        Assert.Equal(
            [("GPU_mem", 0, 3.35), ("box_loss", 0, 0.04231), ("obj_loss", 0, 0.06318), ("cls_loss", 0, 0.01813)],
            Points(records).Where(p => p.Step == 0 && !p.Key.StartsWith("val/", StringComparison.Ordinal)));
        Assert.Equal(0.04101, ValueOf(records, "box_loss", 1));
        Assert.Equal(299, records.TotalSteps);
    }

    [Fact]
    public void Validation_all_row_goes_to_the_epoch_under_val_and_counts_are_no_metrics()
    {
        var records = ParseLog(Yolov5);

        Assert.Equal(
            [("val/P", 0, 0.684), ("val/R", 0, 0.613), ("val/mAP50", 0, 0.684), ("val/mAP50-95", 0, 0.451)],
            Points(records).Where(p => p.Key.StartsWith("val/", StringComparison.Ordinal)));
        Assert.DoesNotContain(records.Points, p => p.Key is "Instances" or "Size" or "Images" or "val/Images" or "val/Instances");
    }

    [Fact]
    public void Ultralytics_rows_and_its_box_columns_are_read_the_same_way()
    {
        var log = string.Concat(
            "\n      Epoch    GPU_mem   box_loss   cls_loss   dfl_loss  Instances       Size\n",
            "\r      1/100      2.61G      1.234      2.345      1.123         45        640: 100%|██████████| 8/8 [00:03<00:00,  2.41it/s]\n",
            "\r                 Class     Images  Instances      Box(P          R      mAP50  mAP50-95): 100%|██████████| 1/1 [00:00<00:00,  3.12it/s]\n",
            "                   all         16        120      0.712      0.598      0.665      0.472\n");

        var records = ParseLog(log);

        Assert.Equal(
            [("GPU_mem", 1, 2.61), ("box_loss", 1, 1.234), ("cls_loss", 1, 2.345), ("dfl_loss", 1, 1.123),
             ("val/P", 1, 0.712), ("val/R", 1, 0.598), ("val/mAP50", 1, 0.665), ("val/mAP50-95", 1, 0.472)],
            Points(records));
        Assert.Equal(100, records.TotalSteps);
    }
}
