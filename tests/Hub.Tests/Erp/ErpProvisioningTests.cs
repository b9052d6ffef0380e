using System.Net.Http.Json;
using System.Text.Json;
using Crm.Contracts.Erp;
using Hub.Infrastructure;
using Hub.TestSupport;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Erp;

/// <summary>Outbound: the hub asks the ERP (the simulator, over SOAP) to provision a work order's resources.</summary>
[Collection("embedded")]
public sealed class ErpProvisioningTests(EmbeddedHubFixture hub)
{
    [Fact]
    public async Task A_work_order_is_provisioned_once_however_often_asked_and_a_refusal_comes_back_as_an_event()
    {
        var bus = hub.Hub.Hub.Services.GetRequiredService<IBus>();
        await using var probe = await BusEventProbe.StartAsync(bus, typeof(ErpResourcesProvisioned), typeof(ErpProvisioningRejected));
        var gateway = await bus.GetSendEndpoint(HubQueues.Address(HubQueues.ErpGateway));
        var (workOrder, order) = (Guid.NewGuid(), Guid.NewGuid());
        var number = "SO-PRV-" + Guid.NewGuid().ToString("N")[..8];

        await gateway.Send(new ProvisionErpResources(workOrder, order, number, "BB-100M", 2));
        await gateway.Send(new ProvisionErpResources(workOrder, order, number, "BB-100M", 2));
        var provisioned = await Eventually.Get(() => Task.FromResult(probe.Received.OfType<ErpResourcesProvisioned>().ToArray()),
            p => p.Length == 2, TimeSpan.FromSeconds(30), "both answers");
        Assert.All(provisioned, p => Assert.Equal((workOrder, order), (p.WorkOrderId, p.OrderId)));
        Assert.Single(provisioned.Select(p => p.ProvisioningId).Distinct());

        using var sims = new HttpClient { BaseAddress = new Uri(hub.SimulatorsUrl) };
        var received = (await sims.GetFromJsonAsync<JsonElement[]>("/sim/erp/received"))!
            .Where(r => r.GetRawText().Contains($"prv-{workOrder:N}")).ToArray();
        Assert.NotEmpty(received);

        var refused = Guid.NewGuid();
        await gateway.Send(new ProvisionErpResources(refused, order, number, "BB-100M", 0));
        var rejection = await Eventually.Get(() => Task.FromResult(probe.Received.OfType<ErpProvisioningRejected>().Where(r => r.WorkOrderId == refused).ToArray()),
            r => r.Length == 1, TimeSpan.FromSeconds(30), "the ERP's refusal");
        Assert.Contains("quantity", rejection[0].Reason);
    }

    [Fact]
    public async Task Provisioned_resources_are_released_once_however_often_asked_and_a_product_without_stock_is_refused()
    {
        var bus = hub.Hub.Hub.Services.GetRequiredService<IBus>();
        await using var probe = await BusEventProbe.StartAsync(bus, typeof(ErpResourcesProvisioned), typeof(ErpResourcesReleased), typeof(ErpProvisioningRejected));
        var gateway = await bus.GetSendEndpoint(HubQueues.Address(HubQueues.ErpGateway));
        var (workOrder, order) = (Guid.NewGuid(), Guid.NewGuid());
        var number = "SO-REL-" + Guid.NewGuid().ToString("N")[..8];
        await gateway.Send(new ProvisionErpResources(workOrder, order, number, "BB-100M", 1));
        var provisioned = (await Eventually.Get(() => Task.FromResult(probe.Received.OfType<ErpResourcesProvisioned>().Where(p => p.WorkOrderId == workOrder).ToArray()),
            p => p.Length == 1, TimeSpan.FromSeconds(30), "provisioned"))[0];

        await gateway.Send(new ReleaseErpResources(workOrder, order, number, provisioned.ProvisioningId, "customer cancelled"));
        await gateway.Send(new ReleaseErpResources(workOrder, order, number, provisioned.ProvisioningId, "customer cancelled"));
        var released = await Eventually.Get(() => Task.FromResult(probe.Received.OfType<ErpResourcesReleased>().Where(r => r.WorkOrderId == workOrder).ToArray()),
            r => r.Length == 2, TimeSpan.FromSeconds(30), "both release answers");
        Assert.All(released, r => Assert.Equal(provisioned.ProvisioningId, r.ProvisioningId));
        using var sims = new HttpClient { BaseAddress = new Uri(hub.SimulatorsUrl) };
        var release = (await sims.GetFromJsonAsync<JsonElement[]>("/sim/erp/received"))!
            .Single(r => r.GetProperty("documentId").GetString() == $"rel-{workOrder:N}");
        Assert.Equal(("ReleaseResources", 1, "released"),
            (release.GetProperty("operation").GetString(), release.GetProperty("effects").GetInt32(), release.GetProperty("result").GetString()));

        var noStock = Guid.NewGuid();
        await gateway.Send(new ProvisionErpResources(noStock, order, number, "NOSTOCK-FIBRE", 1));
        var refusal = await Eventually.Get(() => Task.FromResult(probe.Received.OfType<ErpProvisioningRejected>().Where(r => r.WorkOrderId == noStock).ToArray()),
            r => r.Length == 1, TimeSpan.FromSeconds(30), "no stock refusal");
        Assert.Contains("No resources left", refusal[0].Reason);
    }
}
