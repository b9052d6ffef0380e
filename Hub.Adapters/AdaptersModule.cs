using Hub.Adapters.Billing;
using Hub.Adapters.Ops;
using Hub.Adapters.Orders;
using Hub.Adapters.Push;
using Hub.Infrastructure;
using Hub.Persistence;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Hub.Adapters;

/// <summary>
/// The web host: REST and push for mobile, SOAP for the legacy ERP, the billing client and its
/// webhooks, and the operations view.
/// </summary>
public sealed class AdaptersModule : IHubModule
{
    public string Name => "Adapters";

    public void AddServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        AddPartner(builder, "Billing", "http://localhost:5070/billing");
        services.AddHttpClient<IBillingApi, BillingApiClient>((sp, http) =>
                http.BaseAddress = WithTrailingSlash(sp.GetRequiredService<IOptionsMonitor<PartnerOptions>>().Get("Billing").BaseUrl))
            .AddHttpMessageHandler(sp => new PartnerResilienceHandler(
                sp.GetRequiredService<IOptionsMonitor<PartnerOptions>>().Get("Billing").Resilience, "billing"));

        services.AddSingleton<PushFeed>();
        services.AddSingleton<IHubStoreModel, PushStoreModel>();
        services.AddEndpointsApiExplorer();
    }

    public void AddBus(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<CreateBillingChargeConsumer, CreateBillingChargeConsumerDefinition>();
        bus.AddConsumer<ReverseBillingChargeConsumer, ReverseBillingChargeConsumerDefinition>();
        bus.AddConsumer<OrderStatusPushConsumer, OrderStatusPushConsumerDefinition>();
        bus.AddRequestClient<Crm.Contracts.Orders.GetOrder>(HubQueues.Address(HubQueues.Orders));
    }

    public void Map(WebApplication app)
    {
        app.MapOrdersApi();
        app.MapPushStreamApi();
        app.MapOpsApi();
    }

    /// <summary>Binds and validates <c>Partners:&lt;name&gt;</c> as a named <see cref="PartnerOptions"/>; the default points at the bundled simulators.</summary>
    private static void AddPartner(WebApplicationBuilder builder, string name, string defaultUrl) =>
        builder.Services.AddOptions<PartnerOptions>(name)
            .Configure(o => o.BaseUrl = defaultUrl)
            .Bind(builder.Configuration.GetSection($"Partners:{name}"))
            .ValidateDataAnnotations()
            .ValidateOnStart();

    private static Uri WithTrailingSlash(string url) => new(url.EndsWith('/') ? url : url + "/");
}
