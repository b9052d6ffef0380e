using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hub.Adapters.Identity;
using Hub.TestSupport;

namespace Hub.Tests.ServiceTickets;

/// <summary>Service tickets and field work orders over the mobile REST API of the embedded hub: lifecycle, scope, ETags, idempotency.</summary>
[Collection("embedded")]
public sealed class ServiceTicketApiTests(EmbeddedHubFixture hub)
{
    private static string Id(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..6];

    internal static object NewTicket(string kind = "Complaint", string customer = "C1001") => new
    {
        customerId = Guid.NewGuid(),
        customerCode = customer,
        kind,
        subject = "Tail lift does not rise",
        description = "Hydraulic pump hums but the lift stays down",
        productCode = "TL-2000",
    };

    /// <summary>The staff of one office: a representative, its supervisor and two engineers.</summary>
    private sealed class Office(string name, MobileSession rep, MobileSession supervisor, MobileSession zhang, MobileSession li) : IDisposable
    {
        public string Name { get; } = name;
        public MobileSession Rep { get; } = rep;
        public MobileSession Supervisor { get; } = supervisor;
        public MobileSession Zhang { get; } = zhang;
        public MobileSession Li { get; } = li;

        public void Dispose()
        {
            Rep.Dispose();
            Supervisor.Dispose();
            Zhang.Dispose();
            Li.Dispose();
        }
    }

    private async Task<Office> StaffAsync()
    {
        var office = Id("wh");
        return new Office(office,
            await hub.SignInAsync(Id("rep"), MobileRoles.Salesperson, office),
            await hub.SignInAsync(Id("sup"), MobileRoles.OfficeSupervisor, office),
            await hub.SignInAsync(Id("eng"), MobileRoles.Engineer, office),
            await hub.SignInAsync(Id("eng"), MobileRoles.Engineer, office));
    }

    /// <summary>POSTs with an <c>If-Match</c> of <paramref name="etag"/> and a fresh (or given) idempotency key.</summary>
    internal static Task<HttpResponseMessage> Step(MobileSession phone, string path, string? etag, object? body = null, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body ?? new { }) };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        if (etag is not null)
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        return phone.Http.SendAsync(request);
    }

    /// <summary>Takes a step that must succeed; returns the ticket and its new ETag.</summary>
    internal static async Task<(JsonElement Ticket, string ETag)> Ok(Task<HttpResponseMessage> call)
    {
        var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return (JsonDocument.Parse(text).RootElement.Clone(), response.Headers.ETag!.Tag);
    }

    private static string Current(JsonElement ticket) =>
        ticket.GetProperty("fieldWorkOrders").EnumerateArray().Last().GetProperty("fieldWorkOrderId").GetString()!;

    [Fact]
    public async Task Complaint_goes_through_decline_reassignment_factory_return_completion_and_follow_up_to_closed()
    {
        using var office = await StaffAsync();
        var (ticket, etag) = await Ok(office.Rep.PostAsync("/api/v1/service-tickets", NewTicket()));
        var id = ticket.GetProperty("ticketId").GetGuid();
        Assert.Equal("Open", ticket.GetProperty("status").GetString());
        var path = $"/api/v1/service-tickets/{id}";

        (_, etag) = await Ok(Step(office.Rep, $"{path}/submit", etag));
        (ticket, etag) = await Ok(Step(office.Supervisor, $"{path}/dispatch", etag, new { officeId = office.Name }));
        Assert.Equal("Dispatched", ticket.GetProperty("status").GetString());

        (ticket, etag) = await Ok(Step(office.Supervisor, $"{path}/assign", etag, new { engineerUserId = office.Zhang.UserId, siteAddress = "Wuhan depot 3" }));
        var first = Current(ticket);
        // Zhang declines: back to the supervisor, who gives the job to Li.
        (ticket, etag) = await Ok(Step(office.Zhang, $"/api/v1/field-work-orders/{first}/decline", etag, new { reason = "on leave" }));
        Assert.Equal("Dispatched", ticket.GetProperty("status").GetString());
        (ticket, etag) = await Ok(Step(office.Supervisor, $"{path}/assign", etag, new { engineerUserId = office.Li.UserId }));
        var second = Current(ticket);
        (_, etag) = await Ok(Step(office.Li, $"/api/v1/field-work-orders/{second}/accept", etag));
        // Li finds the pump must go back to the factory; the supervisor reassigns Li on a new order for the refit.
        (ticket, etag) = await Ok(Step(office.Li, $"/api/v1/field-work-orders/{second}/parts-needed", etag, new { need = "ReturnToFactory", note = "pump cracked" }));
        Assert.Equal("AwaitingParts", ticket.GetProperty("status").GetString());
        (ticket, etag) = await Ok(Step(office.Supervisor, $"{path}/assign", etag, new { engineerUserId = office.Li.UserId }));
        var third = Current(ticket);
        (_, etag) = await Ok(Step(office.Li, $"/api/v1/field-work-orders/{third}/accept", etag));
        (ticket, _) = await Ok(Step(office.Li, $"/api/v1/field-work-orders/{third}/complete", etag,
            new { outcome = "RepairedAtFactory", report = "Pump refitted", partsUsed = new[] { new { partCode = "PUMP-7", quantity = 1 } } }));
        Assert.Equal("Completed", ticket.GetProperty("status").GetString());
        var orders = ticket.GetProperty("fieldWorkOrders").EnumerateArray().Select(f => f.GetProperty("status").GetString()!).ToArray();
        Assert.Equal(["Declined", "NeedsParts", "Completed"], orders);
        Assert.Equal("PUMP-7", ticket.GetProperty("fieldWorkOrders")[2].GetProperty("partsUsed")[0].GetProperty("partCode").GetString());

        // A complaint is followed up: the saga schedules the visit, the representative records the answer.
        var following = await Eventually.Get(() => office.Rep.Http.GetFromJsonAsync<JsonElement>(path),
            t => t.GetProperty("status").GetString() == "FollowingUp", TimeSpan.FromSeconds(30), "following up");
        (ticket, _) = await Ok(Step(office.Rep, $"{path}/follow-up", EntityTag(following), new { satisfaction = 5, remarks = "quick" }));
        Assert.Equal("Closed", ticket.GetProperty("status").GetString());
        Assert.Equal(5, ticket.GetProperty("followUpVisits")[0].GetProperty("satisfaction").GetInt32());

        // The lists follow: the ticket in the supervisor's office list, Li's orders in Li's list.
        await Eventually.Get(() => office.Supervisor.Http.GetFromJsonAsync<JsonElement>($"/api/v1/service-tickets?status=Closed&q={ticket.GetProperty("ticketNumber").GetString()}"),
            p => p.GetProperty("total").GetInt32() == 1, TimeSpan.FromSeconds(20), "closed ticket listed for the supervisor");
        var mine = await Eventually.Get(() => office.Li.Http.GetFromJsonAsync<JsonElement>("/api/v1/field-work-orders"),
            p => p.GetProperty("items").EnumerateArray().Any(f => f.GetProperty("status").GetString() == "Completed"), TimeSpan.FromSeconds(20), "Li's orders");
        Assert.Equal(2, mine.GetProperty("total").GetInt32());
        var zhangs = await office.Zhang.Http.GetFromJsonAsync<JsonElement>("/api/v1/field-work-orders");
        Assert.Equal("Declined", zhangs.GetProperty("items").EnumerateArray().Single().GetProperty("status").GetString());
    }

    [Fact]
    public async Task Others_records_answer_404_and_a_wrong_role_403()
    {
        using var office = await StaffAsync();
        using var stranger = await hub.SignInAsync(Id("rep"), MobileRoles.Salesperson, Id("other"));
        using var otherSupervisor = await hub.SignInAsync(Id("sup"), MobileRoles.OfficeSupervisor, Id("other"));
        var (ticket, etag) = await Ok(office.Rep.PostAsync("/api/v1/service-tickets", NewTicket("Request")));
        var path = $"/api/v1/service-tickets/{ticket.GetProperty("ticketId").GetGuid()}";

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherSupervisor.Http.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Step(stranger, $"{path}/submit", etag)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await office.Supervisor.Http.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.Zhang.Http.GetAsync(path)).StatusCode);

        (_, etag) = await Ok(Step(office.Rep, $"{path}/submit", etag));
        Assert.Equal(HttpStatusCode.Forbidden, (await Step(office.Rep, $"{path}/dispatch", etag, new { officeId = office.Name })).StatusCode);
        (_, etag) = await Ok(Step(office.Supervisor, $"{path}/dispatch", etag, new { officeId = office.Name }));
        (ticket, _) = await Ok(Step(office.Supervisor, $"{path}/assign", etag, new { engineerUserId = office.Zhang.UserId }));
        var order = $"/api/v1/field-work-orders/{Current(ticket)}";

        Assert.Equal(HttpStatusCode.OK, (await office.Zhang.Http.GetAsync(order)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await office.Zhang.Http.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.Li.Http.GetAsync(order)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Step(office.Li, $"{order}/accept", "*")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherSupervisor.Http.GetAsync(order)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.GetAsync($"/api/v1/service-tickets/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(0, (await stranger.Http.GetFromJsonAsync<JsonElement>("/api/v1/service-tickets")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Stale_if_match_is_412_missing_is_428_and_the_ticket_is_unchanged()
    {
        using var office = await StaffAsync();
        var (ticket, etag) = await Ok(office.Rep.PostAsync("/api/v1/service-tickets", NewTicket("Request")));
        var path = $"/api/v1/service-tickets/{ticket.GetProperty("ticketId").GetGuid()}";
        var (_, submitted) = await Ok(Step(office.Rep, $"{path}/submit", etag));

        var stale = await Step(office.Supervisor, $"{path}/withdraw", etag, new { reason = "customer fixed it" });
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);
        Assert.Equal(submitted, stale.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await Step(office.Rep, $"{path}/withdraw", null, new { reason = "x" })).StatusCode);
        Assert.Equal("AwaitingReview", (await office.Rep.Http.GetFromJsonAsync<JsonElement>(path)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Retried_steps_replay_the_first_answer_and_take_effect_once()
    {
        using var office = await StaffAsync();
        var key = Guid.NewGuid().ToString();
        var body = NewTicket("Request");
        var first = await office.Rep.PostAsync("/api/v1/service-tickets", body, key);
        // The retry comes through the unversioned alias, as an older app build would send it.
        var retry = await office.Rep.PostAsync("/api/service-tickets", body, key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        var (ticket, etag) = await Ok(Task.FromResult(first));
        var path = $"/api/v1/service-tickets/{ticket.GetProperty("ticketId").GetGuid()}";

        var stepKey = Guid.NewGuid().ToString();
        var (_, afterSubmit) = await Ok(Step(office.Rep, $"{path}/submit", etag, key: stepKey));
        var again = await Step(office.Rep, $"{path}/submit", etag, key: stepKey);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());

        var now = await office.Rep.Http.GetFromJsonAsync<JsonElement>(path);
        Assert.Equal(2, now.GetProperty("history").GetArrayLength());
        Assert.Equal(afterSubmit, EntityTag(now));
    }

    [Fact]
    public async Task Broken_rules_come_back_as_field_errors()
    {
        using var office = await StaffAsync();
        var bad = await office.Rep.PostAsync("/api/v1/service-tickets", new { kind = "Praise", subject = "", description = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "customerId", "customerCode", "kind", "subject" })
            Assert.True(errors.TryGetProperty(field, out _), field);

        var (ticket, etag) = await Ok(office.Rep.PostAsync("/api/v1/service-tickets", NewTicket("Request")));
        var path = $"/api/v1/service-tickets/{ticket.GetProperty("ticketId").GetGuid()}";
        // Not yet submitted: dispatching it breaks the lifecycle.
        var early = await Step(office.Supervisor, $"{path}/dispatch", etag, new { officeId = office.Name });
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.True((await early.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("status", out _));
        (_, etag) = await Ok(Step(office.Rep, $"{path}/submit", etag));
        (_, etag) = await Ok(Step(office.Supervisor, $"{path}/dispatch", etag, new { officeId = office.Name }));
        var notAnEngineer = await Step(office.Supervisor, $"{path}/assign", etag, new { engineerUserId = office.Rep.UserId });
        Assert.True((await notAnEngineer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("engineerUserId", out _));
    }

    private static string EntityTag(JsonElement ticket) => $"\"{ticket.GetProperty("version").GetInt64()}\"";
}
