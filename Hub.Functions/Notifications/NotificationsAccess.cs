using Hub.Infrastructure.Access;

namespace Hub.Functions.Notifications;

/// <summary>
/// Who may use the notifications API: operations staff (signed in to <c>/ops</c>) and partner systems with a
/// notifications scope (<c>Hub:Clients</c>). Reading takes a reader; registering recipients and starting campaigns an
/// operator, or a system granted <see cref="WriteScope"/>. The unsubscribe link and the SMS gateway's callbacks carry
/// their own proof and stay open.
/// </summary>
public static class NotificationsAccess
{
    /// <summary>Policy names.</summary>
    public const string Read = "notifications-read", Write = "notifications-write";

    /// <summary>Client scopes.</summary>
    public const string ReadScope = "notifications:read", WriteScope = "notifications:write";

    /// <summary>Registers both policies.</summary>
    public static void AddNotificationsAccess(this IServiceCollection services) => services.AddAuthorizationBuilder()
        .AddPolicy(Read, HubAccess.StaffOrClient(StaffPermissions.OpsRead, ReadScope, WriteScope))
        .AddPolicy(Write, HubAccess.StaffOrClient(StaffPermissions.OpsRetry, WriteScope));
}
