using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hub.Infrastructure.Web;

/// <summary>Transport security of every host (section <c>Hub:Web</c>).</summary>
public sealed class WebSecurityOptions
{
    /// <summary>
    /// Outside Development every listener must be <c>https://</c>; set this only when a TLS-terminating proxy in front
    /// of the host is the listener the world sees (the host then still sends HSTS for requests that arrived over TLS).
    /// </summary>
    public bool AllowPlainHttp { get; set; }

    /// <summary><c>Strict-Transport-Security</c> max-age for answers over HTTPS.</summary>
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);
}

/// <summary>
/// TLS on every listener outside Development, HSTS on answers over HTTPS, and the secure headers every answer carries
/// (no sniffing, no framing, no referrer, same-origin opener). Pages with scripts set their own Content-Security-Policy.
/// </summary>
public static class TransportSecurity
{
    /// <summary>
    /// Registers the options and HSTS; refuses to build a host outside Development that listens in plain HTTP on
    /// anything but loopback (<paramref name="urls"/>: the listeners it was given, <c>;</c>-separated).
    /// </summary>
    public static void AddTransportSecurity(this WebApplicationBuilder builder, string urls)
    {
        var options = builder.Configuration.GetSection("Hub:Web").Get<WebSecurityOptions>() ?? new WebSecurityOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddHsts(o =>
        {
            o.MaxAge = options.HstsMaxAge;
            o.IncludeSubDomains = true;
        });
        if (builder.Environment.IsDevelopment() || options.AllowPlainHttp)
            return;
        var kestrelEndpoints = builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"] ?? "");
        var plain = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Concat(kestrelEndpoints)
            .Where(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !IsLoopback(u)).ToList();
        if (plain.Count > 0)
            throw new InvalidOperationException(
                $"Plain HTTP listeners in {builder.Environment.EnvironmentName}: {string.Join(", ", plain)}. Listen on https:// (Kestrel:Endpoints:<name>:Url and "
                + ":Certificate), or set Hub:Web:AllowPlainHttp=true when a TLS-terminating proxy is in front.");
    }

    // A loopback listener is reachable from this machine only: local tools, tests, the embedded quick start.
    private static bool IsLoopback(string url)
    {
        var host = url["http://".Length..].Split('/')[0];
        host = host.StartsWith('[') ? host[..(host.IndexOf(']') + 1)] : host.Split(':')[0];
        return host is "localhost" or "[::1]" || (System.Net.IPAddress.TryParse(host, out var ip) && System.Net.IPAddress.IsLoopback(ip));
    }

    /// <summary>Adds HSTS (HTTPS answers only) and the secure headers.</summary>
    public static void UseTransportSecurity(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
            app.UseHsts();
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            return next(context);
        });
    }
}
