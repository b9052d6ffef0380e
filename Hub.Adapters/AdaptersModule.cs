using Crm.Contracts.Orders;
using Crm.Contracts.Soap.ErpHub;
using Crm.Contracts.Customers;
using Crm.Contracts.Products;
using Hub.Adapters.Billing;
using Hub.Adapters.Customers;
using Hub.Adapters.Dealers;
using Hub.CrmStore.Dealers;
using Hub.Adapters.Products;
using Hub.Adapters.Erp;
using Hub.Adapters.Identity;
using Hub.Adapters.Mobile;
using Hub.Adapters.Ops;
using Hub.Adapters.Orders;
using Hub.Adapters.Push;
using Hub.Adapters.Schedule;
using Hub.Adapters.ServiceTickets;
using Hub.Infrastructure;
using Hub.Infrastructure.Access;
using Hub.Infrastructure.Monitoring;
using Hub.CrmStore;
using Hub.Persistence;
using Hub.Soap.Client;
using Hub.Soap.Security;
using Hub.Soap.Server;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        // The billing client's Polly pipeline refuses some values (MaxRetries=0): say so at start. ERP's SOAP client has its own rules.
        services.AddSingleton<IValidateOptions<PartnerOptions>>(new PartnerResilienceValidator("Billing"));
        services.AddHttpClient<IBillingApi, BillingApiClient>((sp, http) =>
                http.BaseAddress = WithTrailingSlash(sp.GetRequiredService<IOptionsMonitor<PartnerOptions>>().Get("Billing").BaseUrl))
            .AddHttpMessageHandler(sp => new PartnerResilienceHandler(
                sp.GetRequiredService<IOptionsMonitor<PartnerOptions>>().Get("Billing").Resilience, "billing", sp.GetRequiredService<PartnerCircuits>()));

        AddPartner(builder, "Erp", "http://localhost:5070/erp/sales");
        // One options instance for the client's lifetime: the SOAP client keeps its circuit breaker per options instance.
        services.AddSingleton(sp => ErpClientOptions(sp.GetRequiredService<IOptionsMonitor<PartnerOptions>>().Get("Erp"), sp.GetRequiredService<PartnerCircuits>(), "erp"));
        services.AddHttpClient<ErpSalesClient>();

        // Inbound SOAP: each ERP's UsernameToken credentials in partner_account, imported from Soap:Partners:<erp>:{Username,Password}.
        services.AddSoapServer(o => builder.Configuration.GetSection("Soap:Server").Bind(o));
        services.AddSingleton<ISoapCredentialStore, ErpPartnerCredentials>();
        services.AddPartnerSeeds(_ => ErpPartnerCredentials.Configured(builder.Configuration));
        AddErpInbound(builder);

        services.AddPush(builder.Configuration);
        services.AddEndpointsApiExplorer();
        builder.AddOps();
        builder.AddMobileIdentity();
        services.AddOptions<BillingWebhookOptions>().Bind(builder.Configuration.GetSection(BillingWebhookOptions.Section))
            .Validate(o => o.Secrets.All(s => s.Length >= 16), "Partners:Billing:Webhooks:Secrets must each be at least 16 characters.")
            .ValidateOnStart();
        services.AddSingleton<IHubStoreModel, BillingWebhookStoreModel>();
        services.AddPartnerSeeds(sp => BillingWebhooks.Configured(sp.GetRequiredService<IOptions<BillingWebhookOptions>>().Value));
        services.AddSingleton<IHubStoreModel, IdempotencyStoreModel>();
        IdempotencyRetention.Register(services, builder.Configuration);
        services.AddSingleton<IHubStoreModel, MobileOrderStoreModel>();
        services.AddCrmStore();
        services.AddDealerOptions(builder.Configuration);
        services.AddSingleton<IHubStoreModel, MobileServiceTicketStoreModel>();
        services.AddSchedule(builder.Configuration);
        services.AddOpenApi(MobileApi.Version);
    }

    public void AddBus(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<CreateBillingChargeConsumer, CreateBillingChargeConsumerDefinition>();
        bus.AddConsumer<ReverseBillingChargeConsumer, ReverseBillingChargeConsumerDefinition>();
        bus.AddConsumer<CreateErpSalesOrderConsumer, CreateErpSalesOrderConsumerDefinition>();
        bus.AddConsumer<CancelErpSalesOrderConsumer, CancelErpSalesOrderConsumerDefinition>();
        bus.AddConsumer<ProvisionErpResourcesConsumer, ProvisionErpResourcesConsumerDefinition>();
        bus.AddConsumer<ReleaseErpResourcesConsumer, ReleaseErpResourcesConsumerDefinition>();
        bus.AddPushConsumers();
        bus.AddConsumer<PlaceErpOutboundDocumentConsumer, PlaceErpOutboundDocumentConsumerDefinition>();
        bus.AddConsumer<PushErpOutboundDocumentConsumer, PushErpOutboundDocumentConsumerDefinition>();
        bus.AddConsumer<MobileOrderProjection, MobileOrderProjectionDefinition>();
        bus.AddConsumer<OrderApproversConsumer, OrderApproversConsumerDefinition>();
        bus.AddRequestClient<GetOrder>(HubQueues.Address(HubQueues.Orders));
        var customers = HubQueues.Address(HubQueues.Customers);
        bus.AddRequestClient<RegisterCustomer>(customers);
        bus.AddRequestClient<UpdateCustomerProfile>(customers);
        bus.AddRequestClient<AssignCustomerOwner>(customers);
        bus.AddRequestClient<GradeCustomer>(customers);
        bus.AddRequestClient<RestoreCustomer>(customers);
        bus.AddRequestClient<AddContact>(customers);
        bus.AddRequestClient<UpdateContact>(customers);
        bus.AddRequestClient<MergeCustomers>(customers);
        bus.AddConsumer<MobileServiceTicketProjection, MobileServiceTicketProjectionDefinition>();
        bus.AddScheduleConsumers();
        var products = HubQueues.Address(HubQueues.Products);
        bus.AddRequestClient<RegisterProduct>(products);
        bus.AddRequestClient<UpdateProduct>(products);
        bus.AddRequestClient<ChangeProductState>(products);
        bus.AddRequestClient<SetPriceBook>(products);
    }

    public void Map(WebApplication app)
    {
        app.UseWebSockets();
        app.MapOpenApi("/api/openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "api/docs";
            o.SwaggerEndpoint($"/api/openapi/{MobileApi.Version}.json", $"CRM hub mobile API {MobileApi.Version}");
        });
        app.MapLoginApi();
        app.MapDevicesApi();
        app.MapStaffAccessApi();
        app.MapOrdersApi();
        app.MapCustomersApi();
        app.MapContactsApi();
        app.MapServiceTicketsApi();
        app.MapDealersApi();
        app.MapFieldWorkOrdersApi();
        app.MapProductsApi();
        app.MapScheduleApi();
        app.MapUserTasksApi();
        app.MapSoapService(ErpHubContract.DefaultPath, ErpHubSoapService.Create());
        app.MapPushStreamApi();
        app.MapPushPreferencesApi();
        app.MapBillingWebhooks();
        app.MapOpsApi();
    }

    /// <summary>The ERP inbound service's receiver, mailbox and its push (per-ERP <c>Soap:Partners:&lt;erp&gt;:Delivery=push|poll|both</c>) and customer seam.</summary>
    private static void AddErpInbound(WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ErpDeliveryOptions>().Bind(builder.Configuration.GetSection(ErpDeliveryOptions.Section))
            .Validate(o => o.Partners.Values.All(p => Enum.IsDefined(p.Delivery)), "Soap:Partners:<erp>:Delivery must be push, poll or both.")
            .Validate(o => o.Partners.Values.All(p => p.PushUrl is null || Uri.TryCreate(p.PushUrl, UriKind.Absolute, out _)), "Soap:Partners:<erp>:PushUrl must be an absolute URL.")
            .Validate(o => o.PushRetryAfter > TimeSpan.Zero && o.PushMaxRetryAfter >= o.PushRetryAfter, "Soap:PushRetryAfter must be positive and at most Soap:PushMaxRetryAfter.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IHubStoreModel, ErpStoreModel>();
        builder.Services.AddScoped<ErpInboundReceiver>();
        builder.Services.AddScoped<ErpMailbox>();
        builder.Services.AddSingleton<ErpPushClients>();
        // The customers capability registers its own directory; until then QueryCustomer knows no customer.
        builder.Services.TryAddScoped<IErpCustomerDirectory, CrmStoreCustomerDirectory>();
    }

    /// <summary>Binds and validates <c>Partners:&lt;name&gt;</c> as a named <see cref="PartnerOptions"/>; the default points at the bundled simulators.</summary>
    private static void AddPartner(WebApplicationBuilder builder, string name, string defaultUrl) =>
        builder.Services.AddOptions<PartnerOptions>(name)
            .Configure(o => o.BaseUrl = defaultUrl)
            .Bind(builder.Configuration.GetSection($"Partners:{name}"))
            .ValidateDataAnnotations()
            .ValidateOnStart();

    /// <summary>A SOAP client's options for the ERP partner's address, credentials and Polly pipeline; <paramref name="circuit"/> names its breaker.</summary>
    internal static SoapClientOptions ErpClientOptions(PartnerOptions erp, PartnerCircuits circuits, string circuit) => new()
    {
        Endpoint = new Uri(erp.BaseUrl),
        Username = erp.Username,
        Password = erp.Password,
        Resilience = new SoapResilienceOptions
        {
            MaxRetryAttempts = erp.Resilience.MaxRetries,
            RetryBaseDelay = erp.Resilience.RetryDelay,
            AttemptTimeout = erp.Resilience.AttemptTimeout,
            CircuitBreakerFailureRatio = erp.Resilience.BreakerFailureRatio,
            CircuitBreakerSamplingDuration = erp.Resilience.BreakerSamplingDuration,
            CircuitBreakerMinimumThroughput = erp.Resilience.BreakerMinimumThroughput,
            CircuitBreakerBreakDuration = erp.Resilience.BreakDuration,
            ObserveCircuitBreaker = breaker => circuits.Watch(circuit, breaker),
        },
    };

    private static Uri WithTrailingSlash(string url) => new(url.EndsWith('/') ? url : url + "/");
}
