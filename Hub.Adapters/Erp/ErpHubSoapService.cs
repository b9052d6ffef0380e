using Crm.Contracts.Orders;
using Crm.Contracts.Soap;
using Crm.Contracts.Soap.ErpHub;
using Hub.Soap;
using MassTransit;

namespace Hub.Adapters.Erp;

/// <summary>
/// The hub's SOAP service for the legacy ERP at <c>/soap/erp</c> (contracts/Soap/ErpHubService.wsdl),
/// authenticated with WS-Security UsernameToken per ERP (<c>Soap:Partners</c>).
/// </summary>
public static class ErpHubSoapService
{
    /// <summary>The service description with the operations the hub answers today.</summary>
    public static SoapServiceDescription Create(IRequestClient<GetOrder> orders) =>
        new SoapServiceDescription(ErpHubContract.ServiceName, ErpHubContract.Namespace)
        {
            WsdlProvider = () => SoapWsdlDocuments.ErpHubService,
            RequireSecurity = true,
            // The WSDL also declares the ERP's reports and the outbound mailbox, which arrive with the domain of issue 3/4;
            // until then those actions answer an "unknown action" Client fault rather than a pretend success.
            ValidateAgainstWsdl = false,
        }
        .AddOperation<QueryOrderRequest, QueryOrderResponse>(ErpHubContract.Actions.QueryOrder, (request, call) => QueryOrder(orders, request, call));

    private static async Task<QueryOrderResponse> QueryOrder(IRequestClient<GetOrder> orders, QueryOrderRequest request, SoapCallContext call)
    {
        if (string.IsNullOrWhiteSpace(request.OrderNumber) || request.OrderNumber.Length > 32)
            throw new SoapFaultException(SoapFaultCode.Client, "orderNumber is required, at most 32 characters.",
                new ErpHubFault { Code = ErpHubFaultCodes.InvalidRequest, Message = "orderNumber is required, at most 32 characters." });
        var response = await orders.GetResponse<OrderDetails, OrderNotFound>(new GetOrder(null, request.OrderNumber.Trim()), call.CancellationToken);
        return response.Is(out Response<OrderDetails>? found)
            ? new QueryOrderResponse
            {
                Order = new OrderSummary
                {
                    OrderNumber = found!.Message.OrderNumber,
                    Status = found.Message.Status,
                    ErpSalesOrderNumber = found.Message.ErpSalesOrderNumber,
                },
            }
            : new QueryOrderResponse();
    }
}
