using System.Net.Http.Json;
using System.Text.Json;
using Hub.Adapters.Identity;
using Hub.TestSupport;

namespace Hub.Tests.Schedule;

/// <summary>The signed-in user's tasks (<c>/api/v1/me/tasks</c>), derived from the service tickets as they move, over the embedded hub.</summary>
[Collection("embedded")]
public sealed class UserTasksApiTests(EmbeddedHubFixture hub)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static string Id(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..6];

    private static Task<HttpResponseMessage> Step(MobileSession phone, string path, string etag, object? body = null) =>
        ServiceTickets.ServiceTicketApiTests.Step(phone, path, etag, body);

    private static Task<(JsonElement Ticket, string ETag)> Ok(Task<HttpResponseMessage> call) => ServiceTickets.ServiceTicketApiTests.Ok(call);

    /// <summary>The caller's tasks of <paramref name="kind"/> naming <paramref name="reference"/>, once <paramref name="done"/> holds for them.</summary>
    private static Task<JsonElement[]> TasksOnceThey(MobileSession phone, string kind, string reference, Func<JsonElement[], bool> done, string what) =>
        Eventually.Get(async () => (await phone.Http.GetFromJsonAsync<JsonElement>($"/api/v1/me/tasks?kind={kind}&q={reference}"))
            .GetProperty("items").EnumerateArray().ToArray(), done, Wait, what);

    [Fact]
    public async Task Tasks_follow_the_ticket_review_dispatch_field_work_order_and_follow_up_and_disappear_when_done()
    {
        var office = Id("wh");
        using var rep = await hub.SignInAsync(Id("rep"), MobileRoles.Salesperson, office);
        using var supervisor = await hub.SignInAsync(Id("sup"), MobileRoles.OfficeSupervisor, office);
        using var engineer = await hub.SignInAsync(Id("eng"), MobileRoles.Engineer, office);
        using var otherEngineer = await hub.SignInAsync(Id("eng"), MobileRoles.Engineer, office);
        var (ticket, etag) = await Ok(rep.PostAsync("/api/v1/service-tickets", ServiceTickets.ServiceTicketApiTests.NewTicket()));
        var id = ticket.GetProperty("ticketId").GetGuid();
        var number = ticket.GetProperty("ticketNumber").GetString()!;
        var path = $"/api/v1/service-tickets/{id}";

        // Submitted: the supervisor of the representative's office has it to review.
        (_, etag) = await Ok(Step(rep, $"{path}/submit", etag));
        var review = await TasksOnceThey(supervisor, "ticket-to-review", number, t => t.Length == 1, "ticket to review");
        Assert.Equal(path, review[0].GetProperty("link").GetString());
        Assert.Equal(JsonValueKind.String, review[0].GetProperty("dueAt").ValueKind);

        // Dispatched to the office: now it waits for an engineer.
        (_, etag) = await Ok(Step(supervisor, $"{path}/dispatch", etag, new { officeId = office }));
        await TasksOnceThey(supervisor, "ticket-to-review", number, t => t.Length == 0, "review done");
        await TasksOnceThey(supervisor, "ticket-to-assign", number, t => t.Length == 1, "ticket to assign");

        // Assigned: the engineer's task, due when the Assigned deadline (2 h by default) runs out; nobody else's.
        var before = DateTimeOffset.UtcNow;
        (ticket, etag) = await Ok(Step(supervisor, $"{path}/assign", etag, new { engineerUserId = engineer.UserId }));
        var fieldWorkOrder = ticket.GetProperty("fieldWorkOrders").EnumerateArray().Last();
        var fwoId = fieldWorkOrder.GetProperty("fieldWorkOrderId").GetString()!;
        var fwoNumber = fieldWorkOrder.GetProperty("number").GetString()!;
        var job = Assert.Single(await TasksOnceThey(engineer, "field-work-order", fwoNumber, t => t.Length == 1, "field work order task"));
        Assert.Equal(($"/api/v1/field-work-orders/{fwoId}", "Issued"), (job.GetProperty("link").GetString(), job.GetProperty("status").GetString()));
        var due = job.GetProperty("dueAt").GetDateTimeOffset();
        Assert.InRange(due, before.AddHours(2).AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(2).AddMinutes(1));
        Assert.Empty((await otherEngineer.Http.GetFromJsonAsync<JsonElement>("/api/v1/me/tasks")).GetProperty("items").EnumerateArray());
        await TasksOnceThey(supervisor, "ticket-to-assign", number, t => t.Length == 0, "assigned");

        // Accepted and completed: the task goes; the complaint's follow-up visit becomes the representative's.
        (_, etag) = await Ok(Step(engineer, $"/api/v1/field-work-orders/{fwoId}/accept", etag));
        await TasksOnceThey(engineer, "field-work-order", fwoNumber, t => t.Length == 1 && t[0].GetProperty("status").GetString() == "Accepted", "accepted");
        await Ok(Step(engineer, $"/api/v1/field-work-orders/{fwoId}/complete", etag,
            new { outcome = "RepairedOnSite", report = "Valve replaced", partsUsed = new[] { new { partCode = "VALVE-2", quantity = 1 } } }));
        await TasksOnceThey(engineer, "field-work-order", fwoNumber, t => t.Length == 0, "field work order done");
        var followUp = Assert.Single(await TasksOnceThey(rep, "follow-up-visit", number, t => t.Length == 1, "follow-up visit due"));
        Assert.Equal(path, followUp.GetProperty("link").GetString());
    }

    [Fact]
    public async Task Bad_paging_is_a_validation_problem()
    {
        using var phone = await hub.SignInAsync(Id("eng"), MobileRoles.Engineer);
        var response = await phone.Http.GetAsync("/api/v1/me/tasks?pageSize=1000");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("pageSize", out _));
    }
}
