using MassTransit;

namespace Hub.Endpoints.Orders;

/// <summary>
/// Persistent state of one order's lifecycle. Each branch of the fulfilment (ERP sales order,
/// billing charge) keeps its own status so events can arrive in any order and compensation
/// knows exactly what to undo.
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

    /// <summary><see cref="BranchStatus"/> of the ERP sales order.</summary>
    public string ErpStatus { get; set; } = BranchStatus.Pending;
    public string? ErpSalesOrderNumber { get; set; }

    /// <summary><see cref="BranchStatus"/> of the billing charge.</summary>
    public string BillingStatus { get; set; } = BranchStatus.Pending;
    public string? BillingChargeId { get; set; }

    public string? FailureReason { get; set; }
    /// <summary>Token of the scheduled deadline message, so it can be cancelled.</summary>
    public Guid? DeadlineTokenId { get; set; }
    public DateTimeOffset PlacedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Where one branch of the fulfilment stands.</summary>
public static class BranchStatus
{
    /// <summary>Requested, no answer yet.</summary>
    public const string Pending = "Pending";
    /// <summary>The partner holds the effect (sales order created, charge made).</summary>
    public const string Done = "Done";
    /// <summary>The partner refused; nothing to undo.</summary>
    public const string Rejected = "Rejected";
    /// <summary>The effect was undone (sales order cancelled, charge reversed).</summary>
    public const string Undone = "Undone";

    /// <summary>True when nothing is left to undo on this branch.</summary>
    public static bool IsSettled(string status) => status is Rejected or Undone;
}
