using System.Text;
using System.Text.Json;
using Dashboard.Core.Parsing;
using Dashboard.Core.Records;

namespace Dashboard.Core.Tests.Parsing;

/// <summary>
/// The tailer stores a parser's State with the file's offset and makes a new parser from it after a restart.
/// Whatever the log, a restart between any two records must give exactly what one uninterrupted parse gives.
/// </summary>
public sealed class ParserRestartTests
{
    public static TheoryData<string, string> Logs() => new()
    {
        // Epochs from 0: "Epoch [1/3]" is the second epoch only because the log showed an epoch 0.
        { "zero-epochs.log", "Epoch [0/3], Step [100/200], Loss: 0.90\nEpoch [0/3], Step [200/200], Loss: 0.80\nEpoch [1/3], Step [100/200], Loss: 0.70\nEpoch [1/3], Step [200/200], Loss: 0.60\n" },
        // A traceback's indented lines are code, even when they look like pairs; the line after it is a metric again.
        { "traceback.log", "Iter 100/1000 | loss: 0.5\nTraceback (most recent call last):\n  File \"train.py\", line 3, in <module>\n    step 200 loss=9.0\n    Iter 300/1000 | loss: 7.0\nRuntimeError: boom\nIter 400/1000 | loss: 0.4\n" },
        { "eval.log", "Iter 500/50000 | Loss_CE: 2.470 | Loss_D: 0.184\nEvaluating at iteration 500...\nTraining mIoU: 0.3523\nValidation mIoU: 0.3201\nIter 600/50000 | Loss_CE: 2.400 | Loss_D: 0.180\n" },
        { "yolo.log", "      Epoch    GPU_mem   box_loss   obj_loss   cls_loss  Instances       Size\n      0/299      3.35G    0.04231    0.06318    0.01813        128        640: 100%|##########| 118/118 [00:40<00:00,  2.93it/s]\n                 Class     Images  Instances          P          R      mAP50   mAP50-95: 100%|##########| 4/4 [00:01<00:00,  2.36it/s]\n                   all        128        929      0.684      0.613      0.684      0.451\n      1/299      3.38G    0.04101    0.06200    0.01700        141        640: 100%|##########| 118/118 [00:39<00:00,  2.99it/s]\n" },
        { "keras.log", "Epoch 1/10\n1875/1875 [==============================] - 5s 2ms/step - loss: 0.2900 - accuracy: 0.9160\nEpoch 2/10\n1875/1875 [==============================] - 4s 2ms/step - loss: 0.1400 - accuracy: 0.9580\n" },
        { "config.log", ParserHarness.TrainerConfig + "\n2025-08-15 20:41:07,123 [Train Step] 100/150000: train/total_loss: 1916.70959, lr: 0.00000, \n2025-08-15 20:42:07,123 [Train Step] 200/150000: train/total_loss: 1816.70959, lr: 0.00000, \n" },
        // transformers 5: dicts at the training bar's count, which an evaluation bar on the lines between must not change.
        { "hf.log", "\r  5%|▌         | 10/192 [00:00<00:15, 11.6it/s]{'loss': '0.692', 'grad_norm': '0.2613', 'epoch': '0.1562'}\n\r 33%|███▎      | 64/192 [00:05<00:10, 11.9it/s]\n\r 88%|████████▊ | 7/8 [00:00<00:00, 80.1it/s]\x1b[A\n{'eval_loss': '0.6617', 'epoch': '1'}\n" },
        // Lightning's rich bar: the indented lines below it belong to its step.
        { "rich.log", "Epoch 5/5  ━━━━━━━━ 56/56 0:00:00 • 0:00:00 328.41it/s v_num: 0\n        train_loss: 0.055\n        val_loss: 0.126\n" },
        { "metrics.jsonl", "{\"loss\": 0.9}\n{\"loss\": 0.8}\n{\"step\": 10, \"loss\": 0.7}\n{\"loss\": 0.6}\n" },
        { "metrics.csv", "epoch,step,train_loss,val_loss\n0,49,0.9,\n0,49,,0.8\n1,99,0.7,\nepoch,step,lr\n1,99,0.001\n" },
    };

    [Theory]
    [MemberData(nameof(Logs))]
    public void A_restart_after_every_line_gives_what_one_uninterrupted_parse_gives(string fileName, string log)
    {
        var bytes = Encoding.UTF8.GetBytes(log);
        var whole = Uninterrupted(fileName, bytes);
        Assert.NotEmpty(whole.Points);

        var restarted = RestartedAfterEveryRecord(fileName, bytes);

        Assert.Equal(Describe(whole), Describe(restarted));
    }

    [Theory]
    [InlineData("events.out.tfevents.1723754467.trainer-node.4242.0")]
    [InlineData("events.out.tfevents.1723754500.trainer-node.4243.0.v2")]
    public void A_tensorboard_file_restarted_after_every_record_gives_what_one_parse_gives(string fileName)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", fileName));
        var whole = Uninterrupted(fileName, bytes);
        Assert.NotEmpty(whole.Points);

        Assert.Equal(Describe(whole), Describe(RestartedAfterEveryRecord(fileName, bytes)));
    }

    [Fact]
    public void The_rest_of_a_too_long_line_is_still_skipped_after_a_restart_in_its_middle()
    {
        var head = Encoding.UTF8.GetBytes("Iter 100/1000 | loss: 0.5\n");
        var junk = Encoding.UTF8.GetBytes(new string('x', TextLogFileParser.MaxLineBytes + 10));
        var tail = Encoding.UTF8.GetBytes("yy loss: 9.0 step 7 acc=1\nIter 200/1000 | loss: 0.4\n");
        var first = LogParsers.Create("train.log", head);
        var records = new ParsedRecords();
        var consumed = first.Parse([.. head, .. junk], ParserHarness.Now, records);
        Assert.Equal(head.Length + junk.Length, consumed);

        var resumed = LogParsers.Create("train.log", head, Restore(first.State));
        resumed.Parse(tail, ParserHarness.Now, records);

        Assert.Equal([100L, 200L], records.Points.Select(p => p.Step));
    }

    private static ParsedRecords Uninterrupted(string fileName, byte[] bytes)
    {
        var records = new ParsedRecords();
        var parser = LogParsers.Create(fileName, bytes);
        Assert.Equal(bytes.Length, parser.Parse(bytes, ParserHarness.Now, records));
        return records;
    }

    /// <summary>
    /// Offers the parser one more byte at a time, and makes a new parser from the stored (JSON) state after
    /// every call, as a restart would: each complete record is parsed by a parser that never saw the one before.
    /// </summary>
    private static ParsedRecords RestartedAfterEveryRecord(string fileName, byte[] bytes)
    {
        var records = new ParsedRecords();
        ParserState? state = null;
        var offset = 0;
        for (var end = 1; end <= bytes.Length; end++)
        {
            var parser = LogParsers.Create(fileName, bytes, state);
            offset += parser.Parse(bytes.AsSpan(offset, end - offset), ParserHarness.Now, records);
            state = Restore(parser.State);
        }
        Assert.Equal(bytes.Length, offset);
        return records;
    }

    /// <summary>The state as the store keeps it: JSON in the source_files row.</summary>
    private static ParserState Restore(ParserState state) => JsonSerializer.Deserialize<ParserState>(JsonSerializer.Serialize(state))!;

    private static string Describe(ParsedRecords records) => string.Join('\n',
        records.Points.Select(p => $"{p.Key}@{p.Step}={p.Value}@{p.UnixMs}")
            .Concat(records.Events.Select(e => $"event {e.Kind}@{e.Step}: {e.Message}"))
            .Append($"config {records.Config?.ToJsonString()}")
            .Append($"files {string.Join(",", records.ConfigFiles)}")
            .Append($"skipped {records.SkippedBytes}"));
}
