namespace Hub.Infrastructure;

/// <summary>
/// The hub's queue names, one place for all of them: each is an endpoint of a business
/// capability, and a host that runs the capability owns the queue (competing consumers when
/// several instances run).
/// </summary>
public static class HubQueues
{
    /// <summary>Order intake (PlaceOrder, order queries).</summary>
    public const string Orders = "crm-orders";
    /// <summary>Customer and contact commands (register, update, grade, merge, contacts).</summary>
    public const string Customers = "crm-customers";
    /// <summary>Product catalogue and price-book commands (register, update, state, price book).</summary>
    public const string Products = "crm-products";
    /// <summary>The order lifecycle saga.</summary>
    public const string OrderSaga = "crm-order-saga";
    /// <summary>Service ticket commands and queries (open, dispatch, field work orders, follow-ups).</summary>
    public const string ServiceTickets = "crm-service-tickets";
    /// <summary>The service ticket lifecycle saga (deadlines, follow-up rescheduling).</summary>
    public const string ServiceTicketSaga = "crm-service-ticket-saga";
    /// <summary>Dealer commands (inspection visits, negotiations, agency contracts, targets) and the pace check.</summary>
    public const string Dealers = "crm-dealers";
    /// <summary>The dealers' achievement ledger: completed orders and payments counted per dealer and month.</summary>
    public const string DealerAchievement = "crm-dealer-achievement";
    /// <summary>Outbound calls to the legacy ERP.</summary>
    public const string ErpGateway = "erp-gateway";
    /// <summary>What the legacy ERP reports over SOAP (shipments, invoices, payments, stock, products).</summary>
    public const string ErpInbound = "erp-inbound";
    /// <summary>Outbound calls to billing.</summary>
    public const string BillingGateway = "billing-gateway";
    /// <summary>Push to mobile devices.</summary>
    public const string MobilePush = "mobile-push";
    /// <summary>Platform push (FCM, APNs) to devices without a live stream: one <c>DeliverPush</c> per device and event.</summary>
    public const string MobilePushDelivery = "mobile-push-delivery";
    /// <summary>The mobile apps' read models (order lists).</summary>
    public const string MobileOrders = "mobile-orders";
    /// <summary>The mobile apps' service ticket and field work order lists.</summary>
    public const string MobileServiceTickets = "mobile-service-tickets";
    /// <summary>SMS and email functions.</summary>
    public const string Notifications = "notifications";
    /// <summary>Email deliveries of the notification functions, paced to the mail server's quota.</summary>
    public const string NotificationsEmail = "notifications-email";
    /// <summary>SMS deliveries of the notification functions, paced to the SMS gateway's quota.</summary>
    public const string NotificationsSms = "notifications-sms";

    /// <summary>The address to send commands to a queue.</summary>
    public static Uri Address(string queue) => new($"queue:{queue}");
}
