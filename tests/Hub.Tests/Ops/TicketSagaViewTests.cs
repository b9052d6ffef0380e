using System.Net.Http.Json;
using System.Text.Json;
using Hub.Adapters.Identity;
using Hub.Infrastructure.Access;
using Hub.Tests.ServiceTickets;
using Hub.TestSupport;

namespace Hub.Tests.Ops;

/// <summary>The operations view lists service ticket sagas with their state, history, pending timeouts and messages.</summary>
[Collection("embedded")]
public sealed class TicketSagaViewTests(EmbeddedHubFixture hub)
{
    [Fact]
    public async Task A_ticket_saga_is_found_by_its_number_with_its_history_and_pending_deadline()
    {
        using var rep = await hub.SignInAsync("rep-" + Guid.NewGuid().ToString("N")[..8], MobileRoles.Salesperson, "office-ops-" + Guid.NewGuid().ToString("N")[..6]);
        var opened = await rep.PostAsync("/api/v1/service-tickets", ServiceTicketApiTests.NewTicket());
        opened.EnsureSuccessStatusCode();
        var ticket = await opened.Content.ReadFromJsonAsync<JsonElement>();
        var number = ticket.GetProperty("ticketNumber").GetString()!;

        using var ops = await OpsTestUsers.SignInAsync(hub.BaseUrl, OpsRoles.Reader);
        var sagas = await Eventually.Get(() => ops.GetFromJsonAsync<JsonElement[]>($"/ops/api/sagas/service-tickets?key={number}")!,
            list => list!.Length == 1, TimeSpan.FromSeconds(30), "ticket saga listed");
        var saga = sagas![0];
        Assert.Equal("Open", saga.GetProperty("currentState").GetString());

        var detail = await Eventually.Get(() => ops.GetFromJsonAsync<JsonElement>($"/ops/api/sagas/service-tickets/{saga.GetProperty("correlationId").GetGuid()}"),
            d => d.GetProperty("history").GetArrayLength() > 0 && d.GetProperty("messages").GetArrayLength() > 0, TimeSpan.FromSeconds(30), "history audited");
        Assert.Equal("Open", detail.GetProperty("history")[0].GetProperty("status").GetString());
        Assert.NotEmpty(detail.GetProperty("timeouts").EnumerateArray());
    }
}
