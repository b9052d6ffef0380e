using Hub.Functions.Campaigns;
using Hub.Functions.Email;
using Hub.Functions.Hosting;
using Hub.Functions.Notifications;
using Hub.Functions.Notifications.Templates;
using Hub.Functions.Payments;
using Hub.Functions.Sms;
using Hub.Infrastructure.Access;
using Hub.Infrastructure;
using Hub.Persistence;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Hub.Functions;

/// <summary>
/// The notification functions (SMS, email), hosted on the generic host: triggered by bus messages and timers,
/// delivering through per-channel queues paced to the providers' quotas, with the recipient registry, campaigns and
/// the SMS gateway's callbacks on the web host.
/// </summary>
public sealed class FunctionsModule : IHubModule
{
    public string Name => "Functions";

    public void AddServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        services.AddOptions<SmtpOptions>()
            .Bind(config.GetSection(SmtpOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<FunctionsOptions>()
            .Bind(config.GetSection(FunctionsOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.HasKnownZone(), "Functions:TimeZone is not a time zone this machine knows (an IANA id such as Asia/Shanghai).")
            .Validate(o => o.Timers.IsValid(), "Functions:Timers:PollInterval, LeaseDuration and RetryAfter must be positive.")
            .ValidateOnStart();
        services.AddOptions<NotificationsOptions>()
            .Bind(config.GetSection(NotificationsOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.FollowUpSurveyDelay >= TimeSpan.Zero && o.RedispatchAfter > TimeSpan.Zero,
                "Notifications:FollowUpSurveyDelay must not be negative and Notifications:RedispatchAfter must be positive.")
            .Validate(o => o.Channels.Email.MessagesPerSecond is >= 0 and <= 10000 && o.Channels.Sms.MessagesPerSecond is >= 0 and <= 10000,
                "Notifications:Channels:*:MessagesPerSecond must be from 0 (no limit) to 10000.")
            .Validate(o => new[] { o.Channels.Email, o.Channels.Sms }.All(c => c.BreakerMinimumThroughput >= 2 && c.BreakDuration >= TimeSpan.FromMilliseconds(500)),
                "Notifications:Channels:*:BreakerMinimumThroughput must be at least 2 and BreakDuration at least 00:00:00.5.")
            .ValidateOnStart();
        services.AddOptions<KannelOptions>()
            .Bind(config.GetSection(KannelOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<KannelOptions>, KannelOptionsValidator>();
        services.AddPartnerSeeds(sp => KannelWebhooks.Configured(sp.GetRequiredService<IOptions<KannelOptions>>().Value));

        services.AddNotificationsAccess();
        services.AddSingleton(NotificationTemplates.LoadEmbedded());
        services.AddSingleton<EmailSender>();
        services.AddScoped<Notifier>();
        services.AddScoped<NotificationDelivery>();
        services.AddSingleton<ChannelCircuits>();
        // Without a gateway the SMS channel is off: notifications go by email only.
        if (!string.IsNullOrWhiteSpace(config[$"{KannelOptions.Section}:BaseUrl"]))
            services.AddHttpClient<ISmsGateway, KannelSmsGateway>();

        services.AddSingleton<IHubStoreModel, NotificationsStoreModel>();
        services.AddSingleton<IHubStoreModel, FunctionTimersStoreModel>();
        services.AddSingleton<IHubStoreModel, PaymentPlanStoreModel>();
    }

    public void AddBus(IBusRegistrationConfigurator bus)
    {
        bus.AddFunctions(typeof(FunctionsModule).Assembly);
        // Each channel's queue is paced to its provider's quota (per instance of this host).
        bus.AddConfigureEndpointsCallback((context, queue, endpoint) =>
        {
            var channels = context.GetRequiredService<IOptions<NotificationsOptions>>().Value.Channels;
            var rate = queue switch
            {
                HubQueues.NotificationsEmail => channels.Email,
                HubQueues.NotificationsSms => channels.Sms,
                _ => null,
            };
            if (rate is { MessagesPerSecond: > 0 })
                endpoint.UseRateLimit(rate.MessagesPerSecond, TimeSpan.FromSeconds(1));
        });
    }

    public void Map(WebApplication app)
    {
        app.MapRecipientsApi();
        app.MapNotificationsApi();
        app.MapCampaignsApi();
        app.MapKannelWebhooks();
    }
}
