namespace Crm.Domain.Orders;

/// <summary>The named states of an order's lifecycle, as the saga and every channel report them.</summary>
public static class OrderStatus
{
    /// <summary>Accepted and stored; fulfilment about to start.</summary>
    public const string Placed = "Placed";
    /// <summary>ERP sales order and billing charge under way (the two branches of 000's Petri net).</summary>
    public const string Fulfilling = "Fulfilling";
    /// <summary>Both branches succeeded.</summary>
    public const string Completed = "Completed";
    /// <summary>A branch failed or the deadline passed; undoing what already happened.</summary>
    public const string Compensating = "Compensating";
    /// <summary>Ended without completing; everything that happened was undone.</summary>
    public const string Failed = "Failed";
}
