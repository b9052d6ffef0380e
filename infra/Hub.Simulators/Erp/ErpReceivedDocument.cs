namespace Hub.Simulators.Erp;

/// <summary>Everything the simulated ERP received under one documentId (the idempotency key), as served at <c>GET /sim/erp/received</c>.</summary>
public sealed record ErpReceivedDocument(
    string DocumentId,
    string Operation,
    string? OrderNumber,
    string? CustomerCode,
    string? PartnerId,
    int Calls,
    int TransientFailures,
    int Effects,
    string? Result,
    string? Refusal,
    string LastSoapVersion,
    DateTimeOffset FirstReceivedAt,
    DateTimeOffset LastReceivedAt);

/// <summary>A shipment the simulator reported (or tried to report) to the hub, as served at <c>GET /sim/erp/shipments</c>.</summary>
public sealed record ErpShipmentReport(
    string DocumentId,
    string OrderNumber,
    string SalesOrderNumber,
    string ShipmentNumber,
    bool Delivered,
    bool? Accepted,
    string? ReceiptId,
    string? Error,
    DateTimeOffset At);

/// <summary>The behaviour switches, as posted to <c>/sim/erp/behaviour</c>.</summary>
public sealed record ErpBehaviour(int LatencyMs, double FailureRate, ErpFailureMode FailureMode, bool Down);

/// <summary>Mutable record of one documentId; lock it while reading or changing.</summary>
internal sealed class ErpDocumentRecord(string documentId, string operation, string? orderNumber, string? customerCode, string? partnerId, DateTimeOffset at)
{
    public string DocumentId { get; } = documentId;
    public string Operation { get; } = operation;
    public string? OrderNumber { get; } = orderNumber;
    public string? CustomerCode { get; } = customerCode;
    public string? PartnerId { get; } = partnerId;
    public int Calls { get; set; }
    public int TransientFailures { get; set; }
    public int Effects { get; set; }
    public object? Response { get; set; }
    public string? Result { get; set; }
    public Hub.Soap.SoapFaultException? Refusal { get; set; }
    public DateTimeOffset FirstReceivedAt { get; } = at;
    public DateTimeOffset LastReceivedAt { get; set; } = at;
    public Hub.Soap.SoapVersion LastSoapVersion { get; set; }

    public ErpReceivedDocument Snapshot() => new(
        DocumentId, Operation, OrderNumber, CustomerCode, PartnerId, Calls, TransientFailures, Effects, Result, Refusal?.Reason, LastSoapVersion.ToString(), FirstReceivedAt, LastReceivedAt);
}
