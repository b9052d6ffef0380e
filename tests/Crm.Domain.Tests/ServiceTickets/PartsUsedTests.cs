using Crm.Domain.ServiceTickets;

namespace Crm.Domain.Tests.ServiceTickets;

public class PartsUsedTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.FromHours(8));

    private static StateChangeCause By(string actor, int minutes) => new(actor, Now.AddMinutes(minutes));

    private static ServiceTicket Accepted()
    {
        var ticket = ServiceTicket.Open(Guid.NewGuid(), Guid.NewGuid(), IntakeChannel.Mobile, ServiceTicketKind.Request, "Pump hums",
            "Lift stays down", "TL-2000", null, By("agent-07", 0));
        ticket.Submit(By("agent-07", 1));
        ticket.Dispatch("office-wuhan", By("tech-liu", 2));
        ticket.AssignEngineer(Guid.NewGuid(), "engineer-zhang", By("supervisor-wu", 3));
        ticket.Accept(By("engineer-zhang", 4));
        return ticket;
    }

    [Fact]
    public void Completion_records_the_parts_fitted_on_the_field_work_order()
    {
        var ticket = Accepted();
        ticket.CompleteRepair(RepairOutcome.PartsReplaced, "New pump fitted", [new PartUsed(" PUMP-7 ", 1), new PartUsed("SEAL-2", 4)], By("engineer-zhang", 90));

        var order = ticket.FieldWorkOrders.Single();
        Assert.Equal(FieldWorkOrderStatus.Completed, order.Status);
        Assert.Equal([new PartUsed("PUMP-7", 1), new PartUsed("SEAL-2", 4)], order.PartsUsed);
    }

    [Fact]
    public void Bad_parts_lines_are_refused_field_by_field_and_nothing_changes()
    {
        var ticket = Accepted();
        var ex = Assert.Throws<DomainRuleViolation>(() => ticket.CompleteRepair(RepairOutcome.PartsReplaced, "New pump",
            [new PartUsed("", 1), new PartUsed("SEAL-2", 0)], By("engineer-zhang", 90)));

        Assert.Contains("partsUsed[0].partCode", ex.Errors.Keys);
        Assert.Contains("partsUsed[1].quantity", ex.Errors.Keys);
        Assert.Equal(ServiceTicketStatus.Accepted, ticket.Status);
        Assert.Empty(ticket.FieldWorkOrders.Single().PartsUsed);
    }

    [Fact]
    public void The_same_part_twice_is_refused()
    {
        var ticket = Accepted();
        var ex = Assert.Throws<DomainRuleViolation>(() => ticket.CompleteRepair(RepairOutcome.PartsReplaced, "New pump",
            [new PartUsed("SEAL-2", 1), new PartUsed("seal-2", 2)], By("engineer-zhang", 90)));
        Assert.Contains("partsUsed", ex.Errors.Keys);
    }
}
