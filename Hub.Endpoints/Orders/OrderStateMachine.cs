using Crm.Contracts.Billing;
using Crm.Contracts.Erp;
using Crm.Contracts.Orders;
using Crm.Domain;
using Crm.Domain.Orders;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Hub.Endpoints.Orders;

/// <summary>
/// The order lifecycle (000 §3.4, 003 §3.4) as the domain's <see cref="OrderLifecycle"/> table reads: Placed → approval
/// (AwaitingApproval, or Approved at once below the threshold) → Fulfilling, one work order per main product line, each billed
/// and provisioned in parallel → the join → Auditing (automatic, or waiting for a staff member's <see cref="AuditOrder"/> when
/// <see cref="OrderAuditOptions.Manual"/>) → Audited → completion reported to ERP → Completed → Archived → Closed
/// with the product instances active. ERP refusing the completion (its business answer) stops the order in CompletionRefused
/// with the reason, the owner told once, until a manager resends it (<see cref="ResendOrderCompletion"/>) or the customer cancels. A refusal, a failure after every retry, a failed audit, a missed deadline or the
/// customer's cancellation moves the order to Compensating: every charge made is reversed and every resource provisioned
/// released, also those that land late, then the order ends Failed (or Cancelled) with the reason.
/// Every step loads the <see cref="Order"/>, asks the domain and saves it with the saga in one transaction; the saga's states
/// have the domain's status names. Duplicates change nothing: commands and events carry their message id into the history,
/// and each work order's branches keep their own status.
/// </summary>
public sealed class OrderStateMachine : MassTransitStateMachine<OrderState>
{
    /// <summary>Recorded as the actor of the steps the saga takes itself.</summary>
    public const string Actor = "order-saga";

    /// <summary>Recorded as the auditor of the automatic audit.</summary>
    public const string Auditor = "order-audit";

    public State Placed { get; private set; } = null!;
    public State AwaitingApproval { get; private set; } = null!;
    public State Approved { get; private set; } = null!;
    public State Rejected { get; private set; } = null!;
    public State Fulfilling { get; private set; } = null!;
    public State Auditing { get; private set; } = null!;
    public State Audited { get; private set; } = null!;
    public State CompletionRefused { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public State Archived { get; private set; } = null!;
    public State Closed { get; private set; } = null!;
    public State Compensating { get; private set; } = null!;
    public State Failed { get; private set; } = null!;
    public State Cancelled { get; private set; } = null!;

    public Event<OrderPlaced> Submitted { get; private set; } = null!;
    public Event<ApproveOrder> ApprovalGiven { get; private set; } = null!;
    public Event<RejectOrder> ApprovalRefused { get; private set; } = null!;
    public Event<CancelOrder> CustomerCancelled { get; private set; } = null!;
    public Event<ResendOrderCompletion> CompletionResent { get; private set; } = null!;
    public Event<AuditOrder> AuditDecided { get; private set; } = null!;
    public Event<PlanOrderPayments> PaymentsPlanned { get; private set; } = null!;
    public Event<BillingChargeCreated> Charged { get; private set; } = null!;
    public Event<BillingChargeRejected> ChargeRejected { get; private set; } = null!;
    public Event<Fault<CreateBillingCharge>> BillingUnreachable { get; private set; } = null!;
    public Event<BillingChargeReversed> ChargeReversed { get; private set; } = null!;
    public Event<ErpResourcesProvisioned> Provisioned { get; private set; } = null!;
    public Event<ErpProvisioningRejected> ProvisioningRejected { get; private set; } = null!;
    public Event<Fault<ProvisionErpResources>> ProvisioningUnreachable { get; private set; } = null!;
    public Event<ErpResourcesReleased> Released { get; private set; } = null!;
    public Event<ErpSalesOrderCreated> ErpCreated { get; private set; } = null!;
    public Event<ErpSalesOrderRejected> ErpRejected { get; private set; } = null!;
    public Event<Fault<CreateErpSalesOrder>> ErpUnreachable { get; private set; } = null!;
    public Event<ErpSalesOrderCancelled> ErpCancelled { get; private set; } = null!;

    public Schedule<OrderState, OrderDeadlineExpired> Deadline { get; private set; } = null!;

    /// <summary>The process table with the configured deadlines.</summary>
    internal StateTable Table { get; }

    internal OrderLifecycleOptions Lifecycle { get; }

    /// <summary>Whether an order the automatic checks pass waits in Auditing for a staff member (<see cref="OrderAuditOptions.Manual"/>).</summary>
    internal bool ManualAudit { get; }

    public OrderStateMachine(IOptions<OrderLifecycleOptions> options, IOptions<OrderApprovalOptions> approval, IOptions<OrderAuditOptions>? audit = null)
    {
        Lifecycle = options.Value;
        ManualAudit = audit?.Value.Manual ?? false;
        Table = Lifecycle.Table();
        var policy = approval.Value.Policy();
        InstanceState(x => x.CurrentState);

        Event(() => Submitted, e => e.CorrelateById(m => m.Message.OrderId));
        Event(() => ApprovalGiven, e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.ExecuteAsync(NotFound)));
        Event(() => ApprovalRefused, e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.ExecuteAsync(NotFound)));
        Event(() => CustomerCancelled, e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.ExecuteAsync(NotFound)));
        Event(() => CompletionResent, e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.ExecuteAsync(NotFound)));
        Event(() => AuditDecided, e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.ExecuteAsync(NotFound)));
        Event(() => PaymentsPlanned, e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.ExecuteAsync(NotFound)));
        // A partner's answer about an order the saga never ran is stale (or of another system): nothing to do.
        Event(() => Charged, e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.Discard()));
        Event(() => ChargeRejected, e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.Discard()));
        Event(() => BillingUnreachable, e => e.CorrelateById(m => m.Message.Message.OrderId).OnMissingInstance(m => m.Discard()));
        Event(() => ChargeReversed, e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.Discard()));
        Event(() => Provisioned, e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.Discard()));
        Event(() => ProvisioningRejected, e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.Discard()));
        Event(() => ProvisioningUnreachable, e => e.CorrelateById(m => m.Message.Message.OrderId).OnMissingInstance(m => m.Discard()));
        Event(() => Released, e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.Discard()));
        Event(() => ErpCreated, e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.Discard()));
        Event(() => ErpRejected, e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.Discard()));
        Event(() => ErpUnreachable, e => e.CorrelateById(m => m.Message.Message.OrderId).OnMissingInstance(m => m.Discard()));
        Event(() => ErpCancelled, e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.Discard()));
        Schedule(() => Deadline, x => x.DeadlineTokenId, s => s.Received = r => r.CorrelateById(m => m.Message.OrderId));

        Initially(When(Submitted).Step(this, (s, _) => s.Submit(policy)));

        DuringAny(
            Ignore(Submitted),
            When(ApprovalGiven).Step(this, (s, m) => s.Command(m.CommandId, m.ExpectedVersion, () =>
            {
                s.Order.Approve(new StateChangeCause(m.ApproverUserId, m.RequestedAt, m.CommandId));
                s.StartFulfilment();
            })),
            When(ApprovalRefused).Step(this, (s, m) => s.Command(m.CommandId, m.ExpectedVersion,
                () => s.Order.Reject(m.Reason, new StateChangeCause(m.ApproverUserId, m.RequestedAt, m.CommandId)))),
            When(CustomerCancelled).Step(this, (s, m) => s.Command(m.CommandId, m.ExpectedVersion, () => s.Cancel(m))),
            When(CompletionResent).Step(this, (s, m) => s.Command(m.CommandId, m.ExpectedVersion, () => s.ResendCompletion(m))),
            When(AuditDecided).Step(this, (s, m) => s.Command(m.CommandId, m.ExpectedVersion, () => s.AuditByStaff(m))),
            When(PaymentsPlanned).Step(this, (s, m) => s.Command(m.CommandId, m.ExpectedVersion, () => s.PlanPayments(m))),
            When(Charged).Step(this, (s, m) => s.Charged(m.WorkOrderId, m.ChargeId, m.Amount)),
            When(ChargeRejected).Step(this, (s, m) => s.BillingFailed(m.WorkOrderId, $"Billing refused the charge: {m.Reason}", partnerFault: false)),
            When(BillingUnreachable).Step(this, (s, m) =>
                s.BillingFailed(m.Message.WorkOrderId, $"Billing could not be reached: {FirstReason(m)}", partnerFault: true)),
            When(ChargeReversed).Step(this, (s, m) => s.ChargeReversed(m.WorkOrderId)),
            When(Provisioned).Step(this, (s, m) => s.Provisioned(m.WorkOrderId, m.ProvisioningId)),
            When(ProvisioningRejected).Step(this, (s, m) =>
                s.ProvisioningFailed(m.WorkOrderId, $"ERP refused to provision the resources: {m.Reason}", partnerFault: false)),
            When(ProvisioningUnreachable).Step(this, (s, m) =>
                s.ProvisioningFailed(m.Message.WorkOrderId, $"ERP could not be reached for provisioning: {FirstReason(m)}", partnerFault: true)),
            When(Released).Step(this, (s, m) => s.ResourcesReleased(m.WorkOrderId)),
            When(ErpCreated).Step(this, (s, m) => s.CompletionReported(m.ErpSalesOrderNumber)),
            When(ErpRejected).Step(this, (s, m) => s.CompletionRefused($"ERP refused the sales order: {m.Reason}", byErp: true)),
            When(ErpUnreachable).Step(this, (s, m) => s.CompletionRefused($"ERP could not be reached: {FirstReason(m)}", byErp: false)),
            When(ErpCancelled).Step(this, (s, _) => s.SalesOrderCancelled()),
            When(Deadline.Received).Step(this, (s, m) => s.DeadlinePassed(m)));
    }

    private static Task NotFound<T>(ConsumeContext<T> context) where T : class =>
        context.RespondAsync(new OrderNotFound(context.Message switch
        {
            ApproveOrder a => a.OrderId,
            RejectOrder r => r.OrderId,
            CancelOrder c => c.OrderId,
            ResendOrderCompletion r => r.OrderId,
            AuditOrder a => a.OrderId,
            PlanOrderPayments p => p.OrderId,
            _ => null,
        }, null));

    private static string FirstReason<T>(Fault<T> fault) =>
        fault.Exceptions.FirstOrDefault() is { } e ? $"{e.ExceptionType}: {e.Message}" : "unknown failure";
}

/// <summary>Every event takes the same step: load the order, act, then follow the order's new state with the saga.</summary>
internal static class OrderSagaBinding
{
    public static EventActivityBinder<OrderState, T> Step<T>(this EventActivityBinder<OrderState, T> binder, OrderStateMachine machine,
        Action<OrderStep, T> action) where T : class =>
        binder
            .ThenAsync(async ctx =>
            {
                var step = await OrderStep.Load(ctx, machine);
                action(step, ctx.Message);
                await step.Finish();
            })
            .If(ctx => OrderStep.Outcome(ctx).Reschedule, deadline => deadline
                .Unschedule(machine.Deadline)
                .If(ctx => OrderStep.Outcome(ctx).DueAt is not null, due => due
                    .Schedule(machine.Deadline, ctx => new OrderDeadlineExpired(ctx.Saga.CorrelationId, ctx.Saga.Status, ctx.Saga.Sequence,
                        OrderStep.Outcome(ctx).DueAt),
                        ctx => OrderStep.Outcome(ctx).DueAt!.Value.UtcDateTime)))
            .If(ctx => OrderStep.Outcome(ctx).Moved, moved => moved
                .ThenAsync(ctx => ctx.TransitionToState(machine.GetState(ctx.Saga.Status))));
}
