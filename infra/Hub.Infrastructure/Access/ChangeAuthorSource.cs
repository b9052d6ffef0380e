using System.Security.Claims;
using Hub.Persistence.History;
using MassTransit;
using MassTransit.DependencyInjection;
using Microsoft.AspNetCore.Http;

namespace Hub.Infrastructure.Access;

/// <summary>
/// Who is changing records in the current scope, for the change history: the signed-in caller of an HTTP request (a
/// staff member, a mobile user, a partner system) with the channel its path belongs to, or the endpoint consuming a
/// message with that message's id.
/// </summary>
internal sealed class ChangeAuthorSource(IHttpContextAccessor http, IScopedConsumeContextProvider? consume = null) : IChangeAuthorSource
{
    public ChangeAuthor? Current
    {
        get
        {
            if (consume is { HasContext: true } && consume.GetContext() is { } message)
                return message.Headers.Get<string>(ChangeAuthorHeaders.ActorHeader) is { Length: > 0 } caller
                    ? new ChangeAuthor(caller, message.Headers.Get<string>(ChangeAuthorHeaders.ChannelHeader) ?? "http", message.MessageId)
                    : new ChangeAuthor(message.SourceAddress?.AbsolutePath.Trim('/') is { Length: > 0 } source ? source : "bus",
                        "bus:" + message.ReceiveContext.InputAddress.AbsolutePath.Trim('/'), message.MessageId);
            if (http.HttpContext is not { } context)
                return null;
            var user = context.User;
            var actor = user.FindFirstValue("sub") ?? user.Identity?.Name ?? "anonymous";
            var channel = NetworkAllowList.Channels.FirstOrDefault(c => context.Request.Path.StartsWithSegments(c.Value, StringComparison.OrdinalIgnoreCase)).Key ?? "http";
            return new ChangeAuthor(actor, channel);
        }
    }
}

/// <summary>
/// Carries the HTTP caller onto the commands and events sent while handling its request (headers
/// <see cref="ActorHeader"/>, <see cref="ChannelHeader"/>), so a record changed by the consumer is on record as changed by
/// that caller through that channel, not by the bus.
/// </summary>
internal sealed class ChangeAuthorHeaders(IHttpContextAccessor http) : ISendObserver, IPublishObserver
{
    public const string ActorHeader = "Hub-Actor", ChannelHeader = "Hub-Channel";

    public Task PreSend<T>(SendContext<T> context) where T : class => Stamp(context);
    public Task PrePublish<T>(PublishContext<T> context) where T : class => Stamp(context);

    private Task Stamp(SendContext context)
    {
        if (http.HttpContext is { } request && !context.Headers.TryGetHeader(ActorHeader, out _)
            && new ChangeAuthorSource(http).Current is { } author)
        {
            context.Headers.Set(ActorHeader, author.Actor);
            context.Headers.Set(ChannelHeader, author.Channel);
        }
        return Task.CompletedTask;
    }

    public Task PostSend<T>(SendContext<T> context) where T : class => Task.CompletedTask;
    public Task SendFault<T>(SendContext<T> context, Exception exception) where T : class => Task.CompletedTask;
    public Task PostPublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;
    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
