using System.Buffers;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Hub.Soap.Security;
using Hub.Soap.Xml;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hub.Soap.Server;

/// <summary>Serves one <see cref="SoapServiceDescription"/>: POST = SOAP 1.1/1.2 calls, GET ?wsdl / ?singleWsdl = the WSDL.</summary>
internal sealed class SoapEndpoint
{
    internal const string InternalErrorReason = "The server was unable to process the request due to an internal error.";
    internal const string AuthenticationFailedReason = "Authentication failed.";

    private static readonly XNamespace Wsse = SoapConstants.WsseNamespace;
    private static readonly string[] AddressingNamespaces = [SoapConstants.WsAddressing10Namespace, SoapConstants.WsAddressing200408Namespace];
    private static readonly HashSet<string> AddressingHeaders = ["Action", "To", "MessageID", "ReplyTo", "FaultTo", "From", "RelatesTo"];

    private readonly SoapServiceDescription _service;
    private readonly SoapServerOptions _options;
    private readonly UsernameTokenAuthenticator _authenticator;
    private readonly ISoapCredentialStore? _credentials;
    private readonly ILogger _logger;
    private readonly Dictionary<string, SoapOperationDescription> _byAction;
    private readonly Dictionary<XName, SoapOperationDescription> _byElement;

    public SoapEndpoint(
        SoapServiceDescription service,
        SoapServerOptions options,
        UsernameTokenAuthenticator authenticator,
        ISoapCredentialStore? credentials,
        ILogger logger)
    {
        _service = service;
        _options = options;
        _authenticator = authenticator;
        _credentials = credentials;
        _logger = logger;
        _byAction = service.Operations.ToDictionary(o => o.Action, StringComparer.Ordinal);
        _byElement = service.Operations.ToDictionary(o => o.RequestElement);
    }

    public Task HandleAsync(HttpContext http) =>
        HttpMethods.IsGet(http.Request.Method) ? HandleGetAsync(http) : HandlePostAsync(http);

    private async Task HandleGetAsync(HttpContext http)
    {
        var query = http.Request.Query;
        if (!query.ContainsKey("wsdl") && !query.ContainsKey("singleWsdl"))
        {
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync($"SOAP service {_service.Name}. Its WSDL is at ?wsdl.", http.RequestAborted);
            return;
        }

        var wsdl = _service.GetWsdl();
        if (wsdl is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var address = WsdlAddress.Build(http.Request, _options.UseForwardedHeaders);
        var bytes = WsdlAddress.Rewrite(wsdl, address);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/xml; charset=utf-8";
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }

    private async Task HandlePostAsync(HttpContext http)
    {
        var contentType = SoapContentType.Parse(http.Request.ContentType);
        var mediaType = contentType.MediaType;
        var version = mediaType == SoapConstants.Soap12MediaType ? SoapVersion.Soap12 : SoapVersion.Soap11;

        try
        {
            if (mediaType is not (SoapConstants.Soap11MediaType or SoapConstants.Soap12MediaType))
            {
                throw ClientFault(
                    $"The content type '{Truncate(http.Request.ContentType) ?? "(none)"}' is not supported: " +
                    "use text/xml (SOAP 1.1) or application/soap+xml (SOAP 1.2).");
            }

            var body = await ReadBodyAsync(http.Request, _options.MaxRequestBytes, http.RequestAborted);
            if (body is null)
            {
                throw ClientFault($"The message is larger than the maximum of {_options.MaxRequestBytes} bytes.");
            }

            if (body.Value.Length == 0)
            {
                throw ClientFault("The request has no body: a SOAP envelope is required.");
            }

            XDocument document;
            try
            {
                document = SafeXml.Load(body.Value, _options.MaxDepth);
            }
            catch (SafeXmlException ex)
            {
                _logger.LogDebug(ex, "SOAP {Service}: refused XML ({Problem})", _service.Name, ex.Problem);
                throw ClientFault(ex.Message);
            }

            var envelope = document.Root!;
            if (envelope.Name.LocalName != "Envelope")
            {
                throw ClientFault("The message is not a SOAP envelope.");
            }

            version = envelope.Name.NamespaceName switch
            {
                SoapConstants.Soap11EnvelopeNamespace => SoapVersion.Soap11,
                SoapConstants.Soap12EnvelopeNamespace => SoapVersion.Soap12,
                _ => throw ClientFault(
                    $"The envelope namespace '{Truncate(envelope.Name.NamespaceName)}' is not SOAP 1.1 ({SoapConstants.Soap11EnvelopeNamespace}) " +
                    $"or SOAP 1.2 ({SoapConstants.Soap12EnvelopeNamespace})."),
            };

            XNamespace ns = version.EnvelopeNamespace();
            var header = envelope.Element(ns + "Header");
            var soapBody = envelope.Element(ns + "Body") ?? throw ClientFault("The envelope has no Body.");
            var payload = soapBody.Elements().FirstOrDefault() ?? throw ClientFault("The Body contains no element.");

            CheckMustUnderstand(header, version);

            SoapAuthentication? authentication;
            try
            {
                authentication = await _authenticator.AuthenticateAsync(header, _service.RequireSecurity, _credentials, http.Connection.RemoteIpAddress, http.RequestAborted);
            }
            catch (SoapAuthenticationException ex)
            {
                _logger.LogWarning("SOAP {Service}: authentication failed from {Remote}: {Reason}", _service.Name, http.Connection.RemoteIpAddress, ex.Message);
                throw ClientFault(AuthenticationFailedReason);
            }

            var action = GetAction(http.Request, contentType, header);
            var operation = Dispatch(action, payload);

            object request;
            try
            {
                using var reader = payload.CreateReader();
                request = operation.Request.Serializer.Deserialize(reader)
                          ?? throw new InvalidOperationException("empty");
            }
            catch (InvalidOperationException ex)
            {
                _logger.LogDebug(ex, "SOAP {Service}: body of {Operation} unreadable", _service.Name, operation.Name);
                throw ClientFault($"The body of {operation.Name} could not be read; check it against the WSDL.");
            }

            var context = new SoapCallContext(http, version, operation, action ?? operation.Action, authentication?.PartnerId, authentication?.Username, header);
            // The partner the UsernameToken proved is the request's principal, for whatever records who did what.
            if (authentication is not null)
                http.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
                    [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, authentication.PartnerId)], "WS-Security"));
            object response;
            try
            {
                response = await operation.Invoke(request, context);
            }
            catch (SoapFaultException)
            {
                throw;
            }
            catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "SOAP {Service}: {Operation} failed", _service.Name, operation.Name);
                throw new SoapFaultException(SoapFaultCode.Server, InternalErrorReason);
            }

            if (http.Response.HasStarted)
            {
                return; // the handler answered itself
            }

            if (response is null)
            {
                _logger.LogError("SOAP {Service}: {Operation} returned null", _service.Name, operation.Name);
                throw new SoapFaultException(SoapFaultCode.Server, InternalErrorReason);
            }

            byte[] bytes;
            try
            {
                bytes = SoapMessageWriter.WriteEnvelope(version, null, w => operation.Response.Serializer.Serialize(w, response, SoapSerializers.NoNamespaces));
            }
            catch (InvalidOperationException ex)
            {
                _logger.LogError(ex, "SOAP {Service}: the response of {Operation} could not be serialised", _service.Name, operation.Name);
                throw new SoapFaultException(SoapFaultCode.Server, InternalErrorReason);
            }

            await WriteAsync(http, StatusCodes.Status200OK, version, bytes);
        }
        catch (SoapFaultException fault)
        {
            if (http.Response.HasStarted || http.RequestAborted.IsCancellationRequested)
            {
                return;
            }

            if (fault.Code == SoapFaultCode.Client)
            {
                _logger.LogInformation("SOAP {Service}: client fault: {Reason}", _service.Name, fault.Reason);
            }

            await WriteAsync(http, StatusCodes.Status500InternalServerError, version, BuildFault(version, fault));
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or BadHttpRequestException && http.RequestAborted.IsCancellationRequested)
        {
            // The caller went away.
        }
    }

    private byte[] BuildFault(SoapVersion version, SoapFaultException fault)
    {
        XElement? detail = fault.DetailElement;
        if (detail is null && fault.Detail is not null)
        {
            try
            {
                detail = SoapSerializers.ToElement(fault.Detail, _service.Namespace);
            }
            catch (InvalidOperationException ex)
            {
                _logger.LogError(ex, "SOAP {Service}: fault detail {Type} could not be serialised", _service.Name, fault.Detail.GetType());
            }
        }

        return SoapMessageWriter.WriteFault(version, fault.Code, fault.Reason, detail);
    }

    private SoapOperationDescription Dispatch(string? action, XElement payload)
    {
        if (!string.IsNullOrEmpty(action))
        {
            if (!_byAction.TryGetValue(action, out var byAction))
            {
                throw ClientFault($"The action '{Truncate(action)}' is not supported by this service.");
            }

            if (byAction.RequestElement != payload.Name)
            {
                throw ClientFault($"The body element {Truncate(payload.Name.ToString())} does not match the action '{Truncate(action)}' (expected {byAction.RequestElement}).");
            }

            return byAction;
        }

        return _byElement.TryGetValue(payload.Name, out var byElement)
            ? byElement
            : throw ClientFault($"No action was given and the body element {Truncate(payload.Name.ToString())} is not an operation of this service.");
    }

    private static string? GetAction(HttpRequest request, SoapContentType contentType, XElement? header)
    {
        var action = contentType.Action;
        if (string.IsNullOrWhiteSpace(action) && request.Headers.TryGetValue("SOAPAction", out var soapAction))
        {
            action = soapAction.ToString();
        }

        action = Unquote(action);
        if (string.IsNullOrEmpty(action) && header is not null)
        {
            action = AddressingNamespaces
                .Select(ns => header.Element(XName.Get("Action", ns))?.Value.Trim())
                .FirstOrDefault(a => !string.IsNullOrEmpty(a));
        }

        return string.IsNullOrEmpty(action) ? null : action;
    }

    private static string? Unquote(string? value)
    {
        var trimmed = value?.Trim();
        if (trimmed is { Length: >= 2 } && trimmed[0] == '"' && trimmed[^1] == '"')
        {
            trimmed = trimmed[1..^1].Trim();
        }

        return trimmed;
    }

    private static void CheckMustUnderstand(XElement? header, SoapVersion version)
    {
        if (header is null)
        {
            return;
        }

        XNamespace ns = version.EnvelopeNamespace();
        foreach (var block in header.Elements())
        {
            var mustUnderstand = ((string?)block.Attribute(ns + "mustUnderstand"))?.Trim();
            if (mustUnderstand is not ("1" or "true"))
            {
                continue;
            }

            var target = ((string?)block.Attribute(ns + (version == SoapVersion.Soap11 ? "actor" : "role")))?.Trim();
            var targetsUs = string.IsNullOrEmpty(target)
                            || target == "http://schemas.xmlsoap.org/soap/actor/next"
                            || target == "http://www.w3.org/2003/05/soap-envelope/role/next"
                            || target == "http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver";
            if (!targetsUs || Understands(block.Name))
            {
                continue;
            }

            throw new SoapFaultException(SoapFaultCode.MustUnderstand, $"The header {Truncate(block.Name.ToString())} was not understood.");
        }
    }

    private static bool Understands(XName name) =>
        name == Wsse + "Security" ||
        (AddressingNamespaces.Contains(name.NamespaceName) && AddressingHeaders.Contains(name.LocalName));

    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpRequest request, long max, CancellationToken cancellationToken)
    {
        if (request.ContentLength > max)
        {
            return null;
        }

        var initial = (int)Math.Min(request.ContentLength ?? 16 * 1024, max) + 1;
        var buffer = new MemoryStream(initial);
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > max)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException) when (!cancellationToken.IsCancellationRequested)
        {
            // Malformed framing (bad chunking, body shorter than Content-Length, too slow).
            throw ClientFault("The request body could not be read.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static Task WriteAsync(HttpContext http, int status, SoapVersion version, byte[] bytes)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = version.ResponseContentType();
        http.Response.ContentLength = bytes.Length;
        return http.Response.Body.WriteAsync(bytes, http.RequestAborted).AsTask();
    }

    private static SoapFaultException ClientFault(string reason) => new(SoapFaultCode.Client, reason);

    private static string? Truncate(string? value) => value is { Length: > 200 } ? value[..200] + "…" : value;
}
