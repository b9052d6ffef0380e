using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Hub.Soap;

/// <summary>What a service handler knows about the call it is answering.</summary>
public sealed class SoapCallContext
{
    internal SoapCallContext(
        HttpContext httpContext,
        SoapVersion version,
        SoapOperationDescription operation,
        string action,
        string? partnerId,
        string? username,
        XElement? header)
    {
        HttpContext = httpContext;
        Version = version;
        Operation = operation;
        Action = action;
        PartnerId = partnerId;
        Username = username;
        Header = header;
    }

    /// <summary>The partner id the UsernameToken authenticated as; null when the call carried no token.</summary>
    public string? PartnerId { get; }

    /// <summary>The UsernameToken's user name; null when the call carried no token.</summary>
    public string? Username { get; }

    public bool IsAuthenticated => PartnerId is not null;

    /// <summary>The SOAP version of the request (the response and any fault use the same).</summary>
    public SoapVersion Version { get; }

    /// <summary>The operation being called.</summary>
    public SoapOperationDescription Operation { get; }

    /// <summary>The action the request carried (or the operation's action when it was dispatched by body element).</summary>
    public string Action { get; }

    /// <summary>The SOAP Header element of the request, if any.</summary>
    public XElement? Header { get; }

    /// <summary>
    /// The HTTP request. A handler that starts the HTTP response itself (e.g. to answer 503) takes it over:
    /// the stack then writes nothing more.
    /// </summary>
    public HttpContext HttpContext { get; }

    /// <summary>Cancelled when the caller goes away.</summary>
    public CancellationToken CancellationToken => HttpContext.RequestAborted;

    public IServiceProvider Services => HttpContext.RequestServices;
}
