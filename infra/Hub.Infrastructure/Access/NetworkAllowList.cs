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
            var networks = channel.GetChildren().Select(n => n.Value ?? "").Select(text => Parse(channel.Key, text)).ToArray();
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
                if (address is { IsIPv4MappedToIPv6: true })
                    address = address.MapToIPv4();
                if (address is null || !networks.Any(n => n.Contains(address)))
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

    private static IPNetwork Parse(string channel, string text)
    {
        if (IPNetwork.TryParse(text, out var network))
            return network;
        if (IPAddress.TryParse(text, out var address))
            return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        throw new InvalidOperationException($"Hub:Access:AllowedNetworks:{channel} has '{text}', which is neither a network (CIDR) nor an address.");
    }
}

/// <summary>The configured lists, by path prefix.</summary>
internal sealed record ChannelNetworks(IReadOnlyList<(string Prefix, string Channel, IPNetwork[] Networks)> Entries);
