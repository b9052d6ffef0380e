using Hub.Soap;

namespace Hub.Simulators.Erp;

/// <summary>How the simulated ERP answers a transient failure.</summary>
public enum ErpFailureMode
{
    /// <summary>A SOAP Server (Receiver) fault with HTTP 500.</summary>
    ServerFault,

    /// <summary>A bare HTTP 503, as a load balancer in front of a stopped ERP.</summary>
    Http503,

    /// <summary>Either, at random.</summary>
    Mixed,
}

/// <summary>UsernameToken credentials of one partner the simulated ERP accepts.</summary>
public sealed class ErpPartnerCredentials
{
    public string Username { get; set; } = string.Empty;

    public string Password { get; set; } = string.Empty;
}

/// <summary>
/// Settings of the ERP simulator (configuration section <c>Simulators:Erp</c>). The behaviour switches
/// (<see cref="LatencyMs"/>, <see cref="FailureRate"/>, <see cref="FailureMode"/>, <see cref="Down"/>) are read on every
/// call, so they can be changed while it runs (<c>POST /sim/erp/behaviour</c>).
/// </summary>
public sealed class ErpSimulatorOptions
{
    /// <summary>Where ErpSalesService is served (default <c>/erp/sales</c>; WSDL at <c>?wsdl</c>).</summary>
    public string Path { get; set; } = "/erp/sales";

    /// <summary>Added to every answer, in milliseconds.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Share of calls (0..1) answered with a transient failure (see <see cref="FailureMode"/>).</summary>
    public double FailureRate { get; set; }

    public ErpFailureMode FailureMode { get; set; } = ErpFailureMode.ServerFault;

    /// <summary>While true every call is answered with HTTP 503.</summary>
    public bool Down { get; set; }

    /// <summary>Require a WS-Security UsernameToken (default true).</summary>
    public bool RequireSecurity { get; set; } = true;

    /// <summary>Accepted credentials: partner id → user name and password.</summary>
    public Dictionary<string, ErpPartnerCredentials> Partners { get; set; } = new(StringComparer.Ordinal);

    /// <summary>When set (the hub's base URL), each new sales order is followed by a ReportShipment call to the hub.</summary>
    public string? ReportShipmentsToHub { get; set; }

    /// <summary>Path of the hub's ERP service (default <c>/soap/erp</c>).</summary>
    public string HubPath { get; set; } = "/soap/erp";

    /// <summary>How long after a sales order is created its shipment is reported (default 2 s).</summary>
    public TimeSpan ShipmentDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>UsernameToken the simulator presents to the hub (none when empty).</summary>
    public string? HubUsername { get; set; }

    public string? HubPassword { get; set; }

    /// <summary>PasswordDigest (default) or PasswordText towards the hub.</summary>
    public bool HubUsePasswordDigest { get; set; } = true;

    public SoapVersion HubSoapVersion { get; set; } = SoapVersion.Soap11;
}
