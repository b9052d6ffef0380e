using Crm.Contracts.Customers;
using Crm.Contracts.ServiceTickets;
using Hub.TestSupport;

namespace Hub.Tests.ServiceTickets;

/// <summary>
/// Whether a solved ticket gets a follow-up visit or is closed is the domain's customer-level rule (complaints, and anything of a key
/// customer): the ticket endpoint asks it at intake and the saga acts on it; a ticket taken for a customer merged away lands with its survivor.
/// </summary>
public sealed class ServiceTicketFollowUpRuleTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private EndpointsHarness _hub = null!;

    public async Task InitializeAsync() => _hub = await EndpointsHarness.StartAsync();

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private async Task<(Guid Id, string Code)> Customer(string valueGrade, string kind = "Direct")
    {
        var id = Guid.NewGuid();
        var code = Dealers.DealerEndpointTests.Code("C");
        Assert.IsType<CustomerCommandAccepted>(await _hub.Send<RegisterCustomer, CustomerCommandAccepted, CustomerCommandRejected>(new RegisterCustomer(
            Guid.NewGuid(), id, new CustomerProfileData(code, "华信 " + code, kind), "sales-li", null, "sales-li")));
        Assert.IsType<CustomerCommandAccepted>(await _hub.Send<GradeCustomer, CustomerCommandAccepted, CustomerCommandRejected>(
            new GradeCustomer(Guid.NewGuid(), id, valueGrade, "A", null, "sup-zhao")));
        return (id, code);
    }

    private async Task<ServiceTicketDetails> Open((Guid Id, string Code) customer, string kind = "Request") =>
        Assert.IsType<ServiceTicketDetails>(await _hub.Send<OpenServiceTicket, ServiceTicketDetails, ServiceTicketCommandRejected>(new OpenServiceTicket(
            Guid.NewGuid(), customer.Id, customer.Code, null, "Phone", kind, "Lift stays down", "Pump hums", null, null, false, "agent-07", DateTimeOffset.UtcNow)));

    private async Task Resolve(ServiceTicketDetails ticket) =>
        Assert.IsType<ServiceTicketDetails>(await _hub.Send<ResolveServiceTicketOnCall, ServiceTicketDetails, ServiceTicketCommandRejected>(
            new ResolveServiceTicketOnCall(ticket.TicketId, Guid.NewGuid(), "agent-07", "Reset the pump", ticket.Version, DateTimeOffset.UtcNow)));

    [Fact]
    public async Task A_request_of_a_key_customer_is_followed_up_and_one_of_an_ordinary_customer_is_closed()
    {
        var key = await Open(await Customer("A", kind: "Dealer"));
        var ordinary = await Open(await Customer("C"));
        var unknown = await Open((Guid.NewGuid(), "C-NOT-ON-RECORD"));
        Assert.Equal((true, false, false), (key.FollowUpWanted, ordinary.FollowUpWanted, unknown.FollowUpWanted));

        await Resolve(key);
        await Resolve(ordinary);

        await Eventually.Get(() => Task.FromResult(_hub.Harness.Sent.Select<ScheduleServiceTicketFollowUp>().Any(m => m.Context.Message.TicketId == key.TicketId)),
            sent => sent, Wait, "the key customer's follow-up visit asked for");
        await Eventually.Get(() => Task.FromResult(_hub.Harness.Sent.Select<CloseServiceTicket>().Any(m => m.Context.Message.TicketId == ordinary.TicketId)),
            sent => sent, Wait, "the ordinary customer's ticket closed");
        Assert.DoesNotContain(_hub.Harness.Sent.Select<CloseServiceTicket>(), m => m.Context.Message.TicketId == key.TicketId);
        Assert.DoesNotContain(_hub.Harness.Sent.Select<ScheduleServiceTicketFollowUp>(), m => m.Context.Message.TicketId == ordinary.TicketId);
    }

    [Fact]
    public async Task A_complaint_is_followed_up_whatever_the_customer()
    {
        var complaint = await Open(await Customer("C"), kind: "Complaint");
        Assert.True(complaint.FollowUpWanted);
    }

    [Fact]
    public async Task A_ticket_taken_for_a_customer_merged_away_lands_with_the_survivor_and_its_grade()
    {
        var survivor = await Customer("A");
        var duplicate = await Customer("C");
        Assert.IsType<CustomerCommandAccepted>(await _hub.Send<MergeCustomers, CustomerCommandAccepted, CustomerCommandRejected>(
            new MergeCustomers(Guid.NewGuid(), survivor.Id, duplicate.Id, "sup-zhao")));

        var late = await Open(duplicate);

        Assert.Equal((survivor.Id, survivor.Code, true), (late.CustomerId, late.CustomerCode, late.FollowUpWanted));
    }
}
