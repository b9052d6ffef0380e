namespace Crm.Contracts.Notifications;

/// <summary>The systems that report money received for an order (<see cref="PaymentReceived.Source"/>).</summary>
public static class PaymentSources
{
    /// <summary>The ERP's payment receipt (SOAP ReportPaymentReceipt).</summary>
    public const string Erp = "erp";

    /// <summary>Billing's <c>payment.received</c> webhook.</summary>
    public const string Billing = "billing";
}
