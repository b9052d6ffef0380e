using System.Xml.Linq;
using Hub.Soap.Security;

namespace Hub.Soap;

/// <summary>
/// A SOAP service: its WSDL, its operations (document/literal wrapped, XmlSerializer contracts) and their handlers.
/// Map it with <see cref="Server.SoapEndpointRouteBuilderExtensions.MapSoapService"/>.
/// </summary>
public sealed class SoapServiceDescription
{
    private readonly List<SoapOperationDescription> _operations = [];
    private XDocument? _wsdl;

    /// <param name="name">Service name, used in logs.</param>
    /// <param name="targetNamespace">The WSDL's target namespace; the default namespace of contract types that declare none.</param>
    public SoapServiceDescription(string name, string targetNamespace)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(targetNamespace);
        Name = name;
        Namespace = targetNamespace;
    }

    public string Name { get; }

    public string Namespace { get; }

    /// <summary>Supplies the WSDL text served at <c>?wsdl</c> / <c>?singleWsdl</c> (typically from an embedded resource). Read once.</summary>
    public Func<string>? WsdlProvider { get; init; }

    /// <summary>When true (the default) every call must carry a valid WS-Security UsernameToken.</summary>
    public bool RequireSecurity { get; init; } = true;

    /// <summary>Credentials for this service; when null the <see cref="ISoapCredentialStore"/> registered in DI is used.</summary>
    public ISoapCredentialStore? CredentialStore { get; init; }

    /// <summary>
    /// When true (the default) mapping the service checks that each operation's action is a <c>soapAction</c> of the WSDL
    /// and each request element is declared in its schema, so contract drift fails at start-up.
    /// </summary>
    public bool ValidateAgainstWsdl { get; init; } = true;

    public IReadOnlyList<SoapOperationDescription> Operations => _operations;

    /// <summary>
    /// Adds an operation. The request wrapper element is <typeparamref name="TRequest"/>'s XmlRoot (its namespace, or
    /// <see cref="Namespace"/>); its local name is the operation name.
    /// </summary>
    public SoapServiceDescription AddOperation<TRequest, TResponse>(
        string action,
        Func<TRequest, SoapCallContext, Task<TResponse>> handler)
        where TRequest : class
        where TResponse : class
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentNullException.ThrowIfNull(handler);

        var request = SoapSerializers.Get(typeof(TRequest), Namespace);
        var response = SoapSerializers.Get(typeof(TResponse), Namespace);
        if (_operations.Any(o => o.Action == action))
        {
            throw new InvalidOperationException($"Service {Name} already has an operation with action '{action}'.");
        }

        if (_operations.Any(o => o.RequestElement == request.ElementName))
        {
            throw new InvalidOperationException($"Service {Name} already has an operation with request element {request.ElementName}.");
        }

        _operations.Add(new SoapOperationDescription(
            request.ElementName.LocalName,
            action,
            typeof(TRequest),
            typeof(TResponse),
            request,
            response,
            async (body, context) => await handler((TRequest)body, context).ConfigureAwait(false)));
        return this;
    }

    internal XDocument? GetWsdl()
    {
        if (_wsdl is null && WsdlProvider is not null)
        {
            var text = WsdlProvider();
            _wsdl = XDocument.Parse(text, LoadOptions.PreserveWhitespace);
        }

        return _wsdl;
    }
}

/// <summary>One operation of a <see cref="SoapServiceDescription"/>.</summary>
public sealed class SoapOperationDescription
{
    internal SoapOperationDescription(
        string name,
        string action,
        Type requestType,
        Type responseType,
        SoapTypeMapping request,
        SoapTypeMapping response,
        Func<object, SoapCallContext, Task<object>> invoke)
    {
        Name = name;
        Action = action;
        RequestType = requestType;
        ResponseType = responseType;
        Request = request;
        Response = response;
        Invoke = invoke;
    }

    public string Name { get; }

    public string Action { get; }

    public Type RequestType { get; }

    public Type ResponseType { get; }

    public XName RequestElement => Request.ElementName;

    public XName ResponseElement => Response.ElementName;

    internal SoapTypeMapping Request { get; }

    internal SoapTypeMapping Response { get; }

    internal Func<object, SoapCallContext, Task<object>> Invoke { get; }
}
