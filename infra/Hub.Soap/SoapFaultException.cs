using System.Net;
using System.Xml.Linq;

namespace Hub.Soap;

/// <summary>
/// A SOAP fault. Thrown by a service handler to answer with a fault (the <see cref="Detail"/> object is
/// serialised with XmlSerializer into the fault's detail element, in the namespace its type declares),
/// and thrown by <see cref="Client.SoapClient"/> when a partner answers with a fault.
/// </summary>
public class SoapFaultException : Exception
{
    public SoapFaultException(SoapFaultCode code, string reason, object? detail = null)
        : base(reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        Code = code;
        Reason = reason;
        Detail = detail;
    }

    public SoapFaultException(SoapFaultCode code, string reason, object? detail, Exception? innerException)
        : base(reason, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        Code = code;
        Reason = reason;
        Detail = detail;
    }

    /// <summary>Client (Sender) or Server (Receiver), etc.</summary>
    public SoapFaultCode Code { get; }

    /// <summary>faultstring (1.1) or Reason/Text (1.2).</summary>
    public string Reason { get; }

    /// <summary>The detail object a handler supplied (server side). Null on faults parsed by the client.</summary>
    public object? Detail { get; }

    /// <summary>The first element inside the fault's detail (client side), with its namespace.</summary>
    public XElement? DetailElement { get; init; }

    /// <summary>The fault code exactly as received (client side), e.g. <c>{http://schemas.xmlsoap.org/soap/envelope/}Client</c>.</summary>
    public XName? ReceivedCode { get; init; }

    /// <summary>The first SOAP 1.2 Subcode value, if any (client side).</summary>
    public XName? Subcode { get; init; }

    /// <summary>The HTTP status that carried the fault (client side).</summary>
    public HttpStatusCode? HttpStatusCode { get; init; }

    /// <summary>The SOAP version of the fault envelope (client side).</summary>
    public SoapVersion? Version { get; init; }

    /// <summary>Deserialises <see cref="DetailElement"/> (or returns <see cref="Detail"/>) as <typeparamref name="T"/>; null if it is not one.</summary>
    public T? GetDetail<T>() where T : class
    {
        if (Detail is T typed)
        {
            return typed;
        }

        if (DetailElement is null)
        {
            return null;
        }

        var mapping = SoapSerializers.Get(typeof(T), null);
        if (DetailElement.Name != mapping.ElementName)
        {
            return null;
        }

        try
        {
            using var reader = DetailElement.CreateReader();
            return mapping.Serializer.Deserialize(reader) as T;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    public override string ToString() => $"SoapFaultException ({Code}): {Reason}";
}
