using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hub.TestSupport;

namespace Hub.Functions.Tests;

/// <summary>Bulk email campaigns (003 §3.13): filtered recipients, their language, the channel's pace, unsubscribe honoured.</summary>
[Collection("notifications")]
public sealed partial class CampaignTests(NotificationsFixture f)
{
    private static object Content => new
    {
        zh = new { subject = "春季优惠", text = "{{recipientName}}，春季优惠开始了。", html = "<p>{{recipientName}}，春季优惠开始了。</p>" },
        en = new { subject = "Spring offer", text = "Dear {{recipientName}}, our spring offer has started.", html = "<p>Dear {{recipientName}}, our spring offer has started.</p>" },
    };

    [Fact]
    public async Task Campaign_reaches_tagged_recipients_in_their_language_at_the_channels_pace_and_unsubscribe_stops_the_next()
    {
        var tag = "spring" + Guid.NewGuid().ToString("N")[..6];
        var people = Enumerable.Range(1, 7).Select(i => (Key: $"customer:CAMP-{tag}-{i}", Email: $"camp-{tag}-{i}@example.com")).ToArray();
        for (var i = 0; i < people.Length; i++)
            await f.Register(people[i].Key, new
            {
                name = $"Customer {i + 1}",
                email = people[i].Email,
                language = i < 4 ? "zh" : "en",
                tags = i == 6 ? new[] { "other" } : new[] { tag, "vip" },
                emailOptOut = i == 5,
            });
        using var http = f.Host.Http();
        var started = System.Diagnostics.Stopwatch.StartNew();

        var response = await http.PostAsJsonAsync("/api/notifications/campaigns",
            new { name = "Spring", channel = "email", filter = new { tag }, content = Content });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        var campaign = await Eventually.Get(() => http.GetFromJsonAsync<JsonElement>(location),
            c => c.GetProperty("state").GetString() == "fanned-out" && c.GetProperty("notifications").TryGetProperty("sent", out var sent) && sent.GetInt32() == 5,
            TimeSpan.FromSeconds(30), "campaign sent");
        Assert.Equal(5, campaign.GetProperty("recipients").GetInt32());
        var mails = await Eventually.Get(() => Task.FromResult(people.SelectMany(p => f.Smtp.To(p.Email)).ToArray()), m => m.Length == 5,
            TimeSpan.FromSeconds(30), "five campaign emails");
        // Email is paced at 2 per second: five messages cannot all leave within one second.
        Assert.True(started.Elapsed >= TimeSpan.FromSeconds(1), $"five emails at 2/s took {started.Elapsed}");
        Assert.Empty(f.Smtp.To(people[5].Email));
        Assert.Empty(f.Smtp.To(people[6].Email));
        Assert.Equal("春季优惠", f.Smtp.To(people[0].Email).Single().Subject);
        var english = f.Smtp.To(people[4].Email).Single();
        Assert.Equal("Spring offer", english.Subject);
        Assert.Contains("Dear Customer 5, our spring offer has started.", english.Text);
        var unsubscribe = Unsubscribe().Match(english.Text!).Value;
        Assert.Equal($"<{unsubscribe}>", english.Headers["List-Unsubscribe"]);

        // The recipient clicks; the page asks, the button confirms.
        Assert.Contains("<form method=\"post\"", await http.GetStringAsync(unsubscribe));
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync(unsubscribe, null)).StatusCode);
        var second = await http.PostAsJsonAsync("/api/notifications/campaigns", new { name = "Spring 2", channel = "email", filter = new { tag }, content = Content });
        var secondLocation = second.Headers.Location!.OriginalString;
        await Eventually.Get(() => http.GetFromJsonAsync<JsonElement>(secondLocation),
            c => c.GetProperty("state").GetString() == "fanned-out" && c.GetProperty("notifications").TryGetProperty("sent", out var sent) && sent.GetInt32() == 4,
            TimeSpan.FromSeconds(30), "second campaign sent");
        Assert.Single(f.Smtp.To(people[4].Email));
        Assert.Equal(2, f.Smtp.To(people[0].Email).Count);
    }

    [Fact]
    public async Task A_campaign_with_content_missing_a_language_or_an_unknown_placeholder_is_refused()
    {
        using var http = f.Host.Http();
        var response = await http.PostAsJsonAsync("/api/notifications/campaigns", new
        {
            name = "Bad",
            channel = "sms",
            filter = new { kind = "staff" },
            content = new { zh = new { sms = "{{recipientName}}，{{discount}}折优惠" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.Contains("no value for 'discount'", errors.GetProperty("content.zh")[0].GetString());
        Assert.Contains("every language", errors.GetProperty("content.en")[0].GetString());
        Assert.True(errors.TryGetProperty("filter.kind", out _));
    }

    [GeneratedRegex(@"http://\S+/notifications/unsubscribe\?token=[0-9a-f]{32}")]
    private static partial Regex Unsubscribe();
}
