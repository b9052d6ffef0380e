namespace Hub.Soap;

/// <summary>
/// The class of a SOAP fault. <see cref="Client"/> is SOAP 1.1 <c>Client</c> / SOAP 1.2 <c>Sender</c>
/// (the message is wrong, do not retry); <see cref="Server"/> is <c>Server</c> / <c>Receiver</c>
/// (the receiver failed, the same message may succeed later).
/// </summary>
public enum SoapFaultCode
{
    Client,
    Server,

    /// <summary>A header marked mustUnderstand was not understood.</summary>
    MustUnderstand,

    /// <summary>The envelope version was not recognised (only ever parsed from another party's fault).</summary>
    VersionMismatch,
}
