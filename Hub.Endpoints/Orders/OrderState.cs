using MassTransit;

namespace Hub.Endpoints.Orders;

/// <summary>
/// Persistent state of one order's lifecycle saga. The order itself (status, history, work orders) is the domain's
/// <c>Order</c> in <c>crm_order</c>, changed in the same transaction; the saga keeps what the partners hold: per work order
/// the billing and provisioning branch (<see cref="Branches"/>), so events can arrive in any order, twice, or late, and
/// compensation knows exactly what to undo.
/// </summary>
public sealed class OrderState : SagaStateMachineInstance, ISagaVersion
{
    public Guid CorrelationId { get; set; }
    public int Version { get; set; }
    public string CurrentState { get; set; } = "";

    public string OrderNumber { get; set; } = "";
    public string CustomerCode { get; set; } = "";
    public string OwnerUserId { get; set; } = "";
    public decimal TotalAmount { get; set; }
    public string? ContactEmail { get; set; }

    /// <summary>The domain status the saga last followed (its state has the same name).</summary>
    public string Status { get; set; } = "";

    /// <summary>The order's history length when <see cref="Status"/> was entered: a deadline of an earlier entry is stale.</summary>
    public int Sequence { get; set; }

    /// <summary>The billing and provisioning branches of every work order.</summary>
    public List<WorkOrderBranch> Branches { get; set; } = [];

    /// <summary><see cref="BranchStatus"/> of the completion report to ERP (the sales order, 完工).</summary>
    public string ErpStatus { get; set; } = BranchStatus.Pending;
    public string? ErpSalesOrderNumber { get; set; }

    /// <summary>Billing branch of orders placed before work orders (version 1 rows); unused since.</summary>
    public string BillingStatus { get; set; } = BranchStatus.Pending;
    /// <summary>The work orders' charge references, comma-separated, as <c>OrderCompleted</c> reports them.</summary>
    public string? BillingChargeId { get; set; }

    public string? FailureReason { get; set; }
    /// <summary>Deadline alarms raised over the order's life.</summary>
    public int AlarmsRaised { get; set; }
    /// <summary>Token of the scheduled deadline message, so it can be cancelled.</summary>
    public Guid? DeadlineTokenId { get; set; }
    public DateTimeOffset PlacedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>What the partners hold of one work order: its charge and its provisioned resources.</summary>
public sealed class WorkOrderBranch
{
    public Guid WorkOrderId { get; set; }
    public string Number { get; set; } = "";
    /// <summary>Amount asked of billing: the line's amount after discount.</summary>
    public decimal Amount { get; set; }
    /// <summary><see cref="BranchStatus"/> of the charge.</summary>
    public string Billing { get; set; } = BranchStatus.Pending;
    public string? ChargeId { get; set; }
    /// <summary>What billing reports it charged.</summary>
    public decimal? ChargedAmount { get; set; }
    /// <summary><see cref="BranchStatus"/> of the provisioning.</summary>
    public string Provisioning { get; set; } = BranchStatus.Pending;
    public string? ProvisioningId { get; set; }

    /// <summary>Nothing is left to undo or to wait for on this work order.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsSettled => BranchStatus.IsSettled(Billing) && BranchStatus.IsSettled(Provisioning);
}

/// <summary>Where one branch stands with its partner.</summary>
public static class BranchStatus
{
    /// <summary>Not asked of the partner (yet): nothing to undo.</summary>
    public const string NotAsked = "NotAsked";
    /// <summary>Requested, no answer yet.</summary>
    public const string Pending = "Pending";
    /// <summary>The partner holds the effect (sales order created, charge made, resources provisioned).</summary>
    public const string Done = "Done";
    /// <summary>The partner refused, or could not be reached after every retry; nothing to undo.</summary>
    public const string Rejected = "Rejected";
    /// <summary>Undo was asked (charge reversal, resource release); waiting for the partner's confirmation.</summary>
    public const string Undoing = "Undoing";
    /// <summary>The effect was undone.</summary>
    public const string Undone = "Undone";

    /// <summary>True when nothing is left to undo on this branch.</summary>
    public static bool IsSettled(string status) => status is NotAsked or Rejected or Undone;
}
