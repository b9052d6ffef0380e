using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Hub.Soap.Security;
using Hub.Soap.Xml;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Hub.Soap.Client;

/// <summary>
/// A SOAP 1.1/1.2 client over HttpClient for document/literal wrapped XmlSerializer contracts, with an optional
/// WS-Security UsernameToken and a Polly.Core pipeline (retry on transient failures, circuit breaker, per-attempt timeout).
/// Derive typed clients from it:
/// <code>
/// public sealed class ErpSalesClient(HttpClient http, SoapClientOptions options) : SoapClient(http, options)
/// {
///     public Task&lt;CreateSalesOrderResponse&gt; CreateSalesOrderAsync(CreateSalesOrderRequest r, CancellationToken ct) =>
///         CallAsync&lt;CreateSalesOrderRequest, CreateSalesOrderResponse&gt;(ErpSalesContract.Actions.CreateSalesOrder, r, ct);
/// }
/// </code>
/// A partner's fault surfaces as <see cref="SoapFaultException"/> (Client faults are never retried); an open circuit as
/// Polly's <see cref="BrokenCircuitException"/>; a non-SOAP HTTP error as <see cref="HttpRequestException"/> with its status.
/// </summary>
public class SoapClient
{
    private static readonly ConditionalWeakTable<SoapClientOptions, BuiltPipeline> Pipelines = new();

    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly BuiltPipeline _pipeline;
    private readonly TimeProvider _time;

    public SoapClient(HttpClient httpClient, SoapClientOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        _http = httpClient;
        Options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = options.Resilience.TimeProvider ?? TimeProvider.System;
        _pipeline = options.Pipeline is { } custom
            ? new BuiltPipeline(custom, null)
            : Pipelines.GetValue(options, o => BuildPipeline(o.Resilience, _logger));
    }

    public SoapClientOptions Options { get; }

    /// <summary>The circuit breaker's state (null when disabled or when a custom pipeline is used).</summary>
    public CircuitState? CircuitState => _pipeline.State?.CircuitState;

    /// <summary>
    /// Sends <paramref name="body"/> as the Body's element with <paramref name="action"/> (SOAPAction for 1.1, the
    /// Content-Type action parameter for 1.2) and returns the deserialised response element. Each attempt carries a fresh
    /// UsernameToken nonce.
    /// </summary>
    public Task<TResponse> CallAsync<TRequest, TResponse>(string action, TRequest body, CancellationToken cancellationToken = default)
        where TRequest : class
        where TResponse : class
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentNullException.ThrowIfNull(body);
        return _pipeline.Pipeline.ExecuteAsync(
            static (state, token) => state.Client.SendOnceAsync<TRequest, TResponse>(state.Action, state.Body, token),
            (Client: this, Action: action, Body: body),
            cancellationToken).AsTask();
    }

    /// <summary>True for failures worth retrying: network errors, timeouts, 5xx/408/429 without a SOAP Client fault, Server faults.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        SoapFaultException fault => fault.Code == SoapFaultCode.Server,
        HttpRequestException http => http.StatusCode is null
                                     || (int)http.StatusCode.Value >= 500
                                     || http.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests,
        TimeoutRejectedException => true,
        TaskCanceledException { InnerException: TimeoutException } => true,
        _ => false,
    };

    private async ValueTask<TResponse> SendOnceAsync<TRequest, TResponse>(string action, TRequest body, CancellationToken cancellationToken)
        where TRequest : class
        where TResponse : class
    {
        var version = Options.Version;
        var requestMapping = SoapSerializers.Get(typeof(TRequest), null);
        var envelope = SoapMessageWriter.WriteEnvelope(
            version,
            string.IsNullOrEmpty(Options.Username)
                ? null
                : w => UsernameTokenWriter.Write(w, version, Options.Username!, Options.Password ?? string.Empty, Options.UsePasswordDigest, _time.GetUtcNow(), Options.SecurityMustUnderstand),
            w => requestMapping.Serializer.Serialize(w, body, SoapSerializers.NoNamespaces));

        using var request = new HttpRequestMessage(HttpMethod.Post, ResolveEndpoint());
        var content = new ByteArrayContent(envelope);
        var contentType = new MediaTypeHeaderValue(version.MediaType()) { CharSet = "utf-8" };
        if (version == SoapVersion.Soap12)
        {
            contentType.Parameters.Add(new NameValueHeaderValue("action", Quote(action)));
        }
        else
        {
            request.Headers.TryAddWithoutValidation("SOAPAction", Quote(action));
        }

        content.Headers.ContentType = contentType;
        request.Content = content;

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var bytes = await ReadLimitedAsync(response.Content, Options.MaxResponseBytes, cancellationToken).ConfigureAwait(false);

        XElement? payload = null;
        SoapVersion responseVersion = version;
        if (bytes.Length > 0)
        {
            try
            {
                var document = SafeXml.Load(bytes, Options.MaxResponseDepth);
                var root = document.Root!;
                if (root.Name.LocalName == "Envelope" &&
                    root.Name.NamespaceName is SoapConstants.Soap11EnvelopeNamespace or SoapConstants.Soap12EnvelopeNamespace)
                {
                    responseVersion = root.Name.NamespaceName == SoapConstants.Soap12EnvelopeNamespace ? SoapVersion.Soap12 : SoapVersion.Soap11;
                    XNamespace ns = responseVersion.EnvelopeNamespace();
                    payload = root.Element(ns + "Body")?.Elements().FirstOrDefault();
                    if (payload?.Name == ns + "Fault")
                    {
                        throw SoapFaultReader.Read(payload, responseVersion, response.StatusCode);
                    }
                }
            }
            catch (SafeXmlException ex) when (response.IsSuccessStatusCode)
            {
                throw new SoapProtocolException($"The response to {action} is not acceptable XML: {ex.Message}", ex);
            }
            catch (SafeXmlException)
            {
                // Not XML: an error page from a proxy or the host; reported by status below.
            }
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"The SOAP endpoint answered HTTP {(int)response.StatusCode} {response.ReasonPhrase} without a SOAP fault.",
                null,
                response.StatusCode);
        }

        if (payload is null)
        {
            throw new SoapProtocolException($"The response to {action} is not a SOAP envelope with a Body element.");
        }

        var responseMapping = SoapSerializers.Get(typeof(TResponse), null);
        if (payload.Name != responseMapping.ElementName)
        {
            throw new SoapProtocolException($"The response to {action} is {payload.Name}, expected {responseMapping.ElementName}.");
        }

        try
        {
            using var reader = payload.CreateReader();
            return responseMapping.Serializer.Deserialize(reader) as TResponse
                   ?? throw new SoapProtocolException($"The response to {action} is empty.");
        }
        catch (InvalidOperationException ex)
        {
            throw new SoapProtocolException($"The response to {action} could not be read as {typeof(TResponse).Name}.", ex);
        }
    }

    private Uri ResolveEndpoint()
    {
        var endpoint = Options.Endpoint;
        if (endpoint is { IsAbsoluteUri: true })
        {
            return endpoint;
        }

        var baseAddress = _http.BaseAddress ?? throw new InvalidOperationException("SoapClientOptions.Endpoint is not absolute and the HttpClient has no BaseAddress.");
        return endpoint is null ? baseAddress : new Uri(baseAddress, endpoint);
    }

    private static string Quote(string action) => "\"" + action.Replace("\"", string.Empty, StringComparison.Ordinal) + "\"";

    private static async Task<byte[]> ReadLimitedAsync(HttpContent content, long max, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > max)
        {
            throw new SoapProtocolException($"The response is larger than the maximum of {max} bytes.");
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw new SoapProtocolException($"The response is larger than the maximum of {max} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static BuiltPipeline BuildPipeline(SoapResilienceOptions options, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder();
        if (options.TimeProvider is not null)
        {
            builder.TimeProvider = options.TimeProvider;
        }

        static ValueTask<bool> Transient(Outcome<object> outcome) =>
            ValueTask.FromResult(outcome.Exception is { } e && IsTransient(e));

        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => Transient(args.Outcome),
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = options.UseJitter,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                OnRetry = args =>
                {
                    logger.LogWarning(
                        "SOAP call failed transiently (attempt {Attempt}), retrying in {Delay}: {Error}",
                        args.AttemptNumber + 1,
                        args.RetryDelay,
                        args.Outcome.Exception?.Message);
                    return default;
                },
            });
        }

        CircuitBreakerStateProvider? state = null;
        if (options.EnableCircuitBreaker)
        {
            state = new CircuitBreakerStateProvider();
            var breaker = new CircuitBreakerStrategyOptions
            {
                ShouldHandle = args => Transient(args.Outcome),
                FailureRatio = options.CircuitBreakerFailureRatio,
                MinimumThroughput = options.CircuitBreakerMinimumThroughput,
                SamplingDuration = options.CircuitBreakerSamplingDuration,
                BreakDuration = options.CircuitBreakerBreakDuration,
                StateProvider = state,
                OnOpened = args =>
                {
                    logger.LogError("SOAP circuit opened for {Duration}: {Error}", args.BreakDuration, args.Outcome.Exception?.Message);
                    return default;
                },
                OnClosed = _ =>
                {
                    logger.LogInformation("SOAP circuit closed");
                    return default;
                },
            };
            options.ObserveCircuitBreaker?.Invoke(breaker);
            builder.AddCircuitBreaker(breaker);
        }

        builder.AddTimeout(options.AttemptTimeout);
        return new BuiltPipeline(builder.Build(), state);
    }

    private sealed record BuiltPipeline(ResiliencePipeline Pipeline, CircuitBreakerStateProvider? State);
}
