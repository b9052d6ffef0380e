using Hub.Endpoints.Erp;
using Hub.CrmStore;
using Hub.Endpoints.Customers;
using Hub.Endpoints.Dealers;
using Hub.CrmStore.Dealers;
using Hub.Endpoints.Products;
using Hub.Endpoints.Orders;
using Hub.Endpoints.ServiceTickets;
using Hub.Infrastructure;
using Hub.Persistence;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Hub.Endpoints;

/// <summary>
/// The CRM domain as message endpoints: order intake, the order lifecycle saga, and the durable
/// scheduler that fires saga deadlines.
/// </summary>
public sealed class EndpointsModule : IHubModule
{
    public string Name => "Endpoints";

    public void AddServices(WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OrderLifecycleOptions>()
            .Bind(builder.Configuration.GetSection(OrderLifecycleOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<OrderApprovalOptions>()
            .Bind(builder.Configuration.GetSection(OrderApprovalOptions.Section))
            .ValidateOnStart();
        builder.Services.AddOptions<OrderAuditOptions>().Bind(builder.Configuration.GetSection(OrderAuditOptions.Section));
        builder.Services.AddSingleton<IValidateOptions<OrderLifecycleOptions>, OrderOptionsValidation>();
        builder.Services.AddSingleton<IValidateOptions<OrderApprovalOptions>, OrderOptionsValidation>();
        builder.Services.AddSingleton<IHubStoreModel, OrdersStoreModel>();
        builder.Services.AddSingleton<IHubStoreModel, ErpRecordsStoreModel>();
        builder.Services.AddCrmStore();
        builder.Services.AddOptions<HandledCommandOptions>()
            .Bind(builder.Configuration.GetSection(HandledCommandOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHostedService<HandledCommandCleanup>();
        builder.Services.AddOptions<ServiceTicketLifecycleOptions>()
            .Bind(builder.Configuration.GetSection(ServiceTicketLifecycleOptions.Section))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ServiceTicketLifecycleOptions>, ServiceTicketLifecycleOptionsValidation>();
        builder.Services.AddSingleton<IHubStoreModel, ServiceTicketsStoreModel>();
        builder.Services.AddDealerOptions(builder.Configuration);
        builder.Services.AddHostedService<DealerPaceTimer>();
        builder.Services.AddHostedService<AgencyContractTermTimer>();
    }

    public void AddBus(IBusRegistrationConfigurator bus)
    {
        bus.AddHubScheduler();
        bus.AddConsumer<PlaceOrderConsumer, PlaceOrderConsumerDefinition>();
        bus.AddConsumer<GetOrderConsumer, GetOrderConsumerDefinition>();
        bus.AddSagaStateMachine<OrderStateMachine, OrderState, OrderStateDefinition>();
        bus.AddConsumer<RecordErpShipmentConsumer, RecordErpShipmentConsumerDefinition>();
        bus.AddConsumer<RecordErpInvoiceConsumer, RecordErpInvoiceConsumerDefinition>();
        bus.AddConsumer<RecordErpPaymentReceiptConsumer, RecordErpPaymentReceiptConsumerDefinition>();
        bus.AddConsumer<RecordBillingPaymentConsumer, RecordBillingPaymentConsumerDefinition>();
        bus.AddConsumer<RecordErpStockLevelConsumer, RecordErpStockLevelConsumerDefinition>();
        bus.AddConsumer<RecordErpProductChangeConsumer, RecordErpProductChangeConsumerDefinition>();
        bus.AddConsumer<RegisterCustomerConsumer, RegisterCustomerConsumerDefinition>();
        bus.AddConsumer<UpdateCustomerProfileConsumer, UpdateCustomerProfileConsumerDefinition>();
        bus.AddConsumer<AssignCustomerOwnerConsumer, AssignCustomerOwnerConsumerDefinition>();
        bus.AddConsumer<GradeCustomerConsumer, GradeCustomerConsumerDefinition>();
        bus.AddConsumer<RestoreCustomerConsumer, RestoreCustomerConsumerDefinition>();
        bus.AddConsumer<AddContactConsumer, AddContactConsumerDefinition>();
        bus.AddConsumer<UpdateContactConsumer, UpdateContactConsumerDefinition>();
        bus.AddConsumer<MergeCustomersConsumer, MergeCustomersConsumerDefinition>();
        bus.AddConsumer<ServiceTicketCommandConsumer, ServiceTicketCommandConsumerDefinition>();
        bus.AddConsumer<GetServiceTicketConsumer, GetServiceTicketConsumerDefinition>();
        bus.AddSagaStateMachine<ServiceTicketStateMachine, ServiceTicketState, ServiceTicketStateDefinition>();
        bus.AddConsumer<RegisterProductConsumer, RegisterProductConsumerDefinition>();
        bus.AddConsumer<UpdateProductConsumer, UpdateProductConsumerDefinition>();
        bus.AddConsumer<ChangeProductStateConsumer, ChangeProductStateConsumerDefinition>();
        bus.AddConsumer<SetPriceBookConsumer, SetPriceBookConsumerDefinition>();
        bus.AddConsumer<DealerCommandConsumer, DealerCommandConsumerDefinition>();
        bus.AddConsumer<DealerPaceConsumer, DealerPaceConsumerDefinition>();
        bus.AddConsumer<DealerAchievementConsumer, DealerAchievementConsumerDefinition>();
        bus.AddConsumer<ServiceTicketMergeConsumer, ServiceTicketMergeConsumerDefinition>();
        bus.AddConsumer<OrderMergeConsumer, OrderMergeConsumerDefinition>();
        bus.AddConsumer<DealerMergeConsumer, DealerMergeConsumerDefinition>();
        bus.AddConsumer<AgencyContractTermConsumer, AgencyContractTermConsumerDefinition>();
    }

    public void Map(WebApplication app)
    {
    }
}
