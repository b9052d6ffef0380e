using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Adapters.Identity;
using Hub.TestSupport;

namespace Hub.Tests.Schedule;

/// <summary>The signed-in user's schedule (<c>/api/v1/me/schedule</c>) over the embedded hub's HTTP pipeline: CRUD, scope, ETags, idempotency, validation.</summary>
[Collection("embedded")]
public sealed class ScheduleApiTests(EmbeddedHubFixture hub)
{
    private const string Schedule = "/api/v1/me/schedule";
    private static readonly DateTimeOffset Monday = new(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(8));

    private static string Id(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..6];

    private static object Visit(string? customerCode, DateTimeOffset startsAt, string title = "Quarterly review", string kind = "CustomerVisit") => new
    {
        kind, title, startsAt, endsAt = startsAt.AddHours(1), customerCode, location = "Pudong office", notes = "bring the price book",
    };

    private async Task<string> OwnCustomer(MobileSession phone)
    {
        var code = "S" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var created = await phone.PostAsync("/api/v1/customers", Customers.CustomersApiTests.NewCustomer(code, "上海浦东物流有限公司 " + code, "021-5888-" + Random.Shared.Next(1000, 9999)));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return code;
    }

    private static async Task<(JsonElement Body, string ETag)> Created(Task<HttpResponseMessage> call)
    {
        var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return (JsonDocument.Parse(text).RootElement.Clone(), response.Headers.ETag!.Tag);
    }

    private static Task<HttpResponseMessage> Send(MobileSession phone, HttpMethod method, string path, string? etag, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (etag is not null)
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        return phone.Http.SendAsync(request);
    }

    private static async Task<JsonElement> List(MobileSession phone, DateTimeOffset from, DateTimeOffset to) =>
        await phone.Http.GetFromJsonAsync<JsonElement>($"{Schedule}?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}");

    [Fact]
    public async Task Appointment_is_created_read_listed_by_date_range_updated_and_deleted_by_its_owner()
    {
        using var phone = await hub.SignInAsync(Id("sales"));
        var customer = await OwnCustomer(phone);

        var (created, etag) = await Created(phone.PostAsync(Schedule, Visit(customer, Monday)));
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal(("CustomerVisit", customer, Monday.UtcDateTime), (created.GetProperty("kind").GetString(), created.GetProperty("customerCode").GetString(),
            created.GetProperty("startsAt").GetDateTimeOffset().UtcDateTime));
        await Created(phone.PostAsync(Schedule, Visit(null, Monday.AddDays(1), "Team meeting", "Meeting")));

        var read = await phone.Http.GetAsync($"{Schedule}/{id}");
        Assert.Equal(etag, read.Headers.ETag!.Tag);
        var monday = await List(phone, Monday.AddHours(-2), Monday.AddHours(12));
        Assert.Equal([id], monday.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetGuid()));
        var week = await List(phone, Monday.AddHours(-2), Monday.AddDays(7));
        Assert.Equal(["Quarterly review", "Team meeting"], week.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("title").GetString()));
        Assert.Equal(0, (await List(phone, Monday.AddDays(-7), Monday.AddHours(-1))).GetProperty("total").GetInt32());

        var moved = await Send(phone, HttpMethod.Put, $"{Schedule}/{id}", etag, Visit(customer, Monday.AddHours(3), "Quarterly review (moved)"));
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var updated = await moved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((2L, Monday.AddHours(3).UtcDateTime), (updated.GetProperty("version").GetInt64(), updated.GetProperty("startsAt").GetDateTimeOffset().UtcDateTime));

        var deleted = await Send(phone, HttpMethod.Delete, $"{Schedule}/{id}", moved.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await phone.Http.GetAsync($"{Schedule}/{id}")).StatusCode);
    }

    [Fact]
    public async Task Search_finds_appointments_by_title_customer_or_sealed_location_and_pages_the_matches()
    {
        using var phone = await hub.SignInAsync(Id("sales"));
        object At(DateTimeOffset startsAt, string title, string location) => new
        {
            kind = "CustomerVisit", title, startsAt, endsAt = startsAt.AddHours(1), customerCode = (string?)null, location, notes = (string?)null,
        };
        // The location is sealed at rest: the search reads the window opened, so a part of it is found as before.
        await Created(phone.PostAsync(Schedule, At(Monday, "Visit A", "张江路88号 3楼")));
        await Created(phone.PostAsync(Schedule, At(Monday.AddHours(2), "张江路 walk-in", "Pudong office")));
        await Created(phone.PostAsync(Schedule, At(Monday.AddHours(4), "Visit C", "Xuhui office")));
        string Query(string q, int page) =>
            $"{Schedule}?from={Uri.EscapeDataString(Monday.AddHours(-1).ToString("O"))}&to={Uri.EscapeDataString(Monday.AddDays(1).ToString("O"))}&q={Uri.EscapeDataString(q)}&pageSize=1&page={page}";

        var first = await phone.Http.GetFromJsonAsync<JsonElement>(Query("张江路", 1));
        var second = await phone.Http.GetFromJsonAsync<JsonElement>(Query("张江路", 2));
        Assert.Equal((2, 2), (first.GetProperty("total").GetInt32(), second.GetProperty("total").GetInt32()));
        Assert.Equal(["Visit A", "张江路 walk-in"], new[] { first, second }.Select(p => p.GetProperty("items").EnumerateArray().Single().GetProperty("title").GetString()));
        var office = await phone.Http.GetFromJsonAsync<JsonElement>(Query("office", 1));
        Assert.Equal(2, office.GetProperty("total").GetInt32());
        Assert.Equal(0, (await phone.Http.GetFromJsonAsync<JsonElement>(Query("Hangzhou", 1))).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Another_users_appointment_answers_404_to_read_update_and_delete_and_is_not_listed()
    {
        using var owner = await hub.SignInAsync(Id("sales"));
        using var other = await hub.SignInAsync(Id("sup"), MobileRoles.OfficeSupervisor);
        var (created, etag) = await Created(owner.PostAsync(Schedule, Visit(null, Monday, "Call the dealer", "Call")));
        var path = $"{Schedule}/{created.GetProperty("id").GetGuid()}";

        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(other, HttpMethod.Put, path, etag, Visit(null, Monday, "hijacked", "Call"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(other, HttpMethod.Delete, path, etag)).StatusCode);
        Assert.Equal(0, (await List(other, Monday.AddHours(-1), Monday.AddHours(2))).GetProperty("total").GetInt32());
        Assert.Equal("Call the dealer", (await owner.Http.GetFromJsonAsync<JsonElement>(path)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Stale_if_match_is_412_missing_is_428_and_the_appointment_is_unchanged()
    {
        using var phone = await hub.SignInAsync(Id("sales"));
        var (created, first) = await Created(phone.PostAsync(Schedule, Visit(null, Monday, "Plan", "Meeting")));
        var path = $"{Schedule}/{created.GetProperty("id").GetGuid()}";
        // The first phone moves it; the second still holds the first ETag.
        Assert.Equal(HttpStatusCode.OK, (await Send(phone, HttpMethod.Put, path, first, Visit(null, Monday.AddHours(1), "Plan A", "Meeting"))).StatusCode);

        var stale = await Send(phone, HttpMethod.Put, path, first, Visit(null, Monday.AddHours(2), "Plan B", "Meeting"));
        var missing = await Send(phone, HttpMethod.Put, path, null, Visit(null, Monday.AddHours(2), "Plan B", "Meeting"));
        var staleDelete = await Send(phone, HttpMethod.Delete, path, first);

        Assert.Equal((HttpStatusCode.PreconditionFailed, HttpStatusCode.PreconditionRequired, HttpStatusCode.PreconditionFailed),
            (stale.StatusCode, missing.StatusCode, staleDelete.StatusCode));
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);
        var now = await phone.Http.GetFromJsonAsync<JsonElement>(path);
        Assert.Equal(("Plan A", 2L), (now.GetProperty("title").GetString(), now.GetProperty("version").GetInt64()));
    }

    [Fact]
    public async Task Retried_post_with_the_same_idempotency_key_creates_one_appointment()
    {
        using var phone = await hub.SignInAsync(Id("sales"));
        var key = Guid.NewGuid().ToString();
        var body = Visit(null, Monday, "Call back", "Call");

        var (first, _) = await Created(phone.PostAsync(Schedule, body, key));
        var retry = await phone.PostAsync(Schedule, body, key);
        var (second, _) = await Created(Task.FromResult(retry));
        var otherBody = await phone.PostAsync(Schedule, Visit(null, Monday, "Something else", "Call"), key);

        Assert.Equal(first.GetProperty("id").GetGuid(), second.GetProperty("id").GetGuid());
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherBody.StatusCode);
        Assert.Equal(1, (await List(phone, Monday.AddHours(-1), Monday.AddHours(2))).GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, (await phone.Http.PostAsJsonAsync(Schedule, body)).StatusCode);
    }

    [Fact]
    public async Task Reminder_is_pushed_before_the_appointment_starts_and_not_for_a_version_that_was_moved()
    {
        using var phone = await hub.SignInAsync(Id("sales"));
        await using var stream = await phone.OpenStreamAsync();
        // The default lead is 15 minutes: these are due a few seconds from now.
        var soon = DateTimeOffset.UtcNow.AddMinutes(15).AddSeconds(3);
        var (moved, etag) = await Created(phone.PostAsync(Schedule, Visit(null, soon, "Moved away", "Call")));
        Assert.Equal(HttpStatusCode.OK, (await Send(phone, HttpMethod.Put, $"{Schedule}/{moved.GetProperty("id").GetGuid()}", etag,
            Visit(null, soon.AddDays(1), "Moved away", "Call"))).StatusCode);
        var (kept, _) = await Created(phone.PostAsync(Schedule, Visit(null, soon.AddSeconds(1), "Call the dealer", "Call")));

        var reminder = await stream.WaitFor(e => e.Event == "schedule.reminder", TimeSpan.FromSeconds(30));

        Assert.Equal(kept.GetProperty("id").GetGuid(), reminder.Json.GetProperty("id").GetGuid());
        Assert.DoesNotContain(stream.Drain(), e => e.Event == "schedule.reminder");
    }

    [Fact]
    public async Task Invalid_appointments_and_ranges_come_back_as_field_errors()
    {
        using var phone = await hub.SignInAsync(Id("sales"));
        using var colleague = await hub.SignInAsync(Id("sales"));
        var theirs = await OwnCustomer(colleague);

        var bad = await phone.PostAsync(Schedule, new { kind = "Lunch", title = " ", startsAt = Monday, endsAt = Monday.AddMinutes(-30), customerCode = theirs });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["customerCode", "endsAt", "kind", "title"], errors.EnumerateObject().Select(e => e.Name).Order());
        Assert.Contains(theirs, errors.GetProperty("customerCode")[0].GetString());

        var unknown = await phone.PostAsync(Schedule, Visit("NO-SUCH-CUSTOMER", Monday));
        Assert.True((await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("customerCode", out _));
        var missingTimes = await phone.PostAsync(Schedule, new { kind = "Call", title = "Call" });
        Assert.Equal(["endsAt", "startsAt"], (await missingTimes.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());

        var backwards = await phone.Http.GetAsync($"{Schedule}?from=2026-12-08T00:00:00Z&to=2026-12-07T00:00:00Z");
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.True((await backwards.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("to", out _));
        Assert.Equal(0, (await List(phone, Monday.AddDays(-1), Monday.AddDays(1))).GetProperty("total").GetInt32());
    }
}
