using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Dashboard.Storage;
using Dashboard.Tests.Support;
using Xunit.Abstractions;

namespace Dashboard.Tests.Fuzz;

/// <summary>
/// Random and hostile input against the real host for a bounded time (FUZZ_SECONDS, default 40):
/// garbled, binary, over-long and out-of-range log lines, rotations and split writes in watched files,
/// and malformed or hostile JSON bodies at the API, while a prober reads the run list throughout.
/// Every valid point written must be stored exactly once, and nothing may answer 5xx.
/// </summary>
public sealed class HostileInputFuzzTests(ITestOutputHelper output)
{
    private const int Files = 3;

    [Fact]
    public async Task Hostile_lines_bodies_and_file_mishaps_lose_or_repeat_no_valid_point()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SECONDS"), out var s) ? s : 40;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out var given) ? given : Environment.TickCount;
        output.WriteLine($"seed {seed}, {seconds} s (FUZZ_SEED, FUZZ_SECONDS)");
        await using var host = await TestHost.StartAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var failures = new ConcurrentQueue<string>();

        var files = Enumerable.Range(0, Files).Select(i => new FuzzFile(host.LogPath("fuzz", $"f{i}.log"), new Random(seed + i))).ToList();
        var api = new FuzzApi(host.Http, new Random(seed + 100), failures);
        var probes = 0;
        var tasks = files.Select(f => f.RunAsync(stop.Token)).ToList();
        tasks.Add(api.RunAsync(stop.Token));
        tasks.Add(Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var url in new[] { "/api/runs", "/", "/api/alerts" })
                {
                    var response = await host.Http.GetAsync(url, CancellationToken.None);
                    if (response.StatusCode != HttpStatusCode.OK)
                        failures.Enqueue($"GET {url} answered {(int)response.StatusCode} during the fuzz");
                }
                probes++;
                await Task.Delay(100, CancellationToken.None);
            }
        }));
        await Task.WhenAll(tasks);
        Assert.Empty(failures);
        output.WriteLine($"{files.Sum(f => f.Expected.Count)} valid lines in files, {files.Sum(f => f.Hostile)} hostile writes, " +
                         $"{api.Expected.Count} valid points and {api.Hostile} hostile bodies at the API, {probes} probe rounds");

        foreach (var file in files)
            await AssertStoredOnceAsync(host, r => r.Source == file.Path, "fuzz_ok", file.Expected);
        await AssertStoredOnceAsync(host, r => r.Source == "remote:fuzz/api", "fuzz_api", api.Expected);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/api/runs")).StatusCode);
    }

    private static async Task AssertStoredOnceAsync(TestHost host, Func<RunSummary, bool> match, string key, List<(long Step, double Value)> expected)
    {
        var run = await host.WaitForRunAsync(match, 30_000);
        var series = await TestHost.EventuallyAsync(
            () => host.GetJsonAsync<MetricSeries>($"/api/runs/{run.Id}/metrics/{key}"),
            s => s.Points.Count >= expected.Count && s.Points.Count > 0 && s.Points[^1].Step == expected[^1].Step,
            $"{expected.Count} points of {key} in run {run.Id}", 30_000);
        Assert.Equal(expected, series.Points.Select(p => (p.Step, p.Value)).ToList());
    }

    /// <summary>One watched log: valid lines of <c>fuzz_ok</c> at rising steps, among hostile writes and mishaps.</summary>
    private sealed class FuzzFile(string path, Random random)
    {
        public string Path { get; } = path;
        public List<(long Step, double Value)> Expected { get; } = [];
        public int Hostile { get; private set; }
        private long _step;
        private bool _rotated;

        public async Task RunAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                var roll = random.Next(100);
                if (roll < 55)
                    await ValidAsync();
                else if (roll < 60 && !_rotated && Expected.Count > 20)
                {
                    // Rotation by rename: the tail of the old file and the new file continue one run.
                    File.Move(Path, Path + ".1");
                    _rotated = true;
                }
                else if (roll < 65)
                    await SplitValidAsync();
                else
                {
                    await AppendBytesAsync(HostileLine());
                    Hostile++;
                }
                await Task.Delay(random.Next(0, 15), CancellationToken.None);
            }
        }

        private (string Text, long Step, double Value) Next()
        {
            _step += random.Next(1, 50);
            var value = Math.Round(random.NextDouble() * 10, 4);
            return ($"Iter {_step}/1000000000 | fuzz_ok: {value.ToString("F4", CultureInfo.InvariantCulture)}", _step, value);
        }

        private async Task ValidAsync()
        {
            var (text, step, value) = Next();
            await AppendBytesAsync(Encoding.UTF8.GetBytes(text + (random.Next(4) == 0 ? "\r\n" : "\n")));
            Expected.Add((step, value));
        }

        /// <summary>A valid line written in two pieces, as a buffered writer may flush it.</summary>
        private async Task SplitValidAsync()
        {
            var (text, step, value) = Next();
            var cut = random.Next(1, text.Length);
            await AppendBytesAsync(Encoding.UTF8.GetBytes(text[..cut]));
            await Task.Delay(random.Next(1, 30), CancellationToken.None);
            await AppendBytesAsync(Encoding.UTF8.GetBytes(text[cut..] + "\n"));
            Expected.Add((step, value));
        }

        private byte[] HostileLine() => random.Next(12) switch
        {
            0 => RandomBytes(random.Next(1, 300)).Append((byte)'\n').ToArray(),
            1 => new byte[random.Next(1, 8192)],
            2 => [0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28, 0xA1, (byte)'\n'],
            3 => Encoding.UTF8.GetBytes(new string('x', 300 * 1024) + "\n"),
            4 => Encoding.UTF8.GetBytes("9999-12-31 23:59:59,000 [Train Step] 5/100: other: 1.0, \n"),
            5 => Encoding.UTF8.GetBytes("Iter 99999999999999999999999/5 | junk: 1\n"),
            6 => Encoding.UTF8.GetBytes($"Iter {long.MaxValue}/5 | junk: 2\n"),
            7 => Encoding.UTF8.GetBytes("Checkpoint saved: ../../../../etc/passwd\n"),
            8 => Encoding.UTF8.GetBytes("{'loss': 1e400, 'grad': nan, <script>alert(1)</script>: 3}\n"),
            9 => Encoding.UTF8.GetBytes("Traceback (most recent call last):\n  File \"x\", line 1\nValueError: boom\n"),
            10 => Encoding.UTF8.GetBytes("junk: inf | other: -inf | nan: nan\n"),
            _ => Encoding.UTF8.GetBytes("\u202e\u0000\u0007 odd: 1\n"),
        };

        private byte[] RandomBytes(int count)
        {
            var bytes = new byte[count];
            random.NextBytes(bytes);
            for (var i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == '\n')
                    bytes[i] = (byte)' ';
            }
            return bytes;
        }

        private async Task AppendBytesAsync(byte[] bytes)
        {
            await using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            await stream.WriteAsync(bytes);
        }
    }

    /// <summary>Valid points of <c>fuzz_api</c> to one remote run, among malformed and hostile bodies.</summary>
    private sealed class FuzzApi(HttpClient http, Random random, ConcurrentQueue<string> failures)
    {
        public List<(long Step, double Value)> Expected { get; } = [];
        public int Hostile { get; private set; }
        private long _step;

        public async Task RunAsync(CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                if (random.Next(2) == 0)
                    await ValidAsync();
                else
                    await HostileAsync();
                await Task.Delay(random.Next(0, 20), CancellationToken.None);
            }
        }

        private async Task ValidAsync()
        {
            var points = new List<(long, double)>();
            for (var i = random.Next(1, 20); i > 0; i--)
            {
                _step += random.Next(1, 10);
                points.Add((_step, Math.Round(random.NextDouble() * 100, 3)));
            }
            var body = "{\"project\":\"fuzz\",\"run\":\"api\",\"points\":[" +
                       string.Join(",", points.Select(p => $"{{\"key\":\"fuzz_api\",\"step\":{p.Item1},\"value\":{p.Item2.ToString("R", CultureInfo.InvariantCulture)}}}")) + "]}";
            var response = await PostAsync(body, "application/json");
            if (response == HttpStatusCode.OK)
                Expected.AddRange(points);
            else
                failures.Enqueue($"a valid ingest answered {(int)response}: {body}");
        }

        private async Task HostileAsync()
        {
            Hostile++;
            var (body, type) = random.Next(12) switch
            {
                0 => ("{", "application/json"),
                1 => (new string('[', 5000), "application/json"),
                2 => ("{\"project\":\"fuzz\",\"run\":\"api\",\"points\":[{\"key\":\"fuzz_api\",\"step\":1,\"value\":1e400}]}", "application/json"),
                3 => ("{\"project\":\"fuzz\",\"run\":\"api\",\"points\":[{\"key\":\"x\",\"step\":1,\"value\":1,\"unixMs\":9223372036854775807}]}", "application/json"),
                4 => ("{\"project\":\"fuzz\",\"run\":\"api\",\"points\":[{\"key\":\"x\",\"step\":-9223372036854775808,\"value\":1}]}", "application/json"),
                5 => ("project=fuzz&run=api", "application/x-www-form-urlencoded"),
                6 => ("{\"project\":\"\\u0000\",\"run\":\"<img src=x onerror=alert(1)>\",\"lines\":[\"Iter 1/2 | a: 1\"]}", "application/json"),
                7 => ("{\"project\":\"fuzz\",\"run\":\"api\",\"lines\":[null]}", "application/json"),
                8 => ("{\"project\":\"fuzz\",\"run\":\"api\",\"points\":[{\"key\":\"x\",\"step\":\"one\",\"value\":1}]}", "application/json"),
                9 => (Convert.ToBase64String(Guid.NewGuid().ToByteArray()), "application/json"),
                10 => ("{\"project\":\"fuzz\",\"run\":\"" + new string('r', 5000) + "\",\"lines\":[\"x\"]}", "application/json"),
                _ => ("\"just a string\"", "text/plain"),
            };
            var status = await PostAsync(body, type);
            if ((int)status >= 500 || status == HttpStatusCode.OK)
                failures.Enqueue($"a hostile body answered {(int)status}: {body[..Math.Min(200, body.Length)]}");
        }

        private async Task<HttpStatusCode> PostAsync(string body, string type)
        {
            using var content = new StringContent(body, Encoding.UTF8);
            content.Headers.ContentType = new(type);
            using var response = await http.PostAsync("/api/ingest", content, CancellationToken.None);
            return response.StatusCode;
        }
    }
}
