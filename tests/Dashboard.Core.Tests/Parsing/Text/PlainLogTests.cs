using static Dashboard.Core.Tests.Parsing.Text.LogSamples;

namespace Dashboard.Core.Tests.Parsing.Text;

/// <summary>Hand-written training loops: the PyTorch tutorials, timm, the ImageNet example, and plain prints.</summary>
public sealed class PlainLogTests
{
    [Fact]
    public void Pytorch_tutorial_epoch_and_step_become_one_global_step_and_the_total_is_epochs_times_steps()
    {
        // print('Epoch [{}/{}], Step [{}/{}], Loss: {:.4f}'.format(epoch+1, num_epochs, i+1, total_step, loss.item()))
        var records = ParseLog("""
            Epoch [1/5], Step [100/600], Loss: 0.2345
            Epoch [1/5], Step [200/600], Loss: 0.1234
            Epoch [2/5], Step [100/600], Loss: 0.0987
            Accuracy of the network on the 10000 test images: 97.5 %
            """);

        Assert.Equal([("Loss", 100, 0.2345), ("Loss", 200, 0.1234), ("Loss", 700, 0.0987)], Points(records));
        Assert.Equal(3000, records.TotalSteps);
    }

    [Fact]
    public void Timm_train_line_takes_the_current_value_not_its_running_average_and_skips_durations_and_throughput()
    {
        var records = ParseLog("""
            Train: 0 [   0/1251 (  0%)]  Loss: 6.912 (6.93)  Time: 3.052s,  335.47/s  (3.052s,  335.47/s)  LR: 1.000e-06  Data: 2.468 (2.468)
            Train: 0 [  50/1251 (  4%)]  Loss: 6.901 (6.91)  Time: 0.412s, 2485.44/s  (0.468s, 2188.03/s)  LR: 1.000e-06  Data: 0.010 (0.058)
            Train: 1 [   0/1251 (  0%)]  Loss: 6.512 (6.51)  Time: 1.210s,  846.28/s  (1.210s,  846.28/s)  LR: 2.008e-04  Data: 0.801 (0.801)
            """);

        Assert.Equal(
            [("Loss", 0, 6.912), ("LR", 0, 1e-06), ("Data", 0, 2.468), ("Loss", 50, 6.901), ("LR", 50, 1e-06), ("Data", 50, 0.010),
             ("Loss", 1251, 6.512), ("LR", 1251, 2.008e-04), ("Data", 1251, 0.801)],
            Points(records));
    }

    [Fact]
    public void Imagenet_example_meters_are_key_value_pairs_with_running_averages()
    {
        // pytorch/examples imagenet: ProgressMeter joins "{name} {val:fmt} ({avg:fmt})" with tabs; epochs count from 0.
        var records = ParseLog(
            "Epoch: [0][  10/5005]\tTime  0.512 ( 0.623)\tData  0.012 ( 0.110)\tLoss 6.9120e+00 (6.9310e+00)\tAcc@1   0.00 (  0.10)\tAcc@5   0.78 (  0.55)\n"
            + "Test: [ 10/196]\tTime  0.123 ( 0.234)\tLoss 1.2345e+00 (1.3456e+00)\tAcc@1  70.31 ( 68.75)\tAcc@5  89.06 ( 88.28)\n"
            + " *   Acc@1 76.130 Acc@5 92.862\n"
            + "Epoch: [1][  10/5005]\tTime  0.498 ( 0.601)\tData  0.011 ( 0.100)\tLoss 5.1234e+00 (5.2345e+00)\tAcc@1   6.25 (  5.10)\tAcc@5  18.75 ( 16.55)\n");

        Assert.Equal(
            [("Time", 10, 0.512), ("Data", 10, 0.012), ("Loss", 10, 6.912), ("Acc@1", 10, 0.0), ("Acc@5", 10, 0.78)],
            Points(records).Where(p => p.Step == 10));
        Assert.Equal(5.1234, ValueOf(records, "Loss", 5015));
        Assert.Equal(10, records.Points.Count);
    }

    [Theory]
    [InlineData("step 100 loss=0.5 acc=0.9", 100)]
    [InlineData("global_step=200, loss=0.5, acc=0.9", 200)]
    [InlineData("step 100 loss 0.5 acc 0.9", 100)]
    [InlineData("Epoch 3: loss 0.5 acc 0.9", 3)]
    [InlineData("2025-08-15 20:41:07,123 - INFO - step: 42 | loss: 0.5 | acc: 0.9", 42)]
    [InlineData("[2025-08-15 20:41:07] iter: 42, loss: 0.5 (0.61), acc: 0.9 (0.85)", 42)]
    [InlineData("step 100 | loss 0.5 | acc 0.9 | throughput 12.3 samples/s | 0.41 s/it", 100)]
    [InlineData("step 100\tloss\t0.5\tacc\t0.9\ttime\t0.45s", 100)]
    public void Plain_lines_give_loss_and_acc(string line, long step)
    {
        Assert.Equal([("loss", step, 0.5), ("acc", step, 0.9)], Points(ParseLog(line)));
    }

    [Theory]
    [InlineData("step 100 | time: 0.45s | speed: 12.3 samples/s | progress: 45% | clock: 12:03:04 | eta: 0:12:34 | loss: 0.5")]
    [InlineData("step 100  time: 0.45s  speed: 12.3 samples/s  progress: 45%  clock: 12:03:04  eta: 1 day, 0:12:34  loss: 0.5")]
    [InlineData("step 100 time=0.45s speed=12.3it/s done=45% eta=1:02:03 loss=0.5")]
    public void Durations_clock_times_percentages_and_throughput_are_no_metrics(string line)
    {
        Assert.Equal([("loss", 100, 0.5)], Points(ParseLog(line)));
    }

    [Theory]
    [InlineData("iter: 7  max_mem: 5432M", "max_mem", 5432)]
    [InlineData("step 7 | gpu_mem: 3.35G", "gpu_mem", 3.35)]
    [InlineData("step 7 | memory: 812MB", "memory", 812)]
    [InlineData("step 7 | mem: 1.5GiB", "mem", 1.5)]
    public void Memory_sizes_keep_their_number_and_their_key(string line, string key, double value)
    {
        Assert.Equal([(key, 7, value)], Points(ParseLog(line)));
    }

    [Theory]
    [InlineData("Iteration 5 of 10")]
    [InlineData("Epoch 3 took 45.2 s")]
    [InlineData("Epoch 3 done in 45.2s")]
    [InlineData("Step 500: saved 3 files")]
    [InlineData("Epoch 3: best acc 0.91 at epoch 2")]
    [InlineData("step 100 12.3 samples/s")]
    public void Prints_with_a_step_and_a_number_are_no_metrics(string line)
    {
        Assert.Empty(ParseLog(line).Points);
    }

    [Fact]
    public void Warnings_prints_and_tracebacks_between_metric_lines_make_no_points()
    {
        var records = ParseLog("""
            step 100 loss=0.5
            /opt/conda/lib/python3.10/site-packages/torch/optim/lr_scheduler.py:143: UserWarning: Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, you should call them in the opposite order: `optimizer.step()` before `lr_scheduler.step()`.  Failure to do this will result in PyTorch skipping the first value of the learning rate schedule. See more details at https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate
              warnings.warn("Detected call of `lr_scheduler.step()` before `optimizer.step()`. "
            Loading data from /data/imagenet/train ... 1281167 images, 1000 classes
            lr = 0.001, batch_size = 256, epochs = 90
            step 200 loss=0.4
            Traceback (most recent call last):
              File "train.py", line 120, in <module>
                main()
              File "train.py", line 98, in main
                loss = criterion(output, target) # step 200: loss=nan
            RuntimeError: CUDA error: device-side assert triggered
            """);

        Assert.Equal([("loss", 100, 0.5), ("loss", 200, 0.4)], Points(records));
    }
}
