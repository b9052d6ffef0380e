using Hub.Infrastructure.Monitoring;
using Hub.Adapters.Billing;
using Hub.Adapters.Push.Platform;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Hub.Adapters.Push;

/// <summary>Wires push: the live stream's feed, the platform senders that are configured, and the push consumers.</summary>
public static class PushRegistration
{
    /// <summary>
    /// Registers the push services. FCM is on when <c>Push:Fcm:ProjectId</c> is set and APNs when
    /// <c>Push:Apns:BundleId</c> is; without them a platform gets no platform push (its devices still have the live
    /// stream). Incomplete settings stop the host at start, saying what is missing.
    /// </summary>
    public static IServiceCollection AddPush(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<PushFeed>();
        services.AddSingleton<Hub.Persistence.IHubStoreModel, PushStoreModel>();
        services.AddScoped<PushRecorder>();
        services.AddOptions<FcmOptions>().Bind(config.GetSection(FcmOptions.Section)).ValidateOnStart();
        services.AddOptions<ApnsOptions>().Bind(config.GetSection(ApnsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FcmOptions>, PlatformPushOptionsValidator>();
        services.AddSingleton<IValidateOptions<ApnsOptions>, PlatformPushOptionsValidator>();

        if (!string.IsNullOrWhiteSpace(config[$"{FcmOptions.Section}:ProjectId"]))
        {
            services.AddSingleton<FcmAccessTokens>();
            services.AddHttpClient(FcmAccessTokens.ClientName, (sp, http) =>
                http.Timeout = sp.GetRequiredService<IOptions<FcmOptions>>().Value.Resilience.AttemptTimeout);
            services.AddHttpClient<FcmSender>()
                .AddHttpMessageHandler(sp => new PartnerResilienceHandler(sp.GetRequiredService<IOptions<FcmOptions>>().Value.Resilience, "fcm", sp.GetService<PartnerCircuits>()));
            services.AddTransient<IPlatformPushSender>(sp => sp.GetRequiredService<FcmSender>());
        }
        if (!string.IsNullOrWhiteSpace(config[$"{ApnsOptions.Section}:BundleId"]))
        {
            services.AddSingleton<ApnsProviderToken>();
            services.AddHttpClient<ApnsSender>(ApnsSender.Configure)
                .AddHttpMessageHandler(sp => new PartnerResilienceHandler(sp.GetRequiredService<IOptions<ApnsOptions>>().Value.Resilience, "apns", sp.GetService<PartnerCircuits>()));
            services.AddTransient<IPlatformPushSender>(sp => sp.GetRequiredService<ApnsSender>());
        }
        return services;
    }

    /// <summary>The producers on <c>mobile-push</c> (stream and queue the deliveries) and the sender on <c>mobile-push-delivery</c>.</summary>
    public static void AddPushConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<OrderStatusPushConsumer, OrderStatusPushConsumerDefinition>();
        bus.AddConsumer<OrderDeadlinePushConsumer, OrderDeadlinePushConsumerDefinition>();
        bus.AddConsumer<OrderCompletionRefusedPushConsumer, OrderCompletionRefusedPushConsumerDefinition>();
        bus.AddConsumer<OrderShippedPushConsumer, OrderShippedPushConsumerDefinition>();
        bus.AddConsumer<OrderInvoicedPushConsumer, OrderInvoicedPushConsumerDefinition>();
        bus.AddConsumer<PaymentReceivedPushConsumer, PaymentReceivedPushConsumerDefinition>();
        bus.AddConsumer<ServiceTicketAssignedPushConsumer, ServiceTicketAssignedPushConsumerDefinition>();
        bus.AddConsumer<FieldWorkOrderAssignedPushConsumer, FieldWorkOrderAssignedPushConsumerDefinition>();
        bus.AddConsumer<ApprovalRequestedPushConsumer, ApprovalRequestedPushConsumerDefinition>();
        bus.AddConsumer<PushDeliveryConsumer, PushDeliveryConsumerDefinition>();
        bus.AddConsumer<PushDeliveryFaultConsumer, PushDeliveryFaultConsumerDefinition>();
    }
}
