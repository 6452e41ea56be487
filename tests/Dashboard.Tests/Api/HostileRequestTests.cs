using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Dashboard.Storage;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Api;

/// <summary>What a hostile client or another site can send, against the real host: each is refused before it costs anything.</summary>
public sealed class HostileRequestTests
{
    private const string Key = "test-key-0123456789";

    private static Task<TestHost> StartWithKeyAsync() =>
        TestHost.StartAsync(new Dictionary<string, string?> { ["Auth:ApiKey"] = Key });

    [Fact]
    public async Task A_request_without_the_key_is_refused_before_its_body_is_sent()
    {
        await using var host = await StartWithKeyAsync();
        using var client = new TcpClient();
        await client.ConnectAsync(host.BaseAddress.Host, host.BaseAddress.Port);
        var stream = client.GetStream();
        // Announces 28 MB and sends none of it: a server that read the body first would wait forever.
        var head = $"POST /api/ingest HTTP/1.1\r\nHost: {host.BaseAddress.Authority}\r\nContent-Type: application/json\r\nContent-Length: {28 * 1024 * 1024}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer, timeout.Token);
        var answer = Encoding.ASCII.GetString(buffer, 0, read);
        Assert.StartsWith("HTTP/1.1 401", answer);
        Assert.Contains("application/problem+json", answer);
    }

    [Fact]
    public async Task A_body_over_the_ingest_limit_is_refused_with_413()
    {
        await using var host = await StartWithKeyAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ingest")
        {
            Content = new StringContent("{\"project\":\"p\",\"run\":\"r\",\"lines\":[\"" + new string('x', 9 * 1024 * 1024) + "\"]}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Api-Key", Key);
        var response = await host.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/api/runs")).StatusCode);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_cut_off_with_413()
    {
        await using var host = await StartWithKeyAsync();
        // No Content-Length: the limit has to hold while the body streams in.
        var big = new PushStreamContent("{\"project\":\"p\",\"run\":\"r\",\"lines\":[\"" + new string('x', 9 * 1024 * 1024) + "\"]}");
        big.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ingest") { Content = big };
        request.Headers.Add("X-Api-Key", Key);
        try
        {
            var response = await host.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }
        catch (HttpRequestException)
        {
            // The server may close the connection while the client still sends: refused all the same.
        }
        Assert.Empty(await host.GetJsonAsync<List<RunSummary>>("/api/runs"));
    }

    [Theory]
    [InlineData("{\"key\":\"a\",\"step\":1,\"value\":1,\"unixMs\":9223372036854775807}", "points[0].unixMs")]
    [InlineData("{\"key\":\"a\",\"step\":1,\"value\":1,\"unixMs\":-9223372036854775807}", "points[0].unixMs")]
    [InlineData("{\"key\":\"a\",\"step\":-9223372036854775808,\"value\":1}", "points[0].step")]
    [InlineData("{\"key\":\"a\",\"step\":1,\"value\":1e400}", "points[0].value")]
    [InlineData("{\"key\":\"a\",\"step\":1,\"value\":\"lots\"}", "points[0].value")]
    [InlineData("{\"key\":\"a\\u0000b\",\"step\":1,\"value\":1}", "points[0].key")]
    public async Task A_point_no_reader_could_show_is_refused_with_400_naming_the_field(string point, string field)
    {
        await using var host = await TestHost.StartAsync();
        var response = await host.Http.PostAsync("/api/ingest",
            new StringContent($"{{\"project\":\"p\",\"run\":\"r\",\"points\":[{point}]}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(field, await response.Content.ReadAsStringAsync());

        // Nothing was written, and the writer takes the next request at once.
        var ok = await host.Http.PostAsJsonAsync("/api/ingest", new { project = "p", run = "r", points = new[] { new { key = "a", step = 1, value = 0.5 } } });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(1, (await host.WaitForRunAsync(r => r.Name == "r")).Step);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem_not_a_500()
    {
        await using var host = await TestHost.StartAsync();
        foreach (var body in new[] { "{", "[]", "{\"project\":\"p\",\"run\":\"r\",\"points\":[{\"key\":\"a\",\"step\":\"x\"}]}", "nul", "{\"project\":1}" })
        {
            var response = await host.Http.PostAsync("/api/ingest", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_form_post_from_another_site_cannot_acknowledge_or_make_reports()
    {
        await using var host = await TestHost.StartAsync();
        await host.WriteRunAsync("cross", "a.log", LogLines.Iter(100, 1), 100);

        // What an HTML form on another site sends: no preflight, a form content type, its own Origin.
        using var form = new HttpRequestMessage(HttpMethod.Post, "/api/runs/1/reports") { Content = new FormUrlEncodedContent([new("a", "b")]) };
        form.Headers.Add("Origin", "http://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Http.SendAsync(form)).StatusCode);

        using var formNoOrigin = new HttpRequestMessage(HttpMethod.Post, "/api/runs/1/reports") { Content = new FormUrlEncodedContent([new("a", "b")]) };
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await host.Http.SendAsync(formNoOrigin)).StatusCode);

        using var fetchCrossSite = new HttpRequestMessage(HttpMethod.Post, "/api/alerts/1/acknowledge");
        fetchCrossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Http.SendAsync(fetchCrossSite)).StatusCode);

        // The same write from the service's own pages goes through.
        using var sameSite = new HttpRequestMessage(HttpMethod.Post, "/api/runs/1/reports");
        sameSite.Headers.Add("Origin", host.BaseAddress.GetLeftPart(UriPartial.Authority));
        Assert.Equal(HttpStatusCode.Created, (await host.Http.SendAsync(sameSite)).StatusCode);
    }

    [Fact]
    public async Task The_live_hub_refuses_another_site()
    {
        await using var host = await TestHost.StartAsync();
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, "/hubs/live/negotiate?negotiateVersion=1");
        negotiate.Headers.Add("Origin", "http://rebound.example:5000");
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Http.SendAsync(negotiate)).StatusCode);

        using var own = new HttpRequestMessage(HttpMethod.Post, "/hubs/live/negotiate?negotiateVersion=1");
        own.Headers.Add("Origin", host.BaseAddress.GetLeftPart(UriPartial.Authority));
        Assert.Equal(HttpStatusCode.OK, (await host.Http.SendAsync(own)).StatusCode);
    }

    [Fact]
    public async Task A_foreign_host_header_is_refused()
    {
        await using var host = await TestHost.StartAsync();
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        rebound.Headers.Host = "attacker.example";
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Http.SendAsync(rebound)).StatusCode);
        using var own = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        own.Headers.Host = $"localhost:{host.BaseAddress.Port}";
        Assert.Equal(HttpStatusCode.OK, (await host.Http.SendAsync(own)).StatusCode);
    }

    [Fact]
    public async Task Listing_reports_needs_the_key_when_one_is_set()
    {
        await using var host = await StartWithKeyAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Http.GetAsync("/api/reports")).StatusCode);
        using var withKey = new HttpRequestMessage(HttpMethod.Get, "/api/reports");
        withKey.Headers.Add("X-Api-Key", Key);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.SendAsync(withKey)).StatusCode);
        var page = await host.Http.GetStringAsync("/reports");
        Assert.Contains("data-role=\"sign-in-needed\"", page);
    }

    [Fact]
    public async Task Signing_in_on_the_form_sets_an_httponly_strict_cookie_that_allows_writes_only_with_the_antiforgery_token()
    {
        await using var host = await StartWithKeyAsync();
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var browser = new HttpClient(handler) { BaseAddress = host.BaseAddress };

        // Without the form's antiforgery token the framework refuses the post before the handler runs.
        var forged = await browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "sign-in", ["Form.ApiKey"] = Key }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Empty(handler.CookieContainer.GetCookies(host.BaseAddress));

        var wrong = await SignInAsync(browser, "nope-nope-nope", "/alerts");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        // A return address off the site is not followed.
        var signIn = await SignInAsync(browser, Key, "//evil.example/x");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", signIn.Headers.Location!.OriginalString.Replace(host.BaseAddress.ToString(), "/"));
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith(Dashboard.Api.Access.SessionCookie.Name, StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        using var state = JsonDocument.Parse(await browser.GetStringAsync("/api/session"));
        Assert.True(state.RootElement.GetProperty("signedIn").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/reports")).StatusCode);

        // The session alone does not write through the API: a cross-site page could make the browser send it.
        var write = await browser.PostAsJsonAsync("/api/ingest", new { project = "p", run = "signed-in", lines = new[] { "Iter 5/10 | loss: 1.0" } });
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Contains("antiforgery", await write.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        var signOut = await PostFormAsync(browser, "/signin", "sign-out", []);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/reports")).StatusCode);
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient browser, string key, string returnUrl) =>
        PostFormAsync(browser, "/signin?returnUrl=" + Uri.EscapeDataString(returnUrl), "sign-in", new() { ["Form.ApiKey"] = key });

    /// <summary>Posts a page's form as a browser does: with the antiforgery token the page rendered into it.</summary>
    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient browser, string url, string form, Dictionary<string, string> fields)
    {
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await browser.GetStringAsync(url));
        var token = page.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        fields["_handler"] = form;
        fields["__RequestVerificationToken"] = token;
        return await browser.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task Pages_and_answers_carry_the_security_headers()
    {
        await using var host = await TestHost.StartAsync();
        foreach (var url in new[] { "/", "/api/runs", "/alerts", "/no-such-page" })
        {
            var response = await host.Http.GetAsync(url);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            var policy = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("default-src 'self'", policy);
            Assert.Contains("frame-ancestors 'none'", policy);
        }
    }

    [Fact]
    public async Task A_nul_in_the_path_or_a_100_kb_url_is_refused_and_the_service_goes_on()
    {
        await using var host = await TestHost.StartAsync();
        var nul = await host.Http.GetAsync("/api/runs/%00");
        Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
        var longUrl = await host.Http.GetAsync("/api/runs?q=" + new string('a', 100_000));
        Assert.Equal(HttpStatusCode.RequestUriTooLong, longUrl.StatusCode);
        Assert.Equal("application/problem+json", longUrl.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync("/api/runs")).StatusCode);
    }

    [Fact]
    public async Task Report_links_use_the_public_url_not_the_host_header()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Alerts:PublicUrl"] = "https://dash.example.org",
            ["AllowedHosts"] = "*",
        });
        await host.WriteRunAsync("links", "a.log", LogLines.Iter(100, 1), 100);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/runs/1/reports");
        request.Headers.Host = "attacker.example";
        var created = await host.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        Assert.StartsWith("https://dash.example.org/r/", body.RootElement.GetProperty("url").GetString());
    }

    /// <summary>A body streamed without a Content-Length.</summary>
    private sealed class PushStreamContent(string text) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            try
            {
                for (var offset = 0; offset < bytes.Length; offset += 65536)
                    await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(65536, bytes.Length - offset)));
            }
            catch (IOException)
            {
                // The server closed the request once it passed the limit.
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
