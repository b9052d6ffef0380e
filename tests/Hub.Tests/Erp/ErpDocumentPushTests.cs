using System.Text.Json;
using Crm.Contracts.Erp;
using Hub.Adapters.Erp;
using Hub.Infrastructure;
using Hub.Persistence;
using Hub.Simulators.Erp;
using Hub.Soap.Tests.Infrastructure;
using Hub.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Erp;

/// <summary>
/// Outbound documents by each ERP's delivery: pushed to push and both ERPs by ErpSalesService's ReceiveDocument (the bundled
/// simulator) and acknowledged on success, fetched by polling ERPs, kept and retried while the push partner is down.
/// </summary>
[Collection("embedded")]
public sealed class ErpDocumentPushTests(EmbeddedHubFixture hub)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Customer_change_is_pushed_to_push_and_both_erps_and_acknowledged_while_the_polling_erp_fetches_it()
    {
        var documentId = await PlaceCustomerChange();

        string[] pushPartners = [ErpTestPartners.BothPartner, ErpTestPartners.PushPartner];
        var pushed = await Eventually.Get(() => Entries(documentId),
            rows => rows.Count(r => pushPartners.Contains(r.PartnerId) && r.AcknowledgedBy == ErpOutboundDocument.ByPush) == 2, Wait, "pushed to erp-push and erp-both");
        Assert.All(pushed.Where(r => pushPartners.Contains(r.PartnerId)), r => Assert.Equal(1, r.PushAttempts));
        var received = Simulator.Received.Single(r => r.DocumentId == ErpSimulator.PushedDocumentKey(documentId));
        Assert.Equal(("ReceiveDocument", 1, ErpOutboundDocumentKinds.CustomerChanged), (received.Operation, received.Effects, received.Result));

        // The polling ERP still has it to fetch; the push-only ERP fetches nothing, the both ERP nothing left to fetch.
        Assert.Null(pushed.Single(r => r.PartnerId == ErpTestPartners.PollPartner).AcknowledgedAt);
        Assert.Contains(documentId, await Fetch(ErpTestPartners.PollUsername));
        Assert.DoesNotContain(documentId, await Fetch(ErpTestPartners.PushUsername));
        Assert.DoesNotContain(documentId, await Fetch(ErpTestPartners.BothUsername));
        await Acknowledge(ErpTestPartners.PollUsername, documentId);
    }

    [Fact]
    public async Task While_the_push_partner_is_down_the_document_stays_in_the_mailbox_and_is_pushed_once_it_is_back()
    {
        string documentId;
        Simulator.Options.Down = true;
        try
        {
            documentId = await PlaceCustomerChange();
            var failing = await Eventually.Get(() => Entries(documentId),
                rows => rows.Any(r => r.PartnerId == ErpTestPartners.PushPartner && r.PushAttempts >= 2), Wait, "push retried on schedule");
            var push = failing.Single(r => r.PartnerId == ErpTestPartners.PushPartner);
            Assert.Null(push.AcknowledgedAt);
            Assert.NotNull(push.LastPushError);

            // The ERP that also polls takes it meanwhile: its acknowledgement ends its push.
            Assert.Contains(documentId, await Fetch(ErpTestPartners.BothUsername));
            await Acknowledge(ErpTestPartners.BothUsername, documentId);
        }
        finally
        {
            Simulator.Options.Down = false;
        }

        var delivered = await Eventually.Get(() => Entries(documentId),
            rows => rows.Any(r => r.PartnerId == ErpTestPartners.PushPartner && r.AcknowledgedBy == ErpOutboundDocument.ByPush), Wait, "pushed once the ERP is back");
        Assert.Null(delivered.Single(r => r.PartnerId == ErpTestPartners.PushPartner).LastPushError);
        Assert.Equal(ErpOutboundDocument.ByErp, delivered.Single(r => r.PartnerId == ErpTestPartners.BothPartner).AcknowledgedBy);
        Assert.Equal(1, Simulator.Received.Single(r => r.DocumentId == ErpSimulator.PushedDocumentKey(documentId)).Effects);
        await Acknowledge(ErpTestPartners.PollUsername, documentId);
    }

    private ErpSimulator Simulator => hub.Hub.Simulators!.Services.GetRequiredService<ErpSimulator>();

    private async Task<string> PlaceCustomerChange()
    {
        var documentId = "cust-" + Guid.NewGuid().ToString("N");
        var gateway = await hub.Hub.Hub.Services.GetRequiredService<IBus>().GetSendEndpoint(HubQueues.Address(HubQueues.ErpGateway));
        await gateway.Send(new PlaceErpOutboundDocument(documentId, ErpOutboundDocumentKinds.CustomerChanged, $"<customer code=\"{documentId}\"/>"));
        return documentId;
    }

    private async Task<List<ErpOutboundDocument>> Entries(string documentId)
    {
        await using var scope = hub.Hub.Hub.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<HubDbContext>().Set<ErpOutboundDocument>().AsNoTracking()
            .Where(d => d.DocumentId == documentId).ToListAsync();
    }

    private async Task<string[]> Fetch(string username)
    {
        var output = await Call("FetchOutboundDocuments", new { maxCount = 100 }, username);
        return output.GetProperty("result") is { ValueKind: JsonValueKind.Array } documents
            ? documents.EnumerateArray().Select(d => d.GetProperty("documentId").GetString()!).ToArray() : [];
    }

    private Task Acknowledge(string username, string documentId) =>
        Call("AcknowledgeOutboundDocuments", new { documentIds = new { documentId = new[] { documentId } } }, username);

    private async Task<JsonElement> Call(string operation, object arguments, string username)
    {
        var output = await Zeep.RunScriptAsync("erp_hub_client.py", hub.BaseUrl.TrimEnd('/') + "/soap/erp?wsdl", operation, JsonSerializer.Serialize(arguments),
            "--binding", "soap11", "--username", username, "--password", ErpTestPartners.Password, "--digest", "yes");
        var result = Assert.Single(output.GetProperty("results").EnumerateArray());
        Assert.True(result.TryGetProperty("result", out _), $"Expected an answer, got {result}");
        return result;
    }
}
