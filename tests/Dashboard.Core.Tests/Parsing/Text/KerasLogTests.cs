using static Dashboard.Core.Tests.Parsing.Text.LogSamples;

namespace Dashboard.Core.Tests.Parsing.Text;

/// <summary>Keras' model.fit output redirected to a file: the epoch on one line, its metrics on the progress line after it.</summary>
public sealed class KerasLogTests
{
    [Fact]
    public void Keras_2_progress_line_belongs_to_the_epoch_printed_before_it()
    {
        var records = ParseLog("""
            Epoch 1/10
            1875/1875 [==============================] - 5s 2ms/step - loss: 0.2954 - accuracy: 0.9140 - val_loss: 0.1411 - val_accuracy: 0.9571
            Epoch 2/10
            1875/1875 [==============================] - 4s 2ms/step - loss: 0.1420 - accuracy: 0.9580 - val_loss: 0.1019 - val_accuracy: 0.9690
            """);

        Assert.Equal(
            [("loss", 1, 0.2954), ("accuracy", 1, 0.914), ("val_loss", 1, 0.1411), ("val_accuracy", 1, 0.9571)],
            Points(records).Where(p => p.Step == 1));
        Assert.Equal(0.969, ValueOf(records, "val_accuracy", 2));
        Assert.Equal(10, records.TotalSteps);
    }

    [Fact]
    public void Keras_3_and_verbose_2_lines_are_read_the_same_way()
    {
        var records = ParseLog("""
            Epoch 1/5
            1875/1875 ━━━━━━━━━━━━━━━━━━━━ 5s 2ms/step - accuracy: 0.9140 - loss: 0.2954 - val_accuracy: 0.9571 - val_loss: 0.1411
            Epoch 2/5
            1875/1875 - 4s - loss: 0.1420 - accuracy: 0.9580
            """);

        Assert.Equal(0.914, ValueOf(records, "accuracy", 1));
        Assert.Equal(0.142, ValueOf(records, "loss", 2));
        Assert.Equal(6, records.Points.Count);
    }

    [Fact]
    public void Progress_line_before_any_epoch_makes_no_points()
    {
        Assert.Empty(ParseLog("1875/1875 [==============================] - 5s 2ms/step - loss: 0.2954").Points);
    }
}
