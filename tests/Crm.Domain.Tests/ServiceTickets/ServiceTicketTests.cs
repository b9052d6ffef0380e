using Crm.Domain.Customers;
using Crm.Domain.ServiceTickets;

namespace Crm.Domain.Tests.ServiceTickets;

public class ServiceTicketTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly FollowUpPolicy ThreeCalls = new() { MaxAttempts = 3, RetryAfter = TimeSpan.FromDays(1) };

    private static StateChangeCause By(string actor, int minutes = 1, Guid? messageId = null) => new(actor, Now.AddMinutes(minutes), messageId);

    private static ServiceTicket Open(ServiceTicketKind kind = ServiceTicketKind.Request) =>
        ServiceTicket.Open(Guid.Parse("0b9f3c5e-1d2a-4c7b-9e8f-123456789abc"), Guid.NewGuid(), IntakeChannel.Phone, kind, "Tail lift does not rise",
            "Hydraulic pump hums but the lift stays down", "TL-2000", null, By("agent-07", 0));

    private static ServiceTicket WithEngineer()
    {
        var ticket = Open();
        ticket.Submit(By("agent-07"));
        ticket.Dispatch("office-wuhan", By("tech-review-liu", 30));
        ticket.AssignEngineer(Guid.NewGuid(), "engineer-zhang", By("supervisor-wu", 60));
        return ticket;
    }

    [Fact]
    public void Ticket_number_follows_from_the_id_alone()
    {
        var ticket = Open();
        Assert.Equal("ST0B9F3C5E1D2A", ticket.Number);
        Assert.Equal(ticket.Number, ServiceTicket.NumberFor(ticket.Id));
        Assert.Equal((ServiceTicketStatus.Open, "agent-07", Now), (ticket.Status, ticket.OpenedBy, ticket.OpenedAt));
    }

    [Fact]
    public void Every_broken_intake_rule_is_reported_by_field()
    {
        var ex = Assert.Throws<DomainRuleViolation>(() => ServiceTicket.Open(Guid.Empty, Guid.Empty, (IntakeChannel)9, ServiceTicketKind.Complaint, "", " ",
            null, Guid.Empty, By("agent-07")));
        string[] expected = ["ticketId", "customerId", "channel", "subject", "description", "productInstanceId"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), ex.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_request_solved_on_the_call_is_resolved_and_can_be_closed_without_follow_up()
    {
        var ticket = Open();
        ticket.ResolveOnCall("Reset the pump fuse under the driver seat", By("agent-07", 4));
        Assert.Equal((ServiceTicketStatus.Resolved, "Reset the pump fuse under the driver seat"), (ticket.Status, ticket.Resolution));
        ticket.Close(By("agent-07", 5));
        Assert.Equal(ServiceTicketStatus.Closed, ticket.Status);
        Assert.Empty(ticket.FieldWorkOrders);
    }

    [Fact]
    public void A_request_not_solved_on_the_call_goes_through_review_to_an_office_and_an_engineer()
    {
        var ticket = WithEngineer();
        var fieldWorkOrder = Assert.Single(ticket.FieldWorkOrders);
        Assert.Equal((ServiceTicketStatus.Assigned, "office-wuhan"), (ticket.Status, ticket.OfficeId));
        Assert.Equal(("ST0B9F3C5E1D2A-F01", "engineer-zhang", "supervisor-wu", FieldWorkOrderStatus.Issued),
            (fieldWorkOrder.Number, fieldWorkOrder.EngineerId, fieldWorkOrder.IssuedBy, fieldWorkOrder.Status));

        ticket.Accept(By("engineer-zhang", 90));
        ticket.CompleteRepair(RepairOutcome.RepairedOnSite, "Replaced relay K3", By("engineer-zhang", 240));

        Assert.Equal(ServiceTicketStatus.Completed, ticket.Status);
        Assert.Equal((FieldWorkOrderStatus.Completed, RepairOutcome.RepairedOnSite), (fieldWorkOrder.Status, fieldWorkOrder.Outcome));
        Assert.Equal(
            [ServiceTicketStatus.Open, ServiceTicketStatus.AwaitingReview, ServiceTicketStatus.Dispatched, ServiceTicketStatus.Assigned, ServiceTicketStatus.Accepted, ServiceTicketStatus.Completed],
            ticket.History.Select(h => h.To));
    }

    [Fact]
    public void Only_the_engineer_the_job_is_with_may_accept_it()
    {
        var ticket = WithEngineer();
        Assert.Contains("engineerId", Assert.Throws<DomainRuleViolation>(() => ticket.Accept(By("engineer-li"))).Errors.Keys);
        Assert.Equal(ServiceTicketStatus.Assigned, ticket.Status);
    }

    [Fact]
    public void Parts_or_a_factory_return_hand_the_job_back_for_reassignment()
    {
        var ticket = WithEngineer();
        ticket.Accept(By("engineer-zhang", 90));
        ticket.NeedParts(PartsNeed.ReturnToFactory, "Cylinder scored; lift goes back to the factory", By("engineer-zhang", 120));
        Assert.Equal(ServiceTicketStatus.AwaitingParts, ticket.Status);
        Assert.Null(ticket.CurrentFieldWorkOrder);

        var second = ticket.Reassign(Guid.NewGuid(), "engineer-li", By("supervisor-wu", 60 * 24 * 5));
        ticket.Accept(By("engineer-li", 60 * 24 * 5 + 10));
        ticket.CompleteRepair(RepairOutcome.RepairedAtFactory, "Refitted repaired lift", By("engineer-li", 60 * 24 * 5 + 120));

        Assert.Equal(ServiceTicketStatus.Completed, ticket.Status);
        Assert.Equal([FieldWorkOrderStatus.NeedsParts, FieldWorkOrderStatus.Completed], ticket.FieldWorkOrders.Select(f => f.Status));
        Assert.Equal((2, "ST0B9F3C5E1D2A-F02"), (second.Sequence, second.Number));
        Assert.Equal(PartsNeed.ReturnToFactory, ticket.FieldWorkOrders[0].PartsNeed);
    }

    [Fact]
    public void Reassigning_before_acceptance_supersedes_the_open_field_work_order()
    {
        var ticket = WithEngineer();
        var second = ticket.Reassign(Guid.NewGuid(), "engineer-li", By("supervisor-wu", 70));
        Assert.Equal([FieldWorkOrderStatus.Reassigned, FieldWorkOrderStatus.Issued], ticket.FieldWorkOrders.Select(f => f.Status));
        Assert.Same(second, ticket.CurrentFieldWorkOrder);
        Assert.Same(second, ticket.Reassign(second.Id, "engineer-li", By("supervisor-wu", 71)));
        Assert.Equal(2, ticket.FieldWorkOrders.Count);
    }

    [Fact]
    public void A_declined_job_goes_back_to_the_office_supervisor()
    {
        var ticket = WithEngineer();
        ticket.Decline("On leave this week", By("engineer-zhang", 70));
        Assert.Equal(ServiceTicketStatus.Dispatched, ticket.Status);
        Assert.Equal(FieldWorkOrderStatus.Declined, ticket.FieldWorkOrders[0].Status);
        ticket.AssignEngineer(Guid.NewGuid(), "engineer-li", By("supervisor-wu", 80));
        Assert.Equal(ServiceTicketStatus.Assigned, ticket.Status);
    }

    [Fact]
    public void An_answered_follow_up_records_satisfaction_and_closes_the_ticket()
    {
        var ticket = Open();
        ticket.ResolveOnCall("Explained the manual override", By("agent-07"));
        var visit = ticket.ScheduleFollowUp(Guid.NewGuid(), "agent-12", Now.AddDays(2), By("service-manager"));
        Assert.Contains("satisfaction", Assert.Throws<DomainRuleViolation>(() => ticket.RecordFollowUpAnswered(6, null, By("agent-12"))).Errors.Keys);

        ticket.RecordFollowUpAnswered(4, "quick and polite", By("agent-12", 60 * 48));

        Assert.Equal(ServiceTicketStatus.Closed, ticket.Status);
        Assert.Equal((FollowUpStatus.Answered, 4, 1), (visit.Status, visit.Satisfaction, visit.Attempts));
    }

    [Fact]
    public void Unanswered_follow_ups_are_rescheduled_until_the_last_attempt_then_given_up()
    {
        var ticket = WithEngineer();
        ticket.Accept(By("engineer-zhang", 90));
        ticket.CompleteRepair(RepairOutcome.PartsReplaced, "New pump", By("engineer-zhang", 200));
        var visit = ticket.ScheduleFollowUp(Guid.NewGuid(), "agent-12", Now.AddDays(2), By("service-manager", 300));

        ticket.RecordFollowUpUnanswered(ThreeCalls, By("agent-12", 60 * 48));
        Assert.Equal((ServiceTicketStatus.FollowingUp, FollowUpStatus.Scheduled, 1, Now.AddDays(3)), (ticket.Status, visit.Status, visit.Attempts, visit.DueAt));
        ticket.RecordFollowUpUnanswered(ThreeCalls, By("agent-12", 60 * 72));
        ticket.RecordFollowUpUnanswered(ThreeCalls, By("agent-12", 60 * 96));

        Assert.Equal((ServiceTicketStatus.Closed, FollowUpStatus.Unreachable, 3), (ticket.Status, visit.Status, visit.Attempts));
        Assert.Equal(ServiceTicketLifecycle.Triggers.FollowUpAbandoned, ticket.History[^1].Trigger);
        Assert.Equal("unanswered, attempt 3 of 3", ticket.History[^1].Reason);
    }

    [Fact]
    public void Follow_up_attempts_never_exceed_the_policy()
    {
        Property.ForAll(seed: 30, cases: 200, random =>
        {
            var policy = new FollowUpPolicy { MaxAttempts = random.Next(1, 6), RetryAfter = TimeSpan.FromHours(random.Next(1, 48)) };
            var ticket = Open();
            ticket.ResolveOnCall("done", By("agent-07"));
            var visit = ticket.ScheduleFollowUp(Guid.NewGuid(), "agent-12", Now.AddDays(1), By("service-manager"));
            for (var i = 0; i < 8 && ticket.Status == ServiceTicketStatus.FollowingUp; i++)
                ticket.RecordFollowUpUnanswered(policy, By("agent-12", 100 + i));

            Assert.Equal(policy.MaxAttempts, visit.Attempts);
            Assert.Equal((ServiceTicketStatus.Closed, FollowUpStatus.Unreachable), (ticket.Status, visit.Status));
        });
    }

    [Fact]
    public void Complaints_and_key_customers_call_for_a_follow_up()
    {
        var ordinary = Customer.Register(Guid.NewGuid(), new CustomerProfile("C1", "华信", CustomerKind.Direct), null, Now);
        var key = Customer.Register(Guid.NewGuid(), new CustomerProfile("C2", "顺达", CustomerKind.Dealer), null, Now);
        key.Grade(ValueGrade.A, CreditGrade.AA);

        Assert.False(Open().CallsForFollowUp(ordinary));
        Assert.True(Open().CallsForFollowUp(key));
        Assert.True(Open(ServiceTicketKind.Complaint).CallsForFollowUp(ordinary));
    }

    [Fact]
    public void A_request_of_a_customer_not_on_record_is_followed_up_only_when_it_is_a_complaint()
    {
        Assert.False(Open().CallsForFollowUp(null));
        Assert.True(Open(ServiceTicketKind.Complaint).CallsForFollowUp(null));
    }

    [Fact]
    public void Whether_a_request_is_followed_up_follows_the_customer_value_grade_whatever_its_kind()
    {
        foreach (var kind in Enum.GetValues<CustomerKind>())
            foreach (var grade in Enum.GetValues<ValueGrade>())
            {
                var customer = Customer.Register(Guid.NewGuid(), new CustomerProfile("C9", "顺达", kind), null, Now);
                customer.Grade(grade, CreditGrade.A);
                Assert.Equal(grade == ValueGrade.A, Open().CallsForFollowUp(customer));
            }
    }

    [Fact]
    public void A_customer_may_withdraw_before_the_repair_starts_but_not_after()
    {
        var early = WithEngineer();
        early.Withdraw("Fixed it ourselves", By("agent-07", 70));
        Assert.Equal((ServiceTicketStatus.Withdrawn, FieldWorkOrderStatus.Withdrawn), (early.Status, early.FieldWorkOrders[0].Status));

        var late = WithEngineer();
        late.Accept(By("engineer-zhang", 90));
        var ex = Assert.Throws<DomainRuleViolation>(() => late.Withdraw("too slow", By("agent-07", 100)));
        Assert.Contains("CompleteRepair", ex.Errors["status"][0]);
    }

    [Fact]
    public void A_redelivered_message_changes_nothing()
    {
        var ticket = Open();
        var message = Guid.NewGuid();
        ticket.Submit(By("agent-07", 1, message));
        ticket.Submit(By("agent-07", 2, message));
        Assert.Equal(2, ticket.History.Count);
    }

    [Fact]
    public void The_ticket_table_reaches_every_state_and_deadlines_start_on_entry()
    {
        var table = ServiceTicketLifecycle.Default;
        var reached = new HashSet<string> { ServiceTicketStatus.Open };
        for (var grew = true; grew;)
            grew = table.Transitions.Where(t => reached.Contains(t.From)).Select(t => reached.Add(t.To)).ToArray().Any(x => x);
        Assert.Equal(table.States.ToHashSet(), reached);
        Assert.All(table.FinalStates, s => Assert.Empty(table.From(s)));

        var ticket = WithEngineer();
        Assert.Equal(Now.AddMinutes(60) + TimeSpan.FromHours(2), table.DueAt(ticket.Status, ticket.StatusChangedAt));
        var strict = ServiceTicketLifecycle.Table(new DeadlinePolicy { Within = { [ServiceTicketStatus.Assigned] = TimeSpan.FromMinutes(30) } });
        Assert.Equal(TimeSpan.FromMinutes(30), strict.Require(ServiceTicketStatus.Dispatched, ServiceTicketLifecycle.Triggers.AssignEngineer).Deadline?.Within);
        Assert.Null(strict.DeadlineIn(ServiceTicketStatus.Open));
    }

    [Fact]
    public void Random_steps_follow_the_ticket_table_or_change_nothing()
    {
        string[] engineers = ["engineer-zhang", "engineer-li"];
        Action<ServiceTicket, StateChangeCause, Random>[] steps =
        [
            (t, c, _) => t.ResolveOnCall("solved", c),
            (t, c, _) => t.Submit(c),
            (t, c, _) => t.Dispatch("office-wuhan", c),
            (t, c, _) => t.ResolveRemotely("remote fix", c),
            (t, c, r) => t.AssignEngineer(Guid.NewGuid(), r.Pick(engineers), c),
            (t, c, r) => t.Reassign(Guid.NewGuid(), r.Pick(engineers), c),
            (t, c, _) => t.Accept(c with { Actor = t.CurrentFieldWorkOrder?.EngineerId ?? "nobody" }),
            (t, c, _) => t.Decline("busy", c with { Actor = t.CurrentFieldWorkOrder?.EngineerId ?? "nobody" }),
            (t, c, _) => t.CompleteRepair(RepairOutcome.RepairedOnSite, "fixed", c with { Actor = t.CurrentFieldWorkOrder?.EngineerId ?? "nobody" }),
            (t, c, _) => t.NeedParts(PartsNeed.ReplacementParts, "pump", c with { Actor = t.CurrentFieldWorkOrder?.EngineerId ?? "nobody" }),
            (t, c, _) => t.ScheduleFollowUp(Guid.NewGuid(), "agent-12", c.At.AddDays(1), c),
            (t, c, r) => t.RecordFollowUpAnswered(r.Next(1, 6), null, c),
            (t, c, _) => t.RecordFollowUpUnanswered(ThreeCalls, c),
            (t, c, _) => t.Close(c),
            (t, c, _) => t.Withdraw("no longer needed", c),
        ];
        Property.ForAll(seed: 31, cases: 400, random =>
        {
            var ticket = Open();
            for (var i = 0; i < 30; i++)
            {
                var (before, entries, jobs) = (ticket.Status, ticket.History.Count, ticket.FieldWorkOrders.Count);
                try
                {
                    random.Pick(steps)(ticket, By("someone", i), random);
                }
                catch (DomainRuleViolation)
                {
                    Assert.Equal((before, entries, jobs), (ticket.Status, ticket.History.Count, ticket.FieldWorkOrders.Count));
                }
                foreach (var change in ticket.History.Skip(entries))
                    Assert.Equal(ServiceTicketLifecycle.Default.Require(change.From!, change.Trigger).To, change.To);
                Assert.True(ticket.FieldWorkOrders.Count(f => f.IsOpen) <= 1);
                Assert.Equal(ticket.Status is ServiceTicketStatus.Assigned or ServiceTicketStatus.Accepted, ticket.CurrentFieldWorkOrder is not null);
            }
        });
    }

    [Fact]
    public void Merging_customers_moves_the_ticket_to_the_survivor()
    {
        var ticket = Open();
        var survivor = Guid.NewGuid();
        ticket.MoveToCustomer(survivor);
        Assert.Equal(survivor, ticket.CustomerId);
    }
}
