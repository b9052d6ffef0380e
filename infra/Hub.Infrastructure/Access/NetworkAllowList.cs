using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hub.Infrastructure.Access;

/// <summary>
/// IP lock per channel (003 §3.15 IP 锁定): <c>Hub:Access:AllowedNetworks:&lt;channel&gt;</c> lists the networks (CIDR,
/// e.g. <c>10.20.0.0/16</c>, or single addresses) a channel answers; a call from elsewhere gets 403 and is logged.
/// A channel with no list answers every network. The channels are the hub's public surface, by path.
/// </summary>
public static class NetworkAllowList
{
    /// <summary>Channel name → the path prefix it covers.</summary>
    public static IReadOnlyDictionary<string, string> Channels { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["ops"] = "/ops",
        ["mobile"] = "/api/v1",
        ["push"] = "/api/push",
        ["notifications"] = "/api/notifications",
        ["erp-soap"] = "/soap",
        ["billing-webhooks"] = "/webhooks/billing",
        ["sms-webhooks"] = "/webhooks/sms",
    };

    /// <summary>Reads and checks the lists; an unknown channel or a malformed network stops the host at start.</summary>
    public static void AddNetworkAllowList(this WebApplicationBuilder builder)
    {
        var lists = new List<(string Prefix, string Channel, IPNetwork[] Networks)>();
        foreach (var channel in builder.Configuration.GetSection("Hub:Access:AllowedNetworks").GetChildren())
        {
            if (!Channels.TryGetValue(channel.Key, out var prefix))
                throw new InvalidOperationException(
                    $"Hub:Access:AllowedNetworks:{channel.Key} names no channel; the channels are {string.Join(", ", Channels.Keys)}.");
            var networks = channel.GetChildren().Select(n => n.Value ?? "")
                .Select(text => TryParse(text, out var network) ? network
                    : throw new InvalidOperationException($"Hub:Access:AllowedNetworks:{channel.Key} has '{text}', which {NotANetwork}."))
                .ToArray();
            if (networks.Length > 0)
                lists.Add((prefix, channel.Key, networks));
        }
        builder.Services.AddSingleton(new ChannelNetworks(lists));
    }

    /// <summary>Refuses calls to a locked channel from outside its networks.</summary>
    public static void UseNetworkAllowList(this WebApplication app)
    {
        var lists = app.Services.GetRequiredService<ChannelNetworks>();
        if (lists.Entries.Count == 0)
            return;
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(NetworkAllowList));
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            foreach (var (prefix, channel, networks) in lists.Entries)
            {
                if (!path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
                    continue;
                var address = context.Connection.RemoteIpAddress;
                if (!Contains(networks, address))
                {
                    logger.LogWarning("Refused {Method} {Path} from {Address}: outside the networks of channel {Channel}",
                        context.Request.Method, path, address, channel);
                    await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed from this network.",
                        detail: $"The {channel} channel answers only its configured networks.").ExecuteAsync(context);
                    return;
                }
            }
            await next(context);
        });
    }

    /// <summary>Why a text is refused as a network, for messages and field errors.</summary>
    public const string NotANetwork = "is neither a network (CIDR, e.g. 10.20.0.0/16) nor an address";

    /// <summary>
    /// Reads one network as every allow-list takes it (a channel's, a partner's): CIDR (<c>10.20.0.0/16</c>, no host bits
    /// set beyond the prefix) or a single IPv4 / IPv6 address.
    /// </summary>
    public static bool TryParse(string? text, out IPNetwork network)
    {
        text = text?.Trim();
        network = default;
        if (string.IsNullOrEmpty(text) || text.Length > 64)
            return false;
        if (IPNetwork.TryParse(text, out network))
            return true;
        // A zone (fe80::1%eth0) names an interface of this host, not a network a partner calls from.
        if (!IPAddress.TryParse(text, out var address) || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && address.ScopeId != 0))
            return false;
        network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        return true;
    }

    /// <summary>Whether <paramref name="address"/> (an IPv4 address mapped to IPv6 taken as IPv4) is in one of <paramref name="networks"/>.</summary>
    public static bool Contains(IReadOnlyList<IPNetwork> networks, IPAddress? address)
    {
        if (address is { IsIPv4MappedToIPv6: true })
            address = address.MapToIPv4();
        return address is not null && networks.Any(n => n.Contains(address));
    }
}

/// <summary>The configured lists, by path prefix.</summary>
internal sealed record ChannelNetworks(IReadOnlyList<(string Prefix, string Channel, IPNetwork[] Networks)> Entries);
